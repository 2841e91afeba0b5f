import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { candles, equity, MockWebSocket, push, run, trades } from '../../components/backtest/__tests__/fixtures.js'
import { json, routeFetch } from '../../components/brokers/__tests__/fixtures.js'
import { connect, disconnect } from '../../websocket/socket.js'
import { useBacktestsStore } from '../backtests.js'

let store
let fetchMock
let routes
const calls = (method, url) => fetchMock.mock.calls.filter(([u, o]) => u === url && o.method === method)
const running = (fields = {}) => run(7, { status: 'running', phase: 'compute', progress: 10, progress_label: 'Calcul 10 %', ...fields })

beforeEach(() => {
  setActivePinia(createPinia())
  vi.stubGlobal('WebSocket', MockWebSocket)
  routes = {
    'GET /api/backtests/': [running(), run(5)],
    'GET /api/backtests/7/': { ...run(7), trades, equity },
    'GET /api/backtests/7/candles/': candles,
    'GET /api/backtests/5/': { ...run(5), trades: [], equity },
    'GET /api/backtests/5/candles/': candles,
    'POST /api/backtests/': (options) => json({ ...run(9, JSON.parse(options.body)), status: 'queued', progress: 0 }, 202),
    'POST /api/backtests/7/cancel/': running({ status: 'cancelled', partial: true }),
    'DELETE /api/backtests/5/': () => new Response(null, { status: 204 }),
  }
  fetchMock = vi.fn((url, options) => routeFetch(routes)(url, options))
  vi.stubGlobal('fetch', fetchMock)
  store = useBacktestsStore()
  store.start()
  connect()
})

afterEach(() => {
  store.stop()
  disconnect()
  vi.unstubAllGlobals()
})

describe('backtests store', () => {
  it('shows the running run again after a page reload, from the list alone', async () => {
    await store.load()

    expect(store.runs.map((r) => r.id)).toEqual([7, 5])
    expect(store.current).toMatchObject({ id: 7, status: 'running', progress: 10 })
    expect(store.running).toBe(true)
    expect(calls('GET', '/api/backtests/7/')).toHaveLength(0)
  })

  it('follows the progress messages of the shown run and of its row in the list', async () => {
    await store.load()
    push(running({ progress: 37, progress_label: 'Calcul 37 %' }))

    expect(store.current.progress).toBe(37)
    expect(store.current.progress_label).toBe('Calcul 37 %')
    expect(store.runs[0].progress).toBe(37)
  })

  it('loads trades, equity and candles once the shown run ends', async () => {
    await store.load()
    await push(run(7, { status: 'done' }))
    await vi.waitFor(() => expect(store.current.trades).toHaveLength(2))

    expect(store.current.equity).toEqual(equity)
    expect(store.candles).toEqual(candles)
    expect(store.running).toBe(false)
  })

  it('does not reload the detail for a second end message', async () => {
    await store.load()
    push(run(7, { status: 'done' }))
    await vi.waitFor(() => expect(store.current.trades).toHaveLength(2))
    push(run(7, { status: 'done' }))

    expect(calls('GET', '/api/backtests/7/')).toHaveLength(1)
  })

  it('keeps a finished run on screen when another one starts elsewhere', async () => {
    routes['GET /api/backtests/'] = [run(5)]
    await store.load()
    await store.open(5)
    push(run(8, { status: 'running' }))

    expect(store.current.id).toBe(5)
    expect(store.runs.map((r) => r.id)).toEqual([8, 5])
  })

  it('a list read again after a lost message loads the result of the shown run that ended', async () => {
    await store.load()
    routes['GET /api/backtests/'] = [run(7, { status: 'done' }), run(5)]
    await store.load()

    expect(store.current.trades).toHaveLength(2)
    expect(store.candles).toEqual(candles)
  })

  it('a cancel still being carried out keeps the progress until the end message', async () => {
    routes['POST /api/backtests/7/cancel/'] = running({ cancel_requested: true })
    await store.load()
    await store.cancel(7)

    expect(store.current).toMatchObject({ status: 'running', cancel_requested: true })
    await push(running({ status: 'cancelled', partial: true, cancel_requested: true }))
    expect(calls('GET', '/api/backtests/7/')).toHaveLength(1)
  })

  it('cancel marks the run cancelled and loads its partial result', async () => {
    routes['GET /api/backtests/7/'] = { ...run(7, { status: 'cancelled', partial: true }), trades, equity }
    await store.load()
    await store.cancel(7)

    expect(calls('POST', '/api/backtests/7/cancel/')).toHaveLength(1)
    expect(store.current).toMatchObject({ id: 7, partial: true })
    expect(store.current.trades).toHaveLength(2)
    expect(store.runs[0]).toMatchObject({ status: 'cancelled', partial: true })
  })

  it('launch posts the fields and shows the queued run', async () => {
    routes['GET /api/backtests/'] = []
    await store.load()
    await store.launch({ strategy: 1, broker: 1, symbol: 'ETH/USDT', timeframe: '1h' })

    expect(JSON.parse(calls('POST', '/api/backtests/')[0][1].body)).toMatchObject({ symbol: 'ETH/USDT' })
    expect(store.current).toMatchObject({ id: 9, status: 'queued' })
    expect(store.runs.map((r) => r.id)).toEqual([9])
  })

  it('remove deletes the run and clears it from the screen', async () => {
    routes['GET /api/backtests/'] = [run(5)]
    await store.load()
    await store.open(5)
    await store.remove(5)

    expect(calls('DELETE', '/api/backtests/5/')).toHaveLength(1)
    expect(store.runs).toEqual([])
    expect(store.current).toBeNull()
  })

  it('rerun hands the run fields to the form', () => {
    store.rerun(run(5, { fee: '0.002', allow_gaps: true }))

    expect(store.draft).toEqual({
      strategy: 1, broker: 1, symbol: 'BTC/USDT', timeframe: '5m', start: '2025-01-01T00:00:00Z',
      end: '2025-01-02T00:00:00Z', initial_amount: '10000', fee: '0.002', allow_gaps: true,
    })
  })
})
