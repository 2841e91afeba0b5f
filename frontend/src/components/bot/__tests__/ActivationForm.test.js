import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as activeApi from '../../../api/activeStrategies.js'
import { ApiError } from '../../../api/client.js'
import * as tradingApi from '../../../api/trading.js'
import { useAuthStore } from '../../../stores/auth.js'
import ActivationForm from '../ActivationForm.vue'
import { activation } from './fixtures.js'

vi.mock('../../../api/activeStrategies.js')
vi.mock('../../../api/trading.js')

const strategies = [
  { id: 7, name: 'SMA croisées', timeframe: '5m', is_valid: true },
  { id: 8, name: 'Brouillon', timeframe: '1h', is_valid: false },
  { id: 9, name: 'RSI', timeframe: '1h', is_valid: true },
]
const brokers = [
  { id: 1, name: 'Binance test', exchange: 'binance', market_source: 'binance-testnet', is_testnet: true, is_default: false },
  { id: 2, name: 'Paper trading', exchange: 'paper', market_source: 'paper', is_testnet: false, is_default: true },
]
const market = (id, symbol, active = true) => ({ id, symbol, active })
let wrapper

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(new Date('2026-12-01T10:00:00Z'))
  tradingApi.fetchMarkets.mockImplementation(async ({ exchange }) => ({
    count: 3,
    results: exchange === 'paper'
      ? [market(1, 'BTC/USDT'), market(2, 'ETH/USDT'), market(3, 'OLD/USDT', false)]
      : [market(4, 'LTC/BTC')],
  }))
})

afterEach(() => {
  wrapper.unmount()
  vi.useRealTimers()
  vi.resetAllMocks()
})

async function mountForm() {
  const pinia = createPinia()
  useAuthStore(pinia).user = { id: 1, username: 'alice', display_timezone: 'Europe/Paris' }
  wrapper = mount(ActivationForm, {
    props: { strategies, brokers },
    global: { plugins: [pinia], stubs: { RouterLink: true } },
  })
  await flushPromises()
}

async function fillValid() {
  await wrapper.get('[data-testid=bot-strategy]').setValue(7)
  await wrapper.get('[data-testid=bot-pair]').setValue('BTC/USDT')
  await wrapper.get('[data-testid=bot-end]').setValue('2026-12-24T18:00')
  await wrapper.get('[data-testid=bot-amount]').setValue('250,5')
}

const problems = () => wrapper.findAll('[data-testid=activation-problems] li').map((li) => li.text())

describe('ActivationForm', () => {
  it('offers only the valid strategies and the default broker\'s pairs, and starts now in the user\'s zone', async () => {
    await mountForm()

    expect(wrapper.findAll('[data-testid=bot-strategy] option').map((o) => o.text())).toEqual([
      '— choisir —', 'SMA croisées', 'RSI',
    ])
    expect(wrapper.get('[data-testid=bot-broker]').element.value).toBe('2')
    expect(tradingApi.fetchMarkets).toHaveBeenCalledWith({ exchange: 'paper', search: '', page_size: 50 })
    expect(wrapper.findAll('[data-testid=bot-pair] option').slice(1).map((o) => o.text())).toEqual(['BTC/USDT', 'ETH/USDT'])
    expect(wrapper.get('[data-testid=bot-start]').element.value).toBe('2026-12-01T11:00')
  })

  it('takes the chosen strategy\'s timeframe by default, which can be changed', async () => {
    await mountForm()
    await wrapper.get('[data-testid=bot-strategy]').setValue(9)
    expect(wrapper.get('[data-testid=bot-timeframe]').element.value).toBe('1h')

    await wrapper.get('[data-testid=bot-timeframe]').setValue('15m')
    expect(wrapper.get('[data-testid=bot-timeframe]').element.value).toBe('15m')
  })

  it('loads the other broker\'s pairs and forgets the pair chosen on the first one', async () => {
    await mountForm()
    await wrapper.get('[data-testid=bot-pair]').setValue('BTC/USDT')
    await wrapper.get('[data-testid=bot-broker]').setValue(1)
    await flushPromises()

    expect(tradingApi.fetchMarkets).toHaveBeenLastCalledWith({ exchange: 'binance-testnet', search: '', page_size: 50 })
    expect(wrapper.get('[data-testid=bot-pair]').element.value).toBe('')
  })

  it('searches the pairs', async () => {
    await mountForm()
    await wrapper.get('[data-testid=bot-pair-search]').setValue(' eth ')
    await flushPromises()

    expect(tradingApi.fetchMarkets).toHaveBeenLastCalledWith({ exchange: 'paper', search: 'eth', page_size: 50 })
  })

  it('lists every missing field in French and sends nothing', async () => {
    await mountForm()
    await wrapper.get('form').trigger('submit')

    expect(problems()).toEqual([
      'Choisissez une stratégie valide.',
      'Choisissez une paire.',
      'Choisissez une unité de temps.',
      'Indiquez la date de fin.',
      'Saisissez un montant positif (ex. 100 ou 100,5).',
    ])
    expect(activeApi.createActiveStrategy).not.toHaveBeenCalled()
  })

  it('refuses an end before the start, an end already past and a zero or non-numeric amount', async () => {
    await mountForm()
    await fillValid()
    await wrapper.get('[data-testid=bot-end]').setValue('2026-12-01T10:30')
    await wrapper.get('[data-testid=bot-amount]').setValue('0')
    await wrapper.get('form').trigger('submit')
    expect(problems()).toEqual([
      'La date de fin doit suivre la date de début.',
      'Saisissez un montant positif (ex. 100 ou 100,5).',
    ])

    await wrapper.get('[data-testid=bot-start]').setValue('2026-11-01T10:00')
    await wrapper.get('[data-testid=bot-amount]').setValue('cent')
    await wrapper.get('form').trigger('submit')
    expect(problems()).toEqual(['La date de fin est déjà passée.', 'Saisissez un montant positif (ex. 100 ou 100,5).'])
    expect(activeApi.createActiveStrategy).not.toHaveBeenCalled()
  })

  it('drops the message of a field as soon as it is corrected', async () => {
    await mountForm()
    await wrapper.get('form').trigger('submit')
    expect(problems()).toHaveLength(5)

    await wrapper.get('[data-testid=bot-amount]').setValue('100')
    expect(problems()).not.toContain('Saisissez un montant positif (ex. 100 ou 100,5).')
    expect(problems()).toHaveLength(4)
    await fillValid()
    expect(wrapper.find('[data-testid=activation-problems]').exists()).toBe(false)
    expect(activeApi.createActiveStrategy).not.toHaveBeenCalled()
  })

  it('sends the dates in UTC and the amount with a dot, then says it is active', async () => {
    activeApi.createActiveStrategy.mockResolvedValue(activation(5))
    await mountForm()
    await fillValid()
    await wrapper.get('form').trigger('submit')
    await flushPromises()

    expect(activeApi.createActiveStrategy).toHaveBeenCalledWith({
      strategy: 7,
      broker: 2,
      symbol: 'BTC/USDT',
      timeframe: '5m',
      start_date: '2026-12-01T10:00:00.000Z',
      end_date: '2026-12-24T17:00:00.000Z',
      initial_amount: '250.5',
    })
    expect(wrapper.get('[data-testid=activation-done]').text()).toBe('SMA croisées activée sur BTC/USDT (Paper trading).')
  })

  it('shows the server\'s French refusal', async () => {
    activeApi.createActiveStrategy.mockRejectedValue(
      new ApiError(409, 'Une stratégie est déjà active sur BTC/USDT pour ce broker.'),
    )
    await mountForm()
    await fillValid()
    await wrapper.get('form').trigger('submit')
    await flushPromises()

    expect(wrapper.get('[data-testid=activation-error]').text()).toBe('Une stratégie est déjà active sur BTC/USDT pour ce broker.')
    expect(wrapper.find('[data-testid=activation-done]').exists()).toBe(false)
  })

  it('points to the Strategies page when no strategy is valid', async () => {
    const pinia = createPinia()
    wrapper = mount(ActivationForm, {
      props: { strategies: [strategies[1]], brokers },
      global: { plugins: [pinia], stubs: { RouterLink: true } },
    })
    await flushPromises()

    expect(wrapper.get('[data-testid=activation-no-strategy]').text()).toContain('Aucune stratégie valide')
  })
})
