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
  [`GET /api/positions/?broker=${id}&status=open`]: { count: 0, results: [] },
  [`GET /api/positions/?broker=${id}&status=closed&page=1`]: { count: 0, results: [] },
  [`GET /api/positions/marks/?broker=${id}`]: [],
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
    expect(wrapper.get('[data-testid=portfolio-total]').text()).toBe('10 000,00 USD')
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

  it('rounds the long balances of the exchange: 8 decimals for assets, 2 for USD values', async () => {
    await mountView({
      'GET /api/brokers/': brokers,
      ...emptyLists(2, 'paper'),
      'GET /api/trading/brokers/2/portfolio/': {
        assets: [
          { asset: 'USDT', free: '9781.8512504109851554', used: '0.0999999992702446', total: '9781.9512504102554000',
            usd_price: '1', usd_value: '9781.9512504102554000' },
          { asset: 'XYZ', free: '3', used: '0', total: '3', usd_price: null, usd_value: null },
        ],
        total_usd: '9781.9512504102554000',
      },
    })

    const rows = wrapper.findAll('[data-testid=portfolio-row]')
    expect(rows.map((row) => row.findAll('td').map((td) => td.text()))).toEqual([
      ['USDT', '9 781,85125041', '0,1', '9 781,95125041', '9 781,95'],
      ['XYZ', '3', '0', '3', '—'],
    ])
    expect(wrapper.get('[data-testid=portfolio-total]').text()).toBe('9 781,95 USD')
  })

  it('shows the open and closed positions of the chosen broker', async () => {
    const open = { id: 1, broker: 2, broker_name: 'Démo', symbol: 'BTC/USDT', status: 'open', quantity: '0.00999',
      entry_price: '50000', stop_loss: '45000', take_profit: '60000', protection: 'oco',
      protection_label: "sur l'exchange (OCO)" }
    await mountView({
      'GET /api/brokers/': brokers,
      ...emptyLists(2, 'paper'),
      'GET /api/trading/brokers/2/portfolio/': { assets: [], total_usd: '0' },
      'GET /api/positions/?broker=2&status=open': { count: 1, results: [open] },
      'GET /api/positions/?broker=2&status=closed&page=1': { count: 1, results: [{ ...open, id: 2, status: 'closed',
        exit_price: '51000', exit_reason_label: 'clôture manuelle', realized_pnl: '9.99', realized_pnl_pct: '2' }] },
      'GET /api/positions/marks/?broker=2': [
        { id: 1, price: '52000', value: '519.48', unrealized_pnl: '19.98', unrealized_pnl_pct: '4' },
      ],
    })

    const row = wrapper.get('[data-testid=open-position-row]')
    expect(row.get('[data-testid=position-price]').text()).toBe('52 000')
    expect(row.get('[data-testid=position-unrealized]').text()).toBe('+19,98 USDT +4,00 %')
    expect(wrapper.get('[data-testid=closed-position-reason]').text()).toBe('clôture manuelle')
    expect(wrapper.get('[data-testid=closed-position-pnl]').text()).toBe('+9,99 USDT +2,00 %')
  })
})
