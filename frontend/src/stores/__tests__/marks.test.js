import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as positionsApi from '../../api/positions.js'
import { onReconnect, subscribe } from '../../websocket/socket.js'
import { useMarksStore } from '../marks.js'

vi.mock('../../api/positions.js', () => ({ fetchMarks: vi.fn() }))
vi.mock('../../websocket/socket.js', () => ({ subscribe: vi.fn(), onReconnect: vi.fn() }))

const mark = (id, price, pnl) => ({ id, price, value: '500', unrealized_pnl: pnl, unrealized_pnl_pct: '0.25' })
let handlers

beforeEach(() => {
  setActivePinia(createPinia())
  vi.resetAllMocks()
  handlers = {}
  subscribe.mockImplementation((kind, fn) => {
    handlers[kind] = fn
    return () => delete handlers[kind]
  })
  onReconnect.mockImplementation((fn) => {
    handlers.reconnect = fn
    return () => delete handlers.reconnect
  })
})

describe('marks store', () => {
  it('reads the figures of the server (no arithmetic in the browser) and re-reads on each candle wave', async () => {
    positionsApi.fetchMarks.mockResolvedValue([mark(1, '50123.45', '1.2345')])
    const store = useMarksStore()
    store.start()
    await store.load({ broker: 3 })
    expect(positionsApi.fetchMarks).toHaveBeenCalledWith({ broker: 3 })
    expect(store.marks[1].unrealized_pnl).toBe('1.2345')

    positionsApi.fetchMarks.mockResolvedValue([mark(1, '50200', '2')])
    handlers.candles({ candles: [] })
    await vi.waitFor(() => expect(store.marks[1].price).toBe('50200'))

    positionsApi.fetchMarks.mockResolvedValue([])
    handlers.position({ id: 1, status: 'closed' })
    await vi.waitFor(() => expect(store.marks).toEqual({}))
    handlers.reconnect()
    await vi.waitFor(() => expect(positionsApi.fetchMarks).toHaveBeenCalledTimes(4))
  })

  it('makes one request for a burst of messages, and keeps going after a failure', async () => {
    let answer
    positionsApi.fetchMarks.mockImplementation(() => new Promise((resolve) => (answer = resolve)))
    const store = useMarksStore()
    store.start()
    const loading = store.load({ source: 'strategy' })
    handlers.candles({})
    handlers.position({})
    handlers.position({})
    answer([mark(2, '10', '0')])
    await vi.waitFor(() => expect(positionsApi.fetchMarks).toHaveBeenCalledTimes(2))
    answer([mark(2, '11', '1')])
    await loading
    expect(store.marks[2].price).toBe('11')

    positionsApi.fetchMarks.mockRejectedValue(new Error('Erreur de connexion'))
    handlers.candles({})
    await vi.waitFor(() => expect(positionsApi.fetchMarks).toHaveBeenCalledTimes(3))
    expect(store.marks[2].price).toBe('11')
  })

  it('asks nothing once stopped', () => {
    const store = useMarksStore()
    store.start()
    store.stop()
    expect(handlers).toEqual({})
  })
})
