import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { json, routeFetch } from '../../brokers/__tests__/fixtures.js'
import { useAuthStore } from '../../../stores/auth.js'
import { useBacktestsStore } from '../../../stores/backtests.js'
import { useBrokersStore } from '../../../stores/brokers.js'
import { useStrategiesStore } from '../../../stores/strategies.js'
import BacktestForm from '../BacktestForm.vue'
import { run } from './fixtures.js'

const markets = { count: 2, results: [{ id: 1, symbol: 'BTC/USDT', active: true }, { id: 2, symbol: 'ETH/USDT', active: true }] }
let coverage = { exchange: 'binance', downloads_missing: false, periods: [] }
let wrapper
let fetchMock
let pinia
const byTest = (id) => wrapper.get(`[data-testid=${id}]`)
const posts = () => fetchMock.mock.calls.filter(([url, o]) => url === '/api/backtests/' && o.method === 'POST')

async function fill(values) {
  for (const [id, value] of Object.entries(values)) await byTest(id).setValue(value)
}

beforeEach(async () => {
  coverage = { exchange: 'binance', downloads_missing: false, periods: [] }
  const backend = routeFetch({
    'POST /api/backtests/': (options) => json({ ...run(9, JSON.parse(options.body)), status: 'queued' }, 202),
  })
  fetchMock = vi.fn(async (url, options) => {
    if (url.startsWith('/api/markets/')) return json(markets)
    if (url.startsWith('/api/backtests/coverage/')) return json(coverage)
    return backend(url, options)
  })
  vi.stubGlobal('fetch', fetchMock)
  pinia = createPinia()
  useAuthStore(pinia).user = { id: 1, display_timezone: 'Europe/Paris' }
  useStrategiesStore(pinia).strategies = [
    { id: 5, name: 'Brouillon', timeframe: '4h', is_valid: false }, { id: 3, name: 'RSI', timeframe: '1h', is_valid: true },
    { id: 4, name: 'SMA cross', timeframe: '15m', is_valid: true },
  ]
  useBrokersStore(pinia).brokers = [
    { id: 1, name: 'Binance', market_source: 'binance', is_default: false },
    { id: 2, name: 'Paper trading', market_source: 'paper', is_default: true },
  ]
  wrapper = mount(BacktestForm, { global: { plugins: [pinia] } })
  await flushPromises()
})

afterEach(() => vi.unstubAllGlobals())

describe('BacktestForm', () => {
  it('preselects the first tested strategy and the default broker, and suggests that broker pairs', () => {
    expect(byTest('bt-strategy').element.value).toBe('3')
    expect(byTest('bt-broker').element.value).toBe('2')
    expect(fetchMock.mock.calls.some(([url]) => url === '/api/markets/?exchange=paper&search=BTC&page_size=50')).toBe(true)
    expect(wrapper.findAll('datalist option').map((o) => o.attributes('value'))).toEqual(['BTC/USDT', 'ETH/USDT'])
  })

  it('starts on the timeframe of the preselected strategy', () => {
    expect(byTest('bt-timeframe').element.value).toBe('1h')
    expect(fetchMock.mock.calls.some(([url]) => url === '/api/backtests/coverage/?broker=2&symbol=BTC%2FUSDT&timeframe=1h')).toBe(true)
    expect(byTest('bt-coverage-none').text()).toBe('Aucune bougie BTC/USDT 1h enregistrée.')
    expect(byTest('bt-coverage-paper').exists()).toBe(true)
  })

  it('starts on the last 30 days of the latest stored period and lists the periods', async () => {
    coverage = {
      exchange: 'binance', downloads_missing: false, periods: [
        { start: '2024-01-01T00:00:00Z', end: '2024-03-01T00:00:00Z', candles: 1440 },
        { start: '2023-06-01T00:00:00Z', end: '2023-06-02T00:00:00Z', candles: 24 },
      ],
    }
    await byTest('bt-timeframe').setValue('5m')
    await flushPromises()
    expect(byTest('bt-start').element.value).toBe('2024-01-31T01:00')
    expect(byTest('bt-end').element.value).toBe('2024-03-01T01:00')
    expect(wrapper.findAll('[data-testid=bt-coverage-period]').map((b) => b.text())).toEqual([
      'du 2024-01-01 01:00 au 2024-03-01 01:00', 'du 2023-06-01 02:00 au 2023-06-02 02:00',
    ])
    expect(byTest('bt-coverage-paper').text()).toBe('Broker paper : seules les bougies enregistrées servent.')
    await wrapper.findAll('[data-testid=bt-coverage-period]')[1].trigger('click')
    expect(byTest('bt-start').element.value).toBe('2023-06-01T02:00')
    coverage = { ...coverage, downloads_missing: true, periods: [{ start: '2022-01-01T00:00:00Z', end: '2022-02-01T00:00:00Z', candles: 9 }] }
    await byTest('bt-timeframe').setValue('15m')
    await flushPromises()
    expect(byTest('bt-start').element.value).toBe('2023-06-01T02:00') // dates choisies : gardées
    expect(byTest('bt-coverage-download').text()).toBe('Les bougies manquantes de la période seront téléchargées depuis binance.')
  })

  it('takes the timeframe of a newly chosen strategy', async () => {
    await byTest('bt-strategy').setValue('4')
    expect(byTest('bt-timeframe').element.value).toBe('15m')
  })

  it('shows French messages and sends nothing while the form is wrong', async () => {
    await fill({ 'bt-symbol': 'BTCUSDT', 'bt-start': '2025-02-01T00:00', 'bt-end': '2025-01-01T00:00', 'bt-amount': '0', 'bt-fee': '2' })
    await byTest('bt-form').trigger('submit')
    await flushPromises()

    expect(byTest('bt-error-symbol').text()).toBe('Paire au format BASE/COTATION, par exemple BTC/USDT.')
    expect(byTest('bt-error-end').text()).toBe('La date de fin doit suivre la date de début.')
    expect(byTest('bt-error-initial_amount').text()).toBe('Montant de départ : un nombre positif (ex. 10000).')
    expect(byTest('bt-error-fee').text()).toBe('Frais : une fraction de 0 à 0.1 exclu (0.001 = 0,1 %).')
    expect(posts()).toHaveLength(0)
  })

  it('clears the message of a field once it is corrected', async () => {
    await fill({ 'bt-amount': '0', 'bt-symbol': 'BTCUSDT' })
    await byTest('bt-form').trigger('submit')
    await flushPromises()
    expect(wrapper.find('[data-testid=bt-error-initial_amount]').exists()).toBe(true)
    await fill({ 'bt-amount': '500' })
    expect(wrapper.find('[data-testid=bt-error-initial_amount]').exists()).toBe(false)
    expect(wrapper.find('[data-testid=bt-error-symbol]').exists()).toBe(true)
  })

  it('refuses a pair the broker does not list', async () => {
    await fill({ 'bt-symbol': 'DOGE/USDT' })
    await byTest('bt-form').trigger('submit')
    await flushPromises()

    expect(byTest('bt-error-symbol').text()).toBe('Paire inconnue chez Paper trading (MAJ paires dans Mon compte).')
    expect(posts()).toHaveLength(0)
  })

  it('sends the dates entered in the user zone as UTC, with the options', async () => {
    await fill({
      'bt-symbol': 'eth/usdt', 'bt-timeframe': '5m', 'bt-start': '2025-01-10T00:00', 'bt-end': '2025-07-10T12:30',
      'bt-amount': '2500', 'bt-fee': '0.00075',
    })
    await byTest('bt-allow-gaps').setValue(true)
    await byTest('bt-form').trigger('submit')
    await flushPromises()

    expect(JSON.parse(posts()[0][1].body)).toEqual({
      strategy: 3, broker: 2, symbol: 'ETH/USDT', timeframe: '5m', start: '2025-01-09T23:00:00.000Z',
      end: '2025-07-10T10:30:00.000Z', initial_amount: '2500', fee: '0.00075', allow_gaps: true,
    })
    expect(useBacktestsStore(pinia).current).toMatchObject({ id: 9, status: 'queued' })
  })

  it('says the fee as a French percentage', async () => {
    await fill({ 'bt-fee': '0.00075' })
    expect(byTest('bt-fee-hint').text()).toBe('soit 0,075 % par exécution')
  })

  it('leaves the fee out when empty, so the market fee applies', async () => {
    await fill({ 'bt-start': '2025-01-10T00:00', 'bt-end': '2025-01-11T00:00' })
    await byTest('bt-form').trigger('submit')
    await flushPromises()

    expect(JSON.parse(posts()[0][1].body)).not.toHaveProperty('fee')
  })

  it('is refilled by « Relancer » with the run dates shown in the user zone', async () => {
    useBacktestsStore(pinia).rerun(run(5, { strategy: 4, broker: 1, symbol: 'ETH/USDT', timeframe: '1h', fee: '0.002' }))
    await flushPromises()

    expect(byTest('bt-strategy').element.value).toBe('4')
    expect(byTest('bt-broker').element.value).toBe('1')
    expect(byTest('bt-symbol').element.value).toBe('ETH/USDT')
    expect(byTest('bt-timeframe').element.value).toBe('1h')
    expect(byTest('bt-start').element.value).toBe('2025-01-01T01:00')
    expect(byTest('bt-end').element.value).toBe('2025-01-02T01:00')
    expect(byTest('bt-fee').element.value).toBe('0.002')
  })
})
