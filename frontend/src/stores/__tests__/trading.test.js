import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { json, routeFetch } from '../../components/brokers/__tests__/fixtures.js'
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
})
