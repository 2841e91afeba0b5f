import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as positionsApi from '../../api/positions.js'
import { subscribe } from '../../websocket/socket.js'
import { usePositionsStore } from '../positions.js'

vi.mock('../../api/positions.js', () => ({ fetchPositions: vi.fn(), closePosition: vi.fn(), fetchPosition: vi.fn() }))
vi.mock('../../websocket/socket.js', () => ({ subscribe: vi.fn(), onReconnect: vi.fn(() => () => {}) }))

const position = (id, fields = {}) => ({ id, broker: 3, broker_name: 'Démo', symbol: 'BTC/USDT', source: 'manual',
  status: 'open', quantity: '0.00999', entry_price: '50000', stop_loss: '45000', take_profit: '60000',
  protection: 'oco', protection_label: "sur l'exchange (OCO)", realized_pnl: null, ...fields })
const closed = (id, fields = {}) => position(id, { status: 'closed', exit_price: '51000', exit_reason: 'manual',
  exit_reason_label: 'clôture manuelle', realized_pnl: '9.99', realized_pnl_pct: '2', ...fields })

beforeEach(() => {
  setActivePinia(createPinia())
  vi.resetAllMocks()
  positionsApi.fetchPositions.mockImplementation(async ({ status }) =>
    status === 'open' ? { count: 1, results: [position(1)] } : { count: 1, results: [closed(2)] },
  )
})

describe('positions store', () => {
  it('loads the open and closed positions of the broker', async () => {
    const store = usePositionsStore()
    await store.load({ broker: 3 })

    expect(positionsApi.fetchPositions.mock.calls.map(([filters]) => filters)).toEqual([
      { broker: 3, status: 'open' },
      { broker: 3, status: 'closed', page: 1 },
    ])
    expect(store.open.map((p) => p.id)).toEqual([1])
    expect(store.closed.map((p) => p.id)).toEqual([2])
    expect(store.closedCount).toBe(1)
  })

  it('shows a pushed new position, replaces an updated one and moves a closed one to the history', async () => {
    const store = usePositionsStore()
    await store.load({ broker: 3 })

    store.receive(position(5, { symbol: 'ETH/USDT', status: 'opening' }))
    expect(store.open.map((p) => [p.id, p.status])).toEqual([[5, 'opening'], [1, 'open']])

    store.receive(position(5, { symbol: 'ETH/USDT', status: 'open', quantity: '0.5' }))
    expect(store.open.map((p) => [p.id, p.quantity])).toEqual([[5, '0.5'], [1, '0.00999']])

    store.receive(closed(1))
    expect(store.open.map((p) => p.id)).toEqual([5])
    expect(store.closed.map((p) => p.id)).toEqual([1, 2])
    expect(store.closedCount).toBe(2)

    store.receive(closed(1, { realized_pnl: '10.5' }))
    expect(store.closed.map((p) => [p.id, p.realized_pnl])).toEqual([[1, '10.5'], [2, '9.99']])
    expect(store.closedCount).toBe(2)
  })

  it('drops a failed position and ignores the positions of another broker or before any load', async () => {
    const store = usePositionsStore()
    store.receive(position(8))
    expect(store.open).toEqual([])

    await store.load({ broker: 3 })
    store.receive(position(9, { broker: 99 }))
    store.receive(position(1, { status: 'failed' }))

    expect(store.open).toEqual([])
    expect(store.closed.map((p) => p.id)).toEqual([2])
  })

  it('does not add a closed position to a later page of the history', async () => {
    const store = usePositionsStore()
    await store.load({ broker: 3 })
    await store.loadClosed(2)

    store.receive(closed(7))

    expect(positionsApi.fetchPositions).toHaveBeenLastCalledWith({ broker: 3, status: 'closed', page: 2 })
    expect(store.closed.map((p) => p.id)).toEqual([2])
    expect(store.closedPage).toBe(2)
  })

  it('closes a position through the API and shows what it returns', async () => {
    positionsApi.closePosition.mockResolvedValue(closed(1))
    const store = usePositionsStore()
    await store.load({ broker: 3 })

    const answer = await store.close(1)

    expect(positionsApi.closePosition).toHaveBeenCalledWith(1)
    expect(answer.status).toBe('closed')
    expect(store.open).toEqual([])
    expect(store.closed.map((p) => p.id)).toEqual([1, 2])
  })

  it('rejects a refused close with its French reason and keeps the position open', async () => {
    positionsApi.closePosition.mockRejectedValue(new Error('Position déjà en cours de clôture.'))
    const store = usePositionsStore()
    await store.load({ broker: 3 })

    await expect(store.close(1)).rejects.toThrow('Position déjà en cours de clôture.')
    expect(store.open.map((p) => p.id)).toEqual([1])
  })

  it('listens to « position » messages until stopped', async () => {
    const unsubscribe = vi.fn()
    let handler = null
    subscribe.mockImplementation((kind, fn) => {
      if (kind === 'position') handler = fn
      return unsubscribe
    })
    const store = usePositionsStore()
    await store.load({ broker: 3 })
    store.start()
    store.start()
    expect(subscribe).toHaveBeenCalledTimes(1)

    handler(closed(1))
    expect(store.open).toEqual([])
    store.stop()
    expect(unsubscribe).toHaveBeenCalled()
  })
})
