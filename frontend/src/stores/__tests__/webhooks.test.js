import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { connect, disconnect, RECONNECT_DELAY_MS } from '../../websocket/socket.js'
import { PAGE_SIZE, useWebhooksStore } from '../webhooks.js'

class MockWebSocket {
  static last = null

  constructor() {
    MockWebSocket.last = this
  }

  close() {}
}

const row = (id, fields = {}) => ({ id, status: 'received', status_label: 'reçu', trade: null, error: '', ...fields })
const json = (body) => new Response(JSON.stringify(body), { status: 200 })
const push = (data) => MockWebSocket.last.onmessage({ data: JSON.stringify({ type: 'webhook', data }) })

let store

beforeEach(() => {
  setActivePinia(createPinia())
  vi.stubGlobal('WebSocket', MockWebSocket)
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url) => {
      if (url === '/api/webhooks/?page=1') return json({ count: 2, results: [row(2), row(1)] })
      if (url === '/api/webhooks/?page=2') return json({ count: 60, results: [row(10)] })
      if (url === '/api/webhooks/2/') return json({ ...row(2), body: '{"action": "buy"}' })
      return json({ token: 'secret', path: '/api/webhooks/tradingview/secret/', tradingview_only: false, tradingview_ips: [] })
    }),
  )
  store = useWebhooksStore()
  store.start()
  connect()
})

afterEach(() => {
  store.stop()
  disconnect()
  vi.unstubAllGlobals()
})

describe('webhooks store', () => {
  it('re-reads the list when the WebSocket reconnects (rows published during the outage were lost)', async () => {
    MockWebSocket.last.onopen()
    await store.load(1)
    fetch.mockClear()
    const lost = MockWebSocket.last
    vi.useFakeTimers({ toFake: ['setTimeout'] })
    lost.onclose()
    vi.advanceTimersByTime(RECONNECT_DELAY_MS)
    vi.useRealTimers()
    expect(MockWebSocket.last).not.toBe(lost)
    MockWebSocket.last.onopen()
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledWith('/api/webhooks/?page=1', expect.anything()))
    expect(store.rows.map((r) => r.id)).toEqual([2, 1])
  })

  it('builds the full URL from the page origin and the token path', async () => {
    await store.loadToken()
    expect(store.url).toBe(`${window.location.origin}/api/webhooks/tradingview/secret/`)
  })

  it('adds a pushed row on top of the first page and counts it', async () => {
    await store.load(1)
    push(row(3))

    expect(store.rows.map((r) => r.id)).toEqual([3, 2, 1])
    expect(store.count).toBe(3)
  })

  it('replaces a row in place when its status changes', async () => {
    await store.load(1)
    push(row(1, { status: 'processed', status_label: 'traité' }))

    expect(store.rows.map((r) => [r.id, r.status])).toEqual([
      [2, 'received'],
      [1, 'processed'],
    ])
    expect(store.count).toBe(2)
  })

  it('only counts new rows while an older page is shown', async () => {
    await store.load(2)
    push(row(61))

    expect(store.rows.map((r) => r.id)).toEqual([10])
    expect(store.count).toBe(61)
    expect(store.pages).toBe(Math.ceil(61 / PAGE_SIZE))
  })

  it('keeps the first page at most one page long', async () => {
    await store.load(1)
    for (let id = 3; id <= PAGE_SIZE + 5; id += 1) push(row(id))

    expect(store.rows).toHaveLength(PAGE_SIZE)
    expect(store.rows[0].id).toBe(PAGE_SIZE + 5)
  })

  it('ignores pushed rows after stop()', async () => {
    await store.load(1)
    store.stop()
    push(row(3))
    expect(store.rows.map((r) => r.id)).toEqual([2, 1])
  })

  it('fetches a raw payload once', async () => {
    await store.loadDetail(2)
    await store.loadDetail(2)

    expect(store.details[2].body).toBe('{"action": "buy"}')
    expect(fetch.mock.calls.filter(([url]) => url === '/api/webhooks/2/')).toHaveLength(1)
  })
})
