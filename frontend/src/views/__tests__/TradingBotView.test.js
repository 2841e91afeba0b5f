import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as activeApi from '../../api/activeStrategies.js'
import * as brokersApi from '../../api/brokers.js'
import * as strategiesApi from '../../api/strategies.js'
import * as tradingApi from '../../api/trading.js'
import { activation } from '../../components/bot/__tests__/fixtures.js'
import { useActiveStrategiesStore } from '../../stores/activeStrategies.js'
import { useAuthStore } from '../../stores/auth.js'
import { connect, disconnect } from '../../websocket/socket.js'
import TradingBotView from '../TradingBotView.vue'

vi.mock('../../api/activeStrategies.js')
vi.mock('../../api/brokers.js')
vi.mock('../../api/strategies.js')
vi.mock('../../api/trading.js')

class MockWebSocket {
  static last = null

  constructor() {
    MockWebSocket.last = this
  }

  close() {}
}

const push = (type, data) => MockWebSocket.last.onmessage({ data: JSON.stringify({ type, data }) })
const broker = { id: 2, name: 'Paper trading', exchange: 'paper', market_source: 'paper', is_testnet: false, is_default: true }
let wrapper
let pinia

beforeEach(() => {
  vi.stubGlobal('WebSocket', MockWebSocket)
  brokersApi.fetchBrokers.mockResolvedValue([broker])
  strategiesApi.fetchStrategies.mockResolvedValue([{ id: 7, name: 'SMA croisées', timeframe: '1m', is_valid: true }])
  tradingApi.fetchMarkets.mockResolvedValue({ count: 0, results: [] })
  activeApi.fetchActiveStrategies.mockResolvedValue([
    activation(1, { state: 'stopped', state_label: 'Arrêtée' }),
    activation(2),
  ])
  connect()
})

afterEach(() => {
  wrapper.unmount()
  disconnect()
  vi.unstubAllGlobals()
  vi.resetAllMocks()
})

async function mountView() {
  pinia = createPinia()
  useAuthStore(pinia).user = { id: 1, username: 'alice', display_timezone: 'UTC' }
  wrapper = mount(TradingBotView, { global: { plugins: [pinia], stubs: { RouterLink: true } } })
  await flushPromises()
}

const currentIds = () => wrapper.findAll('[data-testid=activation-list] [data-testid=activation-card]')
  .map((card) => card.attributes('data-id'))

describe('TradingBotView', () => {
  it('shows the running activations and tucks the stopped ones away', async () => {
    await mountView()

    expect(wrapper.find('[data-testid=activation-form]').exists()).toBe(true)
    expect(currentIds()).toEqual(['2'])
    expect(wrapper.get('[data-testid=stopped-activations] summary').text()).toBe('Stratégies arrêtées (1)')
  })

  it('follows the WebSocket: a new activation appears, a stopped one moves away, without asking the server again', async () => {
    await mountView()
    push('active_strategy', activation(3))
    push('active_strategy', activation(2, { state: 'stopped', state_label: 'Arrêtée', updated_at: '2026-12-01T10:00:00Z' }))
    await flushPromises()

    expect(currentIds()).toEqual(['3'])
    expect(wrapper.get('[data-testid=stopped-activations] summary').text()).toBe('Stratégies arrêtées (2)')
    expect(activeApi.fetchActiveStrategies).toHaveBeenCalledTimes(1)
  })

  it('stops listening when the page is left', async () => {
    await mountView()
    wrapper.unmount()
    push('active_strategy', activation(3))
    wrapper = mount({ template: '<div />' })

    expect(useActiveStrategiesStore(pinia).activations.map((row) => row.id)).toEqual([2, 1])
  })

  it('says what to do without a broker', async () => {
    brokersApi.fetchBrokers.mockResolvedValue([])
    activeApi.fetchActiveStrategies.mockResolvedValue([])
    await mountView()

    expect(wrapper.get('[data-testid=no-broker]').text()).toContain('Aucun broker')
    expect(wrapper.get('[data-testid=no-activation]').text()).toBe('Aucune stratégie active.')
  })
})
