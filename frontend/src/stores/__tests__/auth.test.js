import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { browserTimeZone } from '../../format/datetime.js'
import { formatMoney, setUsdAssets } from '../../format/numbers.js'
import { useAuthStore } from '../auth.js'

const json = (body) => new Response(JSON.stringify(body), { status: 200 })
let fetchMock

beforeEach(() => {
  setActivePinia(createPinia())
  fetchMock = vi.fn(async (url) => (url === '/api/auth/current/'
    ? json({ user: { id: 1, username: 'alice', theme: 'dark', display_timezone: '' }, dev_mode: false,
        usd_assets: ['USD', 'USDT'] })
    : json({})))
  vi.stubGlobal('fetch', fetchMock)
})

afterEach(() => vi.unstubAllGlobals())

describe('auth store', () => {
  it('gives a user who never chose a time zone the zone of the browser, and saves it', async () => {
    const auth = useAuthStore()
    await auth.load()
    await flushPromises()
    expect(auth.user.display_timezone).toBe(browserTimeZone())
    const put = fetchMock.mock.calls.find(([, options]) => options.method === 'PUT')
    expect(put[0]).toBe('/api/accounts/preferences/')
    expect(JSON.parse(put[1].body)).toEqual({ display_timezone: browserTimeZone() })
  })

  it('hands the USD assets of the session to the number formatter', async () => {
    setUsdAssets([]) // avant la session
    expect(formatMoney('12.3456', 'USDT')).toBe('12,3456')
    await useAuthStore().load()
    expect(formatMoney('12.3456', 'USDT')).toBe('12,35')
    expect(formatMoney('12.3456', 'BTC')).toBe('12,3456')
  })
})
