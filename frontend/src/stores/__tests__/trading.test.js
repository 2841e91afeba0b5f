import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { json, routeFetch } from '../../components/brokers/__tests__/fixtures.js'
import * as socket from '../../websocket/socket.js'
import { useTradingStore } from '../trading.js'

const broker = { id: 3, name: 'Démo', exchange: 'paper', market_source: 'paper', is_default: true }
const trade = (id, fields = {}) => ({ id, broker: 3, symbol: 'BTC/USDT', side: 'buy', type: 'limit', status: 'open',
  quantity: '0.01', price: '45000', filled_quantity: '0', ...fields })
let fetchMock
const calls = () => fetchMock.mock.calls.map(([url, options]) => `${options.method} ${url}`)

beforeEach(() => {
  setActivePinia(createPinia())
  fetchMock = vi.fn(
    routeFetch({
      'GET /api/markets/?exchange=paper&quote=USDT&page=1&page_size=20': { count: 1, results: [{ id: 1, symbol: 'BTC/USDT' }] },
      'GET /api/trading/orders/?broker=3&page=1&page_size=20': { count: 1, results: [trade(1)] },
      'GET /api/trading/brokers/3/portfolio/': { assets: [], total_usd: '10000' },
      'GET /api/trading/brokers/3/open-orders/': [trade(1)],
      'GET /api/trading/brokers/3/ticker/?symbol=BTC%2FUSDT': { symbol: 'BTC/USDT', last: '50000' },
      'POST /api/trading/orders/': (options) =>
        JSON.parse(options.body).quantity === '9'
          ? json({ detail: 'Fonds insuffisants sur Paper : solde USDT insuffisant', trade: trade(2) }, 502)
          : json(trade(2, { status: 'filled' }), 201),
    }),
  )
  vi.stubGlobal('fetch', fetchMock)
})

afterEach(() => vi.unstubAllGlobals())

describe('trading store', () => {
  it('loads the pairs of the broker market source, its history, portfolio and open orders', async () => {
    const store = useTradingStore()
    await store.selectBroker(broker)

    expect(store.markets).toEqual([{ id: 1, symbol: 'BTC/USDT' }])
    expect(store.trades.map((t) => t.id)).toEqual([1])
    expect(store.portfolio.total_usd).toBe('10000')
    expect(store.openOrders.map((t) => t.id)).toEqual([1])
  })

  it('fetches the ticker of the chosen pair', async () => {
    const store = useTradingStore()
    await store.selectBroker(broker)
    await store.selectSymbol('BTC/USDT')

    expect(store.ticker.last).toBe('50000')
  })

  it('sends the order for the chosen broker and pair, then reloads portfolio and lists', async () => {
    const store = useTradingStore()
    await store.selectBroker(broker)
    store.symbol = 'BTC/USDT'
    fetchMock.mockClear()

    const placed = await store.place({ side: 'buy', order_type: 'market', quantity: '0.01' })

    expect(placed.status).toBe('filled')
    expect(JSON.parse(fetchMock.mock.calls[0][1].body)).toEqual({
      broker: 3, symbol: 'BTC/USDT', side: 'buy', order_type: 'market', quantity: '0.01',
    })
    expect(calls().slice(1).sort()).toEqual([
      'GET /api/trading/brokers/3/open-orders/',
      'GET /api/trading/brokers/3/portfolio/',
      'GET /api/trading/orders/?broker=3&page=1&page_size=20',
    ])
  })

  it('rejects a refused order with its French reason and still reloads the history', async () => {
    const store = useTradingStore()
    await store.selectBroker(broker)
    fetchMock.mockClear()

    await expect(store.place({ side: 'buy', quantity: '9' })).rejects.toThrow('Fonds insuffisants sur Paper')
    expect(calls()).toContain('GET /api/trading/orders/?broker=3&page=1&page_size=20')
  })

  it('puts a pushed trade in the history and drops it from open orders once filled', async () => {
    const store = useTradingStore()
    await store.selectBroker(broker)

    store.receive(trade(5, { status: 'filled' }))
    store.receive(trade(1, { status: 'filled' }))
    store.receive(trade(9, { broker: 99 }))

    expect(store.trades.map((t) => [t.id, t.status])).toEqual([[5, 'filled'], [1, 'filled']])
    expect(store.tradesCount).toBe(2)
    expect(store.openOrders).toEqual([])
  })

  it('re-reads the last price and the portfolio on each heartbeat wave, the portfolio on any order or position', async () => {
    const handlers = {}
    vi.spyOn(socket, 'subscribe').mockImplementation((kind, fn) => {
      handlers[kind] = fn
      return () => {}
    })
    const store = useTradingStore()
    store.start()
    await store.selectBroker(broker)
    await store.selectSymbol('BTC/USDT')
    expect(store.ticker.last).toBe('50000')
    const prices = { last: '50100' }
    fetchMock.mockImplementation(routeFetch({
      'GET /api/trading/brokers/3/ticker/?symbol=BTC%2FUSDT': () => json({ symbol: 'BTC/USDT', ...prices }),
      'GET /api/trading/brokers/3/portfolio/': { assets: [], total_usd: '10100' },
    }))

    handlers.candles({ candles: [{ symbol: 'BTC/USDT', timeframe: '1m', close: '50100' }] })
    await vi.waitFor(() => expect(store.ticker.last).toBe('50100'))
    await vi.waitFor(() => expect(store.portfolio.total_usd).toBe('10100'))

    fetchMock.mockClear()
    handlers.order(trade(7, { status: 'filled', source: 'webhook' }))
    handlers.position({ id: 3, broker: 3, status: 'open' })
    handlers.position({ id: 4, broker: 99, status: 'open' })
    await vi.waitFor(() => expect(calls()).toContain('GET /api/trading/brokers/3/portfolio/'))
    expect(calls().every((call) => call === 'GET /api/trading/brokers/3/portfolio/')).toBe(true)
    expect(calls().length).toBeLessThanOrEqual(2) // une rafale : une relecture, au plus une de plus
    store.stop()
  })
})
