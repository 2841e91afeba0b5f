import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { full, statsFetch } from '../../components/stats/__tests__/fixtures.js'
import { useAuthStore } from '../auth.js'
import { ALL_START, periodFilters, useStatsStore } from '../stats.js'

const NOW = Date.parse('2026-03-31T10:00:00Z')

describe('periodFilters', () => {
  it('turns a preset into from / to ending now', () => {
    expect(periodFilters({ period: '7d', now: NOW })).toEqual({ from: '2026-03-24T10:00:00.000Z', to: '2026-03-31T10:00:00.000Z' })
    expect(periodFilters({ period: '1y', now: NOW }).from).toBe('2025-03-31T10:00:00.000Z')
    expect(periodFilters({ period: 'all', now: NOW }).from).toBe(ALL_START)
  })

  it('reads the custom dates in the user time zone and refuses an empty or reversed range', () => {
    const custom = { from: '2026-03-01T00:00', to: '2026-03-30T12:00' }

    expect(periodFilters({ period: 'custom', custom, timeZone: 'Europe/Paris' }))
      .toEqual({ from: '2026-02-28T23:00:00.000Z', to: '2026-03-30T10:00:00.000Z' })
    expect(periodFilters({ period: 'custom', custom: { from: '', to: custom.to } })).toBeNull()
    expect(periodFilters({ period: 'custom', custom: { from: custom.to, to: custom.from } })).toBeNull()
  })

  it('sends the chosen brokers sorted, none for all', () => {
    expect(periodFilters({ period: '30d', brokerIds: [3, 1], now: NOW }).broker).toBe('1,3')
    expect(periodFilters({ period: '30d', brokerIds: [], now: NOW })).not.toHaveProperty('broker')
  })
})

describe('stats store', () => {
  let server

  beforeEach(() => {
    setActivePinia(createPinia())
    server = statsFetch(full)
    vi.stubGlobal('fetch', vi.fn(server.fetch))
  })
  afterEach(() => vi.unstubAllGlobals())

  it('asks the four answers with the same filters and points the CSV link at them', async () => {
    useAuthStore().user = { id: 1, display_timezone: 'Europe/Paris' }
    const store = useStatsStore()
    store.brokerIds = [2]
    store.period = 'custom'
    store.custom = { from: '2026-03-01T00:00', to: '2026-03-02T00:00' }

    expect(await store.load()).toBe(true)

    const query = 'broker=2&from=2026-02-28T23%3A00%3A00.000Z&to=2026-03-01T23%3A00%3A00.000Z'
    expect(server.seen.sort()).toEqual(['balance/', 'strategies/', 'summary/', 'webhooks/'].map((p) => `/api/stats/${p}?${query}`))
    expect(store.csvUrl).toBe(`/api/stats/trades.csv?${query}`)
    expect(store.hasTrades).toBe(true)
    expect(store.webhooks[0].label).toBe('RSI 4h')
  })

  it('does not ask anything for an incomplete or reversed custom period, and flags the reversed one', async () => {
    const store = useStatsStore()
    store.period = 'custom'

    expect(await store.load()).toBe(false)
    expect(server.seen).toEqual([])
    expect(store.csvUrl).toBeNull()
    expect(store.customInvalid).toBe(false)
    store.custom = { from: '2026-03-02T00:00', to: '2026-03-01T00:00' }
    expect(store.customInvalid).toBe(true)
  })

  it('starts a custom period from the shown one, in the user time zone; « Tout » leaves the start open', async () => {
    useAuthStore().user = { id: 1, display_timezone: 'Europe/Paris' }
    const store = useStatsStore()
    await store.load(NOW)
    store.choosePeriod('custom')
    expect(store.custom).toEqual({ from: '2026-03-01T11:00', to: '2026-03-31T12:00' }) // heure d'hiver, puis d'été

    store.custom = { from: '', to: '' }
    store.period = 'all'
    await store.load(NOW)
    store.choosePeriod('custom')
    expect(store.custom).toEqual({ from: '', to: '2026-03-31T12:00' })
  })

  it('keeps the answer of the last request when an older one comes back late', async () => {
    const store = useStatsStore()
    let release
    const late = new Promise((resolve) => {
      release = resolve
    })
    vi.stubGlobal('fetch', vi.fn(async (url, options) => {
      if (url.includes('from=2000')) await late
      return server.fetch(url, options)
    }))
    store.period = 'all'
    const first = store.load(NOW)
    store.period = '7d'
    await store.load(NOW)
    release()
    await first

    expect(store.filters.from).toBe('2026-03-24T10:00:00.000Z')
  })
})
