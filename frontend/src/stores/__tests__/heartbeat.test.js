import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { connect, disconnect } from '../../websocket/socket.js'
import { KEPT_ROWS, useHeartbeatStore } from '../heartbeat.js'

class MockWebSocket {
  static last = null

  constructor() {
    MockWebSocket.last = this
  }

  close() {}
}

const json = (body) => new Response(JSON.stringify(body), { status: 200 })
const push = (type, data) => MockWebSocket.last.onmessage({ data: JSON.stringify({ type, data }) })
const kline = (s, t, c, x = false) => ({ e: 'kline', s, k: { t, s, i: '1m', c, v: '1.5', x } })
const candle = (symbol, timeframe, openTime, close) => ({
  exchange: 'binance', symbol, timeframe, open_time: openTime, close_time: openTime, open: '1', high: '2', low: '0.5',
  close, volume: '3',
})

let store

beforeEach(async () => {
  setActivePinia(createPinia())
  vi.stubGlobal('WebSocket', MockWebSocket)
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url) =>
      url === '/api/heartbeat/config/'
        ? json({ symbols: ['BTC/USDT', 'ETH/USDT'], timeframes: ['1m'] })
        : json([candle('ETH/USDT', '4h', '2024-03-01T20:00:00Z', '3000.00000000')]),
    ),
  )
  store = useHeartbeatStore()
  store.start()
  connect()
  await store.load()
})

afterEach(() => {
  store.stop()
  disconnect()
  vi.unstubAllGlobals()
})

describe('heartbeat store', () => {
  it('keeps the last 60 raw events, newest on top, with their symbol and closed flag', () => {
    for (let minute = 0; minute < 35; minute += 1) {
      push('stream', { events: [kline('BTCUSDT', minute, `${minute}`), kline('SOLUSDT', minute, `${minute}.5`, true)] })
    }

    expect(store.rows).toHaveLength(KEPT_ROWS)
    expect(store.rows[0]).toMatchObject({ symbol: 'SOLUSDT', openTime: 34, close: '34.5', closed: true })
    expect(store.rows[1]).toMatchObject({ symbol: 'BTC/USDT', openTime: 34, closed: false })
    expect(store.rows.at(-1)).toMatchObject({ symbol: 'BTC/USDT', openTime: 5 })
  })

  it('shows the newest closed candle of each timeframe and symbol, loaded or pushed', () => {
    push('candles', {
      candles: [
        candle('BTC/USDT', '5m', '2024-03-01T23:55:00+00:00', '101'),
        candle('ETH/USDT', '5m', '2024-03-01T23:55:00+00:00', '3001'),
        candle('BTC/USDT', '10m', '2024-03-01T23:50:00+00:00', '100'),
      ],
    })
    push('candles', { candles: [candle('BTC/USDT', '5m', '2024-03-01T23:50:00+00:00', '99')] }) // en retard : ignorée

    expect(store.candlesOf('5m').map((c) => c.close)).toEqual(['101', '3001'])
    expect(store.candlesOf('10m').map((c) => c.close)).toEqual(['100'])
    expect(store.candlesOf('4h').map((c) => c.symbol)).toEqual(['ETH/USDT'])
    expect(store.candlesOf('1m')).toEqual([])
  })

  it('stops listening once stopped', () => {
    store.stop()
    push('stream', { events: [kline('BTCUSDT', 1, '1')] })
    expect(store.rows).toEqual([])
  })
})
