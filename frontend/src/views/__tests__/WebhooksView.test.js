import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { routeFetch, json } from '../../components/brokers/__tests__/fixtures.js'
import { useAuthStore } from '../../stores/auth.js'
import { connect, disconnect } from '../../websocket/socket.js'
import WebhooksView from '../WebhooksView.vue'

class MockWebSocket {
  static last = null

  constructor() {
    MockWebSocket.last = this
  }

  close() {}
}

const token = (value, fields = {}) => ({
  token: value,
  path: `/api/webhooks/tradingview/${value}/`,
  tradingview_only: false,
  tradingview_ips: ['52.89.214.238', '34.212.75.30'],
  ...fields,
})
const processed = {
  id: 7, owner: 'alice', received_at: '2025-12-31T14:05:00Z', status: 'processed', status_label: 'traité',
  action: 'buy', symbol: 'BTCUSDT', quantity: '0.01', amount: null, percent: null, error: '', signal_id: 'a1',
  trade: { side: 'buy', symbol: 'BTC/USDT', quantity: '0.01', filled_quantity: '0.01', average_price: '50000',
    status_label: 'exécuté' },
}
const invalid = {
  id: 8, owner: 'alice', received_at: '2025-12-31T14:06:00Z', status: 'invalid', status_label: 'invalide',
  action: null, symbol: null, quantity: null, error: 'Message non JSON : Expecting value (ligne 1, colonne 1).',
  trade: null, signal_id: '',
}

let fetchMock
let wrapper
const byTest = (id) => wrapper.get(`[data-testid=${id}]`)
const rows = () => wrapper.findAll('[data-testid=webhook-row]')
const calls = (method, url) => fetchMock.mock.calls.filter(([u, o]) => u === url && o.method === method)

beforeEach(async () => {
  vi.stubGlobal('WebSocket', MockWebSocket)
  vi.stubGlobal('navigator', { clipboard: { writeText: vi.fn(async () => {}) } })
  fetchMock = vi.fn(
    routeFetch({
      'GET /api/webhooks/token/': token('ancien'),
      'POST /api/webhooks/token/regenerate/': token('nouveau'),
      'PUT /api/webhooks/token/': (options) => json(token('ancien', JSON.parse(options.body))),
      'GET /api/webhooks/?page=1': { count: 2, results: [invalid, processed] },
      'GET /api/webhooks/8/': { ...invalid, body: 'hello', content_type: 'text/plain', source_ip: '52.89.214.238' },
    }),
  )
  vi.stubGlobal('fetch', fetchMock)
  const pinia = createPinia()
  useAuthStore(pinia).user = { id: 1, username: 'alice', display_timezone: 'Europe/Paris' }
  connect()
  wrapper = mount(WebhooksView, { global: { plugins: [pinia] }, attachTo: document.body })
  await flushPromises()
})

afterEach(() => {
  wrapper.unmount()
  disconnect()
  vi.unstubAllGlobals()
})

describe('WebhooksView', () => {
  it('shows the full URL and copies it', async () => {
    const url = `${window.location.origin}/api/webhooks/tradingview/ancien/`
    expect(byTest('webhook-url').element.value).toBe(url)

    await byTest('webhook-url-copy').trigger('click')
    expect(navigator.clipboard.writeText).toHaveBeenCalledWith(url)
    expect(byTest('webhook-url-copy').text()).toBe('Copié')
  })

  it('regenerates the token only after confirmation', async () => {
    await byTest('webhook-regenerate').trigger('click')
    expect(calls('POST', '/api/webhooks/token/regenerate/')).toHaveLength(0)
    expect(wrapper.text()).toContain("L'ancienne URL cessera de fonctionner.")

    await byTest('webhook-regenerate-confirm').trigger('click')
    await flushPromises()
    expect(calls('POST', '/api/webhooks/token/regenerate/')).toHaveLength(1)
    expect(byTest('webhook-url').element.value).toContain('/tradingview/nouveau/')
  })

  it('saves the TradingView IP filter', async () => {
    await byTest('webhook-tradingview-only').setValue(true)
    await flushPromises()

    expect(JSON.parse(calls('PUT', '/api/webhooks/token/')[0][1].body)).toEqual({ tradingview_only: true })
    expect(byTest('webhook-tradingview-only').element.checked).toBe(true)
  })

  it('lists webhooks with the time in the user zone, the status and the order or error', () => {
    const [first, second] = rows()
    expect(first.text()).toContain('2025-12-31 15:06')
    expect(first.get('[data-testid=webhook-status]').text()).toBe('invalide')
    expect(first.get('[data-testid=webhook-result]').text()).toBe(invalid.error)
    expect(second.text()).toContain('2025-12-31 15:05')
    expect(second.text()).toContain('BTCUSDT')
    expect(second.get('[data-testid=webhook-result]').text()).toBe('Achat 0.01 BTC/USDT à 50000 — exécuté')
  })

  it('shows the raw payload on demand', async () => {
    expect(wrapper.find('[data-testid=webhook-raw]').exists()).toBe(false)

    await rows()[0].get('[data-testid=webhook-raw-toggle]').trigger('click')
    await flushPromises()

    expect(byTest('webhook-raw-body').text()).toBe('hello')
    expect(byTest('webhook-raw').text()).toContain('52.89.214.238')
  })

  it('adds a pushed webhook live, then updates its status', async () => {
    const pushed = { ...processed, id: 9, status: 'received', status_label: 'reçu', trade: null }
    MockWebSocket.last.onmessage({ data: JSON.stringify({ type: 'webhook', data: pushed }) })
    await flushPromises()
    expect(rows()).toHaveLength(3)
    expect(rows()[0].get('[data-testid=webhook-status]').text()).toBe('reçu')
    expect(wrapper.text()).toContain('Webhooks reçus (3)')

    MockWebSocket.last.onmessage({ data: JSON.stringify({ type: 'webhook', data: { ...processed, id: 9 } }) })
    await flushPromises()
    expect(rows()).toHaveLength(3)
    expect(rows()[0].get('[data-testid=webhook-status]').text()).toBe('traité')
  })

  it('gives a ready alert message with TradingView placeholders', () => {
    const example = byTest('webhook-example').text()
    for (const placeholder of ['{{ticker}}', '{{strategy.order.action}}', '{{close}}', '{{strategy.order.contracts}}', '{{timenow}}']) {
      expect(example).toContain(placeholder)
    }
  })
})
