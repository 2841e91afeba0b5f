import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { candles, equity, MockWebSocket, push, run, trades } from '../../components/backtest/__tests__/fixtures.js'
import { json, routeFetch } from '../../components/brokers/__tests__/fixtures.js'
import { charts } from '../../components/charts/__tests__/fakeCharts.js'
import { useAuthStore } from '../../stores/auth.js'
import { connect, disconnect } from '../../websocket/socket.js'
import BacktestView from '../BacktestView.vue'

vi.mock('lightweight-charts', () => import('../../components/charts/__tests__/fakeCharts.js'))

const running = (fields = {}) => run(7, { status: 'running', phase: 'download', progress: 12, progress_label: 'Téléchargement des bougies 12 %', stats: null, ...fields })
const finished = run(7, {
  status: 'cancelled', partial: true,
  stats: { final_amount: '10002', return_pct: '0.02', buy_hold_return_pct: '-1.5', total_trades: 2, win_rate: '50' },
})

let wrapper
let fetchMock
let routes
const byTest = (id) => wrapper.get(`[data-testid=${id}]`)
const calls = (method, url) => fetchMock.mock.calls.filter(([u, o]) => u === url && o.method === method)

beforeEach(async () => {
  charts.length = 0
  vi.stubGlobal('WebSocket', MockWebSocket)
  routes = {
    'GET /api/strategies/': [{ id: 1, name: 'SMA cross', timeframe: '5m' }],
    'GET /api/brokers/': [{ id: 1, name: 'Paper trading', market_source: 'paper', is_default: true }],
    'GET /api/backtests/': [running(), run(5, { strategy_name: 'RSI', status: 'failed', error: 'Ligne 4 : division par zéro' })],
    'POST /api/backtests/7/cancel/': finished,
    'GET /api/backtests/7/': { ...finished, trades, equity },
    'GET /api/backtests/7/candles/': candles,
    'GET /api/backtests/5/': { ...run(5, { status: 'failed', error: 'Ligne 4 : division par zéro' }), trades: [], equity: [] },
    'GET /api/backtests/5/candles/': [],
    'DELETE /api/backtests/5/': () => new Response(null, { status: 204 }),
  }
  const backend = routeFetch(routes)
  fetchMock = vi.fn(async (url, options) => (url.startsWith('/api/markets/') ? json({ count: 0, results: [] }) : backend(url, options)))
  vi.stubGlobal('fetch', fetchMock)
  const pinia = createPinia()
  useAuthStore(pinia).user = { id: 1, username: 'dev', display_timezone: 'Europe/Paris' }
  connect()
  wrapper = mount(BacktestView, { global: { plugins: [pinia], stubs: { RouterLink: true } }, attachTo: document.body })
  await flushPromises()
})

afterEach(() => {
  wrapper.unmount()
  disconnect()
  vi.unstubAllGlobals()
})

describe('BacktestView', () => {
  it('shows the progress of the running backtest found at load, then moves with the messages', async () => {
    expect(byTest('bt-progress-label').text()).toBe('Téléchargement des bougies 12 %')
    expect(byTest('bt-progress-fill').attributes('style')).toContain('width: 12%')

    push(running({ phase: 'compute', progress: 37.5, progress_label: 'Calcul 37 %' }))
    await flushPromises()

    expect(byTest('bt-progress-label').text()).toBe('Calcul 37 %')
    expect(byTest('bt-progress-pct').text()).toBe('37 %')
    expect(byTest('bt-progress-fill').attributes('style')).toContain('width: 37.5%')

    // Une stratégie lente : sous 10 %, la décimale bouge.
    push(running({ phase: 'compute', progress: 0.3, progress_label: 'Calcul 0,3 %' }))
    await flushPromises()
    expect(byTest('bt-progress-pct').text()).toBe('0,3 %')
  })

  it('« Annuler » stops the run and shows its partial result: cards, charts, trades', async () => {
    await byTest('bt-cancel').trigger('click')
    await flushPromises()

    expect(calls('POST', '/api/backtests/7/cancel/')).toHaveLength(1)
    expect(wrapper.find('[data-testid=bt-progress]').exists()).toBe(false)
    expect(byTest('bt-partial').text()).toContain('Résultat partiel')
    expect(byTest('bt-stat-return_pct').text()).toBe('Rendement+0,02 %')
    expect(byTest('bt-stat-buy_hold_return_pct').get('[data-testid=bt-stat-value]').classes()).toContain('text-danger')
    expect(byTest('bt-stat-win_rate').text()).toBe('Taux de réussite50,00 %')
    expect(byTest('bt-candles-chart').attributes()).toMatchObject({ 'data-candles': '2', 'data-markers': '4', 'data-price-lines': '3' })
    expect(wrapper.findAll('[data-testid=bt-trade-row]')).toHaveLength(2)
    const [candleChart, equityChart] = charts
    expect(candleChart.series[0].markers).toHaveLength(4)
    expect(equityChart.series.map((s) => s.options.title)).toEqual(['Stratégie', 'Achat-conservation'])
  })

  it('clicking a trade frames it and draws its own stop-loss and take-profit', async () => {
    await byTest('bt-cancel').trigger('click')
    await flushPromises()
    await wrapper.findAll('[data-testid=bt-trade-row]')[1].trigger('click')

    expect(byTest('bt-candles-chart').attributes('data-price-lines')).toBe('2')
    expect(charts[0].timeScale().setVisibleRange).toHaveBeenCalled()
  })

  it('opens a failed run to read its error', async () => {
    await wrapper.findAll('[data-testid=bt-run-open]')[1].trigger('click')
    await flushPromises()

    expect(byTest('bt-run-error').text()).toBe('Ligne 4 : division par zéro')
    expect(wrapper.find('[data-testid=bt-trades]').exists()).toBe(false)
  })

  it('deletes a run only after confirmation', async () => {
    await wrapper.findAll('[data-testid=bt-run-delete]')[1].trigger('click')
    await byTest('confirm-no').trigger('click')
    expect(calls('DELETE', '/api/backtests/5/')).toHaveLength(0)

    await wrapper.findAll('[data-testid=bt-run-delete]')[1].trigger('click')
    await byTest('confirm-yes').trigger('click')
    await flushPromises()

    expect(calls('DELETE', '/api/backtests/5/')).toHaveLength(1)
    expect(wrapper.findAll('[data-testid=bt-run-row]').map((row) => row.attributes('data-id'))).toEqual(['7'])
  })

  it('lists past runs newest first with their French status', () => {
    const statuses = wrapper.findAll('[data-testid=bt-run-status]').map((cell) => cell.text())
    expect(statuses).toEqual(['en cours', 'échoué'])
  })
})
