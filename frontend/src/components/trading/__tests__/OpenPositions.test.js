import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useMarksStore } from '../../../stores/marks.js'
import { usePositionsStore } from '../../../stores/positions.js'
import { useTradingStore } from '../../../stores/trading.js'
import { json, routeFetch } from '../../brokers/__tests__/fixtures.js'
import OpenPositions from '../OpenPositions.vue'

const open = { id: 4, broker: 3, broker_name: 'Démo', symbol: 'BTC/USDT', status: 'open', quantity: '0.00999',
  entry_price: '50000', stop_loss: '45000', take_profit: null, protection: 'orders',
  protection_label: "sur l'exchange (ordres stop / take-profit)" }
let fetchMock
let wrapper
let closeAnswer
const calls = () => fetchMock.mock.calls.map(([url, options]) => `${options.method} ${url}`)

beforeEach(async () => {
  closeAnswer = () => json({ ...open, status: 'closed', exit_price: '51000', realized_pnl: '8.98' })
  fetchMock = vi.fn(routeFetch({
    'POST /api/positions/4/close/': () => closeAnswer(),
    'GET /api/trading/brokers/3/portfolio/': { assets: [], total_usd: '0' },
    'GET /api/trading/brokers/3/open-orders/': [],
    'GET /api/trading/orders/?broker=3&page=1&page_size=20': { count: 0, results: [] },
  }))
  vi.stubGlobal('fetch', fetchMock)
  const pinia = createPinia()
  useTradingStore(pinia).broker = { id: 3, name: 'Démo' }
  const positions = usePositionsStore(pinia)
  positions.filters = { broker: 3 }
  positions.open = [open]
  wrapper = mount(OpenPositions, { global: { plugins: [pinia] }, attachTo: document.body })
})

async function closeConfirmed() {
  await wrapper.get('[data-testid=position-close]').trigger('click')
  await wrapper.get('[data-testid=confirm-yes]').trigger('click')
  await flushPromises()
}

afterEach(() => {
  wrapper.unmount()
  vi.unstubAllGlobals()
})

describe('OpenPositions', () => {
  it('closes the confirmed position, then reloads the portfolio, the open orders and the history', async () => {
    await closeConfirmed()

    expect(calls()).toEqual([
      'POST /api/positions/4/close/',
      'GET /api/trading/brokers/3/portfolio/',
      'GET /api/trading/brokers/3/open-orders/',
      'GET /api/trading/orders/?broker=3&page=1&page_size=20',
    ])
    expect(wrapper.findAll('[data-testid=open-position-row]')).toHaveLength(0)
    expect(wrapper.text()).toContain('Aucune position ouverte.')
  })

  it('shows the French reason of a refused close and keeps the row', async () => {
    closeAnswer = () => json({ detail: 'Cette position est déjà en cours de clôture.' }, 409)
    await closeConfirmed()

    expect(wrapper.get('[data-testid=open-positions-error]').text()).toBe('Cette position est déjà en cours de clôture.')
    expect(wrapper.findAll('[data-testid=open-position-row]')).toHaveLength(1)
  })
})

describe('OpenPositions figures', () => {
  it('shows the current price and unrealized P&L of the server, as given', async () => {
    useMarksStore().marks = { 4: { id: 4, price: '52000', value: '519.48', unrealized_pnl: '19.98', unrealized_pnl_pct: '4' } }
    await flushPromises()

    expect(wrapper.get('[data-testid=position-price]').text()).toBe('52 000')
    expect(wrapper.get('[data-testid=position-unrealized]').text()).toBe('+19,98 USDT +4,00 %')
  })
})
