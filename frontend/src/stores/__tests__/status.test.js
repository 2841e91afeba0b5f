import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { connect, disconnect } from '../../websocket/socket.js'
import { useStatusStore } from '../status.js'

class MockWebSocket {
  static last = null

  constructor() {
    MockWebSocket.last = this
  }

  close() {}
}

function statusPayload(overrides = {}) {
  return {
    strategy_live: false,
    heartbeat: { active: false, coherent: true, gaps: 0, last_message_at: null, ...overrides },
  }
}

let status

beforeEach(() => {
  setActivePinia(createPinia())
  vi.stubGlobal('WebSocket', MockWebSocket)
  vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(statusPayload()), { status: 200 })))
  status = useStatusStore()
})

afterEach(() => {
  status.stop()
  disconnect()
  vi.unstubAllGlobals()
})

describe('status store', () => {
  it('knows nothing before data arrives', () => {
    expect(status.strategyLive).toBeNull()
    expect(status.heartbeatActive).toBeNull()
    expect(status.heartbeatCoherent).toBeNull()
    expect(status.heartbeatGaps).toBeNull()
    expect(status.wsConnected).toBe(false)
  })

  it('loads GET /api/status/ then applies WebSocket "status" messages', async () => {
    await status.start()
    expect(fetch).toHaveBeenCalledWith('/api/status/', expect.objectContaining({ method: 'GET' }))
    expect(status.heartbeatActive).toBe(false)
    expect(status.heartbeatCoherent).toBe(true)

    connect()
    MockWebSocket.last.onopen()
    expect(status.wsConnected).toBe(true)

    MockWebSocket.last.onmessage({
      data: JSON.stringify({
        type: 'status',
        data: {
          strategy_live: true,
          heartbeat: { active: true, active_for: 10, coherent: false, gaps: 3, last_message_at: '2025-12-31T14:05:00Z' },
          coherence: { since: '2025-12-31T14:00:00Z', starting: [], backfilling: ['BTC/USDT'], gaps: [] },
          sandbox: 'sandbox dégradé : Landlock ABI 0 (4 requise)',
          clock: 'Horloge du PC en retard de 10,0 s sur Binance (compensé)',
        },
      }),
    })
    expect(status.strategyLive).toBe(true)
    expect(status.heartbeatActive).toBe(true)
    expect(status.heartbeatCoherent).toBe(false)
    expect(status.heartbeatGaps).toBe(3)
    expect(status.lastMessageAt).toBe('2025-12-31T14:05:00Z')
    expect(status.coherence).toEqual({ since: '2025-12-31T14:00:00Z', starting: [], backfilling: ['BTC/USDT'], gaps: [] })
    expect(status.sandbox).toBe('sandbox dégradé : Landlock ABI 0 (4 requise)')
    expect(status.clock).toBe('Horloge du PC en retard de 10,0 s sur Binance (compensé)')
  })

  it('ignores status messages after stop()', async () => {
    await status.start()
    status.stop()
    connect()
    MockWebSocket.last.onmessage({ data: JSON.stringify({ type: 'status', data: statusPayload({ active: true, active_for: 10 }) }) })
    expect(status.heartbeatActive).toBe(false)
  })

  it('turns the heartbeat red by itself when its "active" outlives its lifetime (nobody publishes any more)', async () => {
    vi.useFakeTimers()
    try {
      const answer = JSON.stringify(statusPayload({ active: true, active_for: 5 }))
      fetch.mockResolvedValue(new Response(answer, { status: 200 }))
      await status.start()
      expect(status.heartbeatActive).toBe(true)
      await vi.advanceTimersByTimeAsync(4000)
      expect(status.heartbeatActive).toBe(true)
      await vi.advanceTimersByTimeAsync(2000)
      expect(status.heartbeatActive).toBe(false)
    } finally {
      vi.useRealTimers()
    }
  })

  it("speaks of the logged-in user's strategies only: the public status leaves them alone, an activation re-reads", async () => {
    const live = JSON.stringify({ ...statusPayload(), strategy_live: true })
    fetch.mockImplementation(async () => new Response(live, { status: 200 }))
    await status.start()
    expect(status.strategyLive).toBe(true)
    connect()
    const publicStatus = { heartbeat: { active: true, active_for: 10, coherent: true, gaps: 0, last_message_at: null } }
    MockWebSocket.last.onmessage({ data: JSON.stringify({ type: 'status', data: publicStatus }) })
    expect(status.strategyLive).toBe(true)

    fetch.mockImplementation(async () => new Response(JSON.stringify(statusPayload()), { status: 200 }))
    MockWebSocket.last.onmessage({ data: JSON.stringify({ type: 'active_strategy', data: { id: 1, state: 'stopped' } }) })
    await vi.waitFor(() => expect(status.strategyLive).toBe(false))
    expect(fetch).toHaveBeenCalledTimes(2)
  })

  it('keeps "no data" when the HTTP status request fails', async () => {
    fetch.mockRejectedValue(new TypeError('Failed to fetch'))
    await status.start()
    expect(status.heartbeatActive).toBeNull()
  })

  it('keeps the reached limits of GET /api/status/ across "status" messages, rereads them on "risk_limit"', async () => {
    const reached = [{ broker: 2, broker_name: 'Démo', limits: ['exposition maximale'], messages: ['Limite atteinte.'] }]
    const answer = (risk) => async () => new Response(JSON.stringify({ ...statusPayload(), risk }), { status: 200 })
    fetch.mockImplementation(answer(reached))
    await status.start()
    expect(status.risk).toEqual(reached)

    connect()
    MockWebSocket.last.onopen()
    MockWebSocket.last.onmessage({ data: JSON.stringify({ type: 'status', data: statusPayload({ active: true }) }) })
    expect(status.risk).toEqual(reached)

    fetch.mockImplementation(answer([]))
    MockWebSocket.last.onmessage({ data: JSON.stringify({ type: 'risk_limit', data: { id: 1, reached: false } }) })
    await vi.waitFor(() => expect(status.risk).toEqual([]))
  })
})
