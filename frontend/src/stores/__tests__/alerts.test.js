import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { connect, disconnect } from '../../websocket/socket.js'
import { useAlertsStore } from '../alerts.js'

class MockWebSocket {
  static last = null

  constructor() {
    MockWebSocket.last = this
  }

  close() {}
}

const alert = (id, fields = {}) => ({ id, kind: 'order_filled', kind_label: 'Ordre exécuté', text: `Alerte ${id}`, read_at: null, ...fields })
const json = (body) => new Response(JSON.stringify(body), { status: 200 })
const push = (data) => MockWebSocket.last.onmessage({ data: JSON.stringify({ type: 'alert', data }) })
const flush = () => new Promise((resolve) => setTimeout(resolve, 0))

let store
let incidents

beforeEach(() => {
  setActivePinia(createPinia())
  incidents = []
  vi.stubGlobal('WebSocket', MockWebSocket)
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url) => {
      if (url === '/api/alerts/') return json({ unread: 1, results: [alert(1)] })
      if (url === '/api/alerts/services/') return json({ services: [], heartbeat: {}, incidents })
      return json({ marked: 1 })
    }),
  )
  store = useAlertsStore()
  store.start()
  connect()
})

afterEach(() => {
  store.stop()
  disconnect()
  vi.unstubAllGlobals()
})

describe('alerts store', () => {
  it('adds a pushed alert on top once and counts it unread', async () => {
    await flush()
    push(alert(2))
    push(alert(2))
    expect(store.items.map((item) => item.id)).toEqual([2, 1])
    expect(store.unread).toBe(2)
  })

  it('marks everything read', async () => {
    await flush()
    await store.markAllRead()
    expect(store.unread).toBe(0)
    expect(store.items.every((item) => item.read_at)).toBe(true)
  })

  it('reloads the open incidents when the watchdog reports one', async () => {
    await flush()
    expect(store.incidents).toEqual([])
    incidents.push({ key: 'heartbeat-silent', text: 'Heartbeat silencieux', started_at: '2026-12-07T12:00:00Z' })
    push(alert(3, { kind: 'incident', text: 'Heartbeat silencieux' }))
    await flush()
    await flush()
    expect(store.incidents.map((incident) => incident.key)).toEqual(['heartbeat-silent'])
  })
})
