import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { json, routeFetch } from '../../components/brokers/__tests__/fixtures.js'
import { useAuthStore } from '../../stores/auth.js'
import { connect, disconnect } from '../../websocket/socket.js'
import HeartbeatView from '../HeartbeatView.vue'

class MockWebSocket {
  static last = null

  constructor() {
    MockWebSocket.last = this
  }

  close() {}
}

const MINUTE = 60_000
const T0 = Date.UTC(2024, 2, 1, 22, 0) // 23:00 à Paris
const kline = (s, t, c, x) => ({ e: 'kline', E: t + MINUTE, s, k: { t, s, i: '1m', c, v: '2.50000000', x } })
const push = (type, data) => MockWebSocket.last.onmessage({ data: JSON.stringify({ type, data }) })
const candle = (timeframe, openTime, close) => ({
  exchange: 'binance', symbol: 'BTC/USDT', timeframe, open_time: openTime, close_time: openTime, open: '1',
  high: '2', low: '0.5', close, volume: '3',
})

let wrapper
let fetchMock

beforeEach(async () => {
  vi.stubGlobal('WebSocket', MockWebSocket)
  fetchMock = vi.fn(
    routeFetch({
      'GET /api/heartbeat/config/': { symbols: ['BTC/USDT', 'ETH/USDT'], timeframes: [] },
      'GET /api/heartbeat/candles/latest/': [candle('4h', '2024-03-01T16:00:00Z', '60000.000000000000')],
      'PUT /api/heartbeat/config/': (options) => {
        const { symbols } = JSON.parse(options.body)
        return symbols.includes('NOPE')
          ? json({ detail: 'Symbole(s) invalide(s) : NOPE (attendu BASE/COTATION, ex. BTC/USDT).' }, 400)
          : json({ symbols, timeframes: [] })
      },
    }),
  )
  vi.stubGlobal('fetch', fetchMock)
  const pinia = createPinia()
  useAuthStore(pinia).user = { id: 1, username: 'alice', is_staff: true, display_timezone: 'Europe/Paris' }
  connect()
  wrapper = mount(HeartbeatView, { global: { plugins: [pinia] } })
  await flushPromises()
})

afterEach(() => {
  wrapper.unmount()
  disconnect()
  vi.unstubAllGlobals()
})

describe('HeartbeatView', () => {
  it('lists the raw stream newest first, 60 kept, closed candles in green', async () => {
    for (let minute = 0; minute < 70; minute += 1) {
      push('stream', { events: [kline('BTCUSDT', T0 + minute * MINUTE, `6000${minute % 10}.10000000`, minute % 2 === 1)] })
    }
    await flushPromises()

    const rows = wrapper.findAll('[data-testid=stream-row]')
    expect(rows).toHaveLength(60)
    expect(rows[0].text()).toContain('2024-03-02 00:09') // 23:09 UTC en heure de Paris
    expect(rows[0].text()).toContain('BTC/USDT')
    expect(rows[0].text()).toContain('60009.1')
    expect(rows[0].classes()).toContain('closed')
    expect(rows[1].classes()).not.toContain('closed')
    expect(rows[59].text()).toContain('2024-03-01 23:10')
  })

  it('fills one box per timeframe with the latest candle per symbol in the user zone', async () => {
    push('candles', {
      candles: [
        candle('10m', '2024-03-01T22:50:00+00:00', '60123.45000000'),
        { ...candle('10m', '2024-03-01T22:50:00+00:00', '3000.1'), symbol: 'ETH/USDT' },
      ],
    })
    await flushPromises()

    const boxes = ['1m', '3m', '5m', '10m', '15m', '1h', '2h', '4h'].map((tf) => wrapper.get(`[data-testid=timeframe-box-${tf}]`))
    expect(boxes).toHaveLength(8)
    const tenMinutes = wrapper.findAll('[data-testid=timeframe-box-10m] [data-testid=tf-candle]')
    expect(tenMinutes.map((row) => row.text())).toEqual(['BTC/USDT2024-03-01 23:5060123.45', 'ETH/USDT2024-03-01 23:503000.1'])
    expect(wrapper.get('[data-testid=timeframe-box-4h]').text()).toContain('2024-03-01 17:00')
    expect(wrapper.get('[data-testid=timeframe-box-1m]').text()).toContain('Aucune bougie clôturée')
  })

  it('hides the symbols editor from a user who is not staff', async () => {
    useAuthStore().user = { ...useAuthStore().user, is_staff: false }
    await flushPromises()
    expect(wrapper.find('[data-testid=heartbeat-symbols]').exists()).toBe(false)
  })

  it('saves the followed symbols and shows a refusal in French', async () => {
    const input = wrapper.get('[data-testid=heartbeat-symbols]')
    expect(input.element.value).toBe('BTC/USDT, ETH/USDT')
    await input.setValue('BTC/USDT NOPE')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(wrapper.get('[data-testid=heartbeat-symbols-error]').text()).toContain('NOPE')

    await input.setValue('BTC/USDT, SOL/USDT')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    const saved = fetchMock.mock.calls.filter(([url, options]) => url === '/api/heartbeat/config/' && options.method === 'PUT')
    expect(JSON.parse(saved.at(-1)[1].body)).toEqual({ symbols: ['BTC/USDT', 'SOL/USDT'] })
    expect(wrapper.get('[data-testid=heartbeat-symbols-saved]').exists()).toBe(true)
  })
})
