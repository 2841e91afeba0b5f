import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { connect, connected, disconnect, onReconnect, RECONNECT_DELAY_MS, subscribe } from '../socket.js'

class MockWebSocket {
  static instances = []

  constructor(url) {
    this.url = url
    this.closed = false
    MockWebSocket.instances.push(this)
  }

  close() {
    this.closed = true
  }

  // Simulations côté serveur.
  serverOpen() {
    this.onopen?.()
  }

  serverClose() {
    this.onclose?.()
  }

  serverError() {
    this.onerror?.()
  }

  serverSend(message) {
    this.onmessage?.({ data: typeof message === 'string' ? message : JSON.stringify(message) })
  }
}

const latest = () => MockWebSocket.instances.at(-1)

beforeEach(() => {
  vi.useFakeTimers()
  MockWebSocket.instances = []
  vi.stubGlobal('WebSocket', MockWebSocket)
})

afterEach(() => {
  disconnect()
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe('socket', () => {
  it('connects to /ws/ on the page host and tracks the open state', () => {
    connect()
    expect(MockWebSocket.instances).toHaveLength(1)
    expect(latest().url).toBe(`ws://${window.location.host}/ws/`)
    expect(connected.value).toBe(false)
    latest().serverOpen()
    expect(connected.value).toBe(true)
  })

  it('does not open a second socket when connect() is called again', () => {
    connect()
    connect()
    expect(MockWebSocket.instances).toHaveLength(1)
  })

  it('reconnects 5 s after a close, again and again', () => {
    connect()
    latest().serverOpen()
    latest().serverClose()
    expect(connected.value).toBe(false)

    vi.advanceTimersByTime(RECONNECT_DELAY_MS - 1)
    expect(MockWebSocket.instances).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(MockWebSocket.instances).toHaveLength(2)

    // Le serveur est toujours absent : nouvel essai 5 s plus tard.
    latest().serverClose()
    vi.advanceTimersByTime(RECONNECT_DELAY_MS)
    expect(MockWebSocket.instances).toHaveLength(3)
    latest().serverOpen()
    expect(connected.value).toBe(true)
  })

  it('schedules a single reconnection when an error is followed by a close', () => {
    connect()
    const first = latest()
    first.serverError()
    first.serverClose()
    vi.advanceTimersByTime(RECONNECT_DELAY_MS * 2)
    expect(MockWebSocket.instances).toHaveLength(2)
  })

  it('stops reconnecting after disconnect()', () => {
    connect()
    const socket = latest()
    socket.serverOpen()
    disconnect()
    expect(socket.closed).toBe(true)
    expect(connected.value).toBe(false)
    socket.serverClose()
    vi.advanceTimersByTime(RECONNECT_DELAY_MS * 3)
    expect(MockWebSocket.instances).toHaveLength(1)
  })

  it('dispatches messages by type and supports unsubscribe', () => {
    const onStatus = vi.fn()
    const unsubscribe = subscribe('status', onStatus)
    connect()
    latest().serverSend({ type: 'status', data: { strategy_live: true } })
    latest().serverSend({ type: 'heartbeat.candle', data: {} })
    latest().serverSend('not json')
    expect(onStatus).toHaveBeenCalledTimes(1)
    expect(onStatus).toHaveBeenCalledWith({ strategy_live: true })

    unsubscribe()
    latest().serverSend({ type: 'status', data: {} })
    expect(onStatus).toHaveBeenCalledTimes(1)
  })

  it('asks every page to re-read its state on each reconnection, not on the first connection', async () => {
    const reread = vi.fn()
    const failing = vi.fn(() => Promise.reject(new Error('base absente')))
    const off = onReconnect(reread)
    onReconnect(failing)
    connect()
    latest().serverOpen()
    await Promise.resolve()
    expect(reread).not.toHaveBeenCalled()

    latest().serverClose() // Redis ou réseau coupé : les messages publiés entre-temps sont perdus
    vi.advanceTimersByTime(RECONNECT_DELAY_MS)
    latest().serverOpen()
    await vi.waitFor(() => expect(reread).toHaveBeenCalledTimes(1))
    expect(failing).toHaveBeenCalledTimes(1)

    off()
    latest().serverClose()
    vi.advanceTimersByTime(RECONNECT_DELAY_MS)
    latest().serverOpen()
    await Promise.resolve()
    expect(reread).toHaveBeenCalledTimes(1)
    expect(failing).toHaveBeenCalledTimes(2)
  })
})
