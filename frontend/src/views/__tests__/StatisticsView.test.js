import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { charts } from '../../components/charts/__tests__/fakeCharts.js'
import { empty, full, statsFetch } from '../../components/stats/__tests__/fixtures.js'
import { useAuthStore } from '../../stores/auth.js'
import StatisticsView from '../StatisticsView.vue'

vi.mock('lightweight-charts', () => import('../../components/charts/__tests__/fakeCharts.js'))

let wrapper
let server
const byTest = (id) => wrapper.get(`[data-testid=${id}]`)
const lastQuery = () => new URLSearchParams(server.seen.at(-1).split('?')[1])

async function open(bodies) {
  charts.length = 0
  server = statsFetch(bodies)
  vi.stubGlobal('fetch', vi.fn(server.fetch))
  const pinia = createPinia()
  useAuthStore(pinia).user = { id: 1, username: 'dev', display_timezone: 'Europe/Paris' }
  wrapper = mount(StatisticsView, { global: { plugins: [pinia] } })
  await flushPromises()
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(new Date('2026-03-31T10:00:00Z'))
})
afterEach(() => {
  wrapper.unmount()
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe('StatisticsView', () => {
  it('shows the balance with its gap, both P&L curves, the change and the table over the last 30 days', async () => {
    await open(full)

    expect(lastQuery().get('from')).toBe('2026-03-01T10:00:00.000Z')
    const [balance, strategy, webhook] = charts
    // Le total et Spot sont coupés par leur trou : deux tronçons chacun, le titre sur le dernier.
    expect(balance.series.map((s) => s.options.title)).toEqual(['', 'Total', '', 'Spot', 'Démo'])
    expect(balance.series[1].data[0]).not.toHaveProperty('value')
    expect(strategy.series[0].data.map((p) => p.value)).toEqual([100, 50, 80, 20])
    expect(webhook.series[0].options.title).toBe('RSI 4h (USDT)')
    expect(byTest('stats-balance-change-usd').text()).toBe('+600 USD')
    expect(byTest('stats-balance-change-pct').text()).toBe('(+60,00 %)')
    expect(byTest('stats-balance-chart').attributes('data-gaps')).toBe('1')
    expect(wrapper.findAll('[data-testid=stats-row]')).toHaveLength(7)
    expect(byTest('stats-csv').attributes('href')).toBe(`/api/stats/trades.csv?${server.seen.at(-1).split('?')[1]}`)
  })

  it('asks again for a new period and a chosen broker', async () => {
    await open(full)
    await byTest('stats-period-7d').trigger('click')
    await flushPromises()
    expect(lastQuery().get('from')).toBe('2026-03-24T10:00:00.000Z')

    await byTest('stats-broker-2').setValue(true)
    await flushPromises()
    expect(lastQuery().get('broker')).toBe('2')

    await byTest('stats-period-custom').trigger('click')
    await flushPromises()
    expect(byTest('stats-from').element.value).toBe('2026-03-24T11:00')
    expect(byTest('stats-to').element.value).toBe('2026-03-31T12:00')
    await byTest('stats-from').setValue('2026-03-10T00:00')
    await byTest('stats-to').setValue('2026-03-01T00:00')
    await flushPromises()
    expect(byTest('stats-period-invalid').text()).toContain('début antérieur')
    await byTest('stats-to').setValue('2026-03-20T00:00')
    await flushPromises()
    expect([lastQuery().get('from'), lastQuery().get('to')]).toEqual(['2026-03-09T23:00:00.000Z', '2026-03-19T23:00:00.000Z'])
  })

  it('says in French that nothing was closed over the period', async () => {
    await open({
      ...full, 'GET /api/stats/balance/': empty.balance, 'GET /api/stats/summary/': empty.summary,
      'GET /api/stats/strategies/': [], 'GET /api/stats/webhooks/': [],
    })

    expect(byTest('stats-empty').text()).toBe('Aucun trade clôturé sur la période.')
    expect(byTest('stats-strategies-empty').text()).toBe('Aucun trade clôturé sur la période.')
    expect(byTest('stats-webhooks-empty').text()).toBe('Aucun trade clôturé sur la période.')
    expect(byTest('stats-balance-empty').text()).toBe('Aucun instantané de solde sur la période.')
    expect(wrapper.find('[data-testid=stats-csv]').exists()).toBe(false)
    expect(charts).toHaveLength(0)
  })

  it('shows the server refusal', async () => {
    await open({ ...full, 'GET /api/stats/summary/': undefined })

    expect(byTest('stats-error').text()).toContain('absent')
  })
})
