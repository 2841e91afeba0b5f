import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as api from '../../api/activeStrategies.js'
import { activation } from '../../components/bot/__tests__/fixtures.js'
import { connect, disconnect } from '../../websocket/socket.js'
import { useActiveStrategiesStore } from '../activeStrategies.js'

vi.mock('../../api/activeStrategies.js')

class MockWebSocket {
  static last = null

  constructor() {
    MockWebSocket.last = this
  }

  close() {}
}

const push = (type, data) => MockWebSocket.last.onmessage({ data: JSON.stringify({ type, data }) })
let store

beforeEach(() => {
  setActivePinia(createPinia())
  vi.stubGlobal('WebSocket', MockWebSocket)
  api.fetchActiveStrategies.mockResolvedValue([activation(1), activation(2)])
  store = useActiveStrategiesStore()
  store.start()
  connect()
})

afterEach(() => {
  store.stop()
  disconnect()
  vi.unstubAllGlobals()
  vi.resetAllMocks()
})

describe('active strategies store', () => {
  it('loads the activations newest first', async () => {
    await store.load()

    expect(store.activations.map((row) => row.id)).toEqual([2, 1])
  })

  it('replaces an activation pushed over the WebSocket and adds a new one on top', async () => {
    await store.load()
    push('active_strategy', activation(1, { state: 'suspended', updated_at: '2026-12-01T09:05:00Z' }))
    push('active_strategy', activation(3))

    expect(store.activations.map((row) => [row.id, row.state])).toEqual([
      [3, 'running'],
      [2, 'running'],
      [1, 'suspended'],
    ])
  })

  it('ignores a pushed version older than the one shown', async () => {
    await store.load()
    push('active_strategy', activation(1, { current_balance: '990', updated_at: '2026-12-01T09:10:00Z' }))
    push('active_strategy', activation(1, { current_balance: '1000', updated_at: '2026-12-01T09:09:00Z' }))

    expect(store.activations.find((row) => row.id === 1).current_balance).toBe('990')
  })

  it('keeps the live decision of each activation, newer than the recorded one', async () => {
    await store.load()
    push('strategy_decision', { active_strategy: 2, action: 'long', message: 'Croisement haussier', at: '2026-12-01T09:10:00Z' })

    const [two, one] = store.activations
    expect(store.lastDecision(two)).toEqual({
      active_strategy: 2, action: 'long', message: 'Croisement haussier', at: '2026-12-01T09:10:00Z',
    })
    expect(store.lastDecision(one)).toBeNull()
  })

  it('prefers the recorded decision when the activation carries a newer one', async () => {
    push('strategy_decision', { active_strategy: 1, action: 'long', message: 'Achat', at: '2026-12-01T09:10:00Z' })
    push('active_strategy', activation(1, { last_decision: 'Rien à faire', last_decision_at: '2026-12-01T09:11:00Z' }))

    expect(store.lastDecision(store.activations[0])).toEqual({
      action: null, message: 'Rien à faire', at: '2026-12-01T09:11:00Z',
    })
  })

  it('stops listening once stopped', async () => {
    await store.load()
    store.stop()
    push('active_strategy', activation(9))

    expect(store.activations.map((row) => row.id)).toEqual([2, 1])
  })

  it('shows what each action answers', async () => {
    await store.load()
    api.stopActiveStrategy.mockResolvedValue(activation(1, { state: 'stopped', updated_at: '2026-12-01T10:00:00Z' }))
    api.createActiveStrategy.mockResolvedValue(activation(4))

    await store.halt(1, { sell: true })
    await store.activate({ strategy: 7 })

    expect(api.stopActiveStrategy).toHaveBeenCalledWith(1, true)
    expect(store.activations.map((row) => [row.id, row.state])).toEqual([
      [4, 'running'],
      [2, 'running'],
      [1, 'stopped'],
    ])
  })

  it('leaves the open-trade choice to the server unless told', async () => {
    api.stopActiveStrategy.mockResolvedValue(activation(1, { state: 'stopped' }))

    await store.halt(1)

    expect(api.stopActiveStrategy).toHaveBeenCalledWith(1, undefined)
  })
})
