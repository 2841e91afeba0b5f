import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import { routeFetch } from '../../components/brokers/__tests__/fixtures.js'
import { useAuthStore } from '../../stores/auth.js'
import TradingManualView from '../TradingManualView.vue'

const brokers = [
  { id: 1, name: 'Binance test', exchange: 'binance', market_source: 'binance-testnet', is_testnet: true, is_default: false },
  { id: 2, name: 'Démo', exchange: 'paper', market_source: 'paper', is_testnet: false, is_default: true },
]
const emptyLists = (id, source) => ({
  [`GET /api/markets/?exchange=${source}&quote=USDT&page=1&page_size=20`]: { count: 0, results: [] },
  [`GET /api/trading/orders/?broker=${id}&page=1&page_size=20`]: { count: 0, results: [] },
  [`GET /api/trading/brokers/${id}/open-orders/`]: [],
})
let wrapper

async function mountView(routes) {
  vi.stubGlobal('fetch', vi.fn(routeFetch(routes)))
  const pinia = createPinia()
  useAuthStore(pinia).user = { id: 1, username: 'alice', display_timezone: 'UTC' }
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { template: '<div />' } }] })
  wrapper = mount(TradingManualView, { global: { plugins: [pinia, router] } })
  await flushPromises()
}

afterEach(() => {
  wrapper.unmount()
  vi.unstubAllGlobals()
})

describe('TradingManualView', () => {
  it('preselects the default broker, marks testnet ones and shows its portfolio total', async () => {
    await mountView({
      'GET /api/brokers/': brokers,
      ...emptyLists(2, 'paper'),
      'GET /api/trading/brokers/2/portfolio/': {
        assets: [{ asset: 'USDT', free: '10000', used: '0', total: '10000', usd_price: '1', usd_value: '10000' }],
        total_usd: '10000',
      },
    })

    const select = wrapper.get('[data-testid=trading-broker]')
    expect(select.element.value).toBe('2')
    expect(select.findAll('option').map((o) => o.text())).toEqual(['Binance test — testnet', 'Démo — paper (défaut)'])
    expect(wrapper.get('[data-testid=portfolio-total]').text()).toBe('10000 USD')
  })

  it('says what to do when there is no broker', async () => {
    await mountView({ 'GET /api/brokers/': [] })

    expect(wrapper.get('[data-testid=no-broker]').text()).toContain('Aucun broker')
  })

  it('shows the French error of an exchange that cannot give the balances', async () => {
    await mountView({
      'GET /api/brokers/': brokers,
      ...emptyLists(2, 'paper'),
      'GET /api/trading/brokers/2/portfolio/': () =>
        new Response(JSON.stringify({ detail: 'Erreur de connexion à Binance : Invalid API-key.' }), { status: 502 }),
    })

    expect(wrapper.get('[data-testid=trading-error]').text()).toBe('Erreur de connexion à Binance : Invalid API-key.')
  })
})
