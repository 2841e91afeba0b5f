import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import BrokerModal from '../BrokerModal.vue'
import { exchanges, json, routeFetch } from './fixtures.js'

let fetchMock
let wrapper

async function mountModal(props = {}) {
  wrapper = mount(BrokerModal, { props, global: { plugins: [createPinia()] }, attachTo: document.body })
  await flushPromises()
}

const byTest = (id) => wrapper.find(`[data-testid=${id}]`)
const bodyOf = (method, url) =>
  JSON.parse(fetchMock.mock.calls.find(([u, o]) => u === url && o.method === method)[1].body)

beforeEach(() => {
  fetchMock = vi.fn(
    routeFetch({
      'GET /api/brokers/exchanges/': exchanges,
      'GET /api/brokers/': [],
      'GET /api/brokers/3/': { id: 3, name: 'Principal', exchange: 'binance', description: 'Sous-compte01',
        api_key_masked: 'KEY-••••1234', api_secret_masked: '••••5678', api_password_masked: '', is_testnet: false,
        is_default: true,
        paper_starting_balance: '10000.00000000' },
      'GET /api/brokers/4/': { id: 4, name: 'Ancien', exchange: 'binance', description: '', api_key_masked: '',
        api_secret_masked: '', api_password_masked: '', unreadable_secrets: ['api_key', 'api_secret'], is_testnet: false,
        is_default: false, paper_starting_balance: '10000' },
      'POST /api/brokers/test/': { ok: true, balances: { USDT: { free: '900', used: '100', total: '1000' } } },
      'POST /api/brokers/': (options) => json({ id: 9, ...JSON.parse(options.body) }, 201),
      'PUT /api/brokers/3/': { id: 3 },
      'POST /api/brokers/3/reveal/': (options) =>
        JSON.parse(options.body).password === 'bon-mot-de-passe'
          ? json({ api_key: 'KEY-abcd-1234', api_secret: 'SECRET-efgh-5678', api_password: '' })
          : json({ detail: 'Mot de passe incorrect : clés non affichées.' }, 400),
    }),
  )
  vi.stubGlobal('fetch', fetchMock)
})

afterEach(() => {
  wrapper?.unmount()
  vi.unstubAllGlobals()
})

describe('BrokerModal', () => {
  it('marks credentials the server can no longer read as to be typed again', async () => {
    await mountModal({ brokerId: 4 })
    expect(byTest('broker-api_key').attributes('placeholder')).toBe('illisible, à ressaisir')
    expect(byTest('broker-api_secret').element.value).toBe('')
  })

  it('asks for the credentials the chosen exchange needs', async () => {
    await mountModal()
    expect(byTest('broker-api_key').exists()).toBe(true)
    expect(byTest('broker-api_password').exists()).toBe(false)

    await byTest('broker-exchange').setValue('kucoin')
    expect(byTest('broker-api_password').exists()).toBe(true)

    await byTest('broker-exchange').setValue('paper')
    expect(byTest('broker-api_key').exists()).toBe(false)
    expect(byTest('broker-balance').element.value).toBe('10000')
    expect(byTest('broker-testnet').exists()).toBe(false)
  })

  it('disables testnet for an exchange without sandbox', async () => {
    await mountModal()
    await byTest('broker-testnet').setValue(true)
    await byTest('broker-exchange').setValue('kraken')
    await byTest('broker-exchange').trigger('change')

    expect(byTest('broker-testnet').element.disabled).toBe(true)
    expect(byTest('broker-testnet').element.checked).toBe(false)
    expect(wrapper.text()).toContain('pas de testnet pour Kraken')
  })

  it('tests the connection before saving and shows the balances', async () => {
    await mountModal()
    await byTest('broker-api_key').setValue('good-key')
    await byTest('broker-api_secret').setValue('good-secret')
    await byTest('broker-test').trigger('click')
    await flushPromises()

    expect(bodyOf('POST', '/api/brokers/test/')).toMatchObject({ exchange: 'binance', api_key: 'good-key' })
    expect(byTest('broker-test-result').text()).toContain('USDT : 1000')
    expect(fetchMock.mock.calls.some(([u, o]) => u === '/api/brokers/' && o.method === 'POST')).toBe(false)
  })

  it("shows the exchange's French error when the test fails", async () => {
    await mountModal()
    fetchMock.mockImplementationOnce(async () =>
      json({ detail: 'Erreur de connexion à Binance : Invalid API-key.', code: 'AuthenticationFailed' }, 502),
    )
    await byTest('broker-test').trigger('click')
    await flushPromises()

    expect(byTest('broker-test-error').text()).toBe('Erreur de connexion à Binance : Invalid API-key.')
    expect(byTest('broker-test-result').exists()).toBe(false)
  })

  it('edits a broker with its keys masked: empty fields keep them, then emits saved', async () => {
    await mountModal({ brokerId: 3 })
    expect(byTest('broker-api_key').element.value).toBe('')
    expect(byTest('broker-api_key').attributes('placeholder')).toBe('KEY-••••1234 (vide = garder)')
    expect(byTest('broker-api_secret').attributes('placeholder')).toBe('••••5678 (vide = garder)')

    await byTest('broker-description').setValue('Sous-compte02')
    await byTest('broker-save').trigger('submit')
    await flushPromises()

    expect(bodyOf('PUT', '/api/brokers/3/')).toMatchObject({ description: 'Sous-compte02', api_secret: '' })
    expect(wrapper.emitted('saved')).toHaveLength(1)
  })

  it('reveals the keys once the account password is given', async () => {
    await mountModal({ brokerId: 3 })
    await byTest('broker-reveal').trigger('click')
    await byTest('broker-reveal-password').setValue('mauvais')
    await byTest('broker-reveal-confirm').trigger('click')
    await flushPromises()
    expect(byTest('broker-reveal-error').text()).toBe('Mot de passe incorrect : clés non affichées.')
    expect(byTest('broker-api_secret').element.value).toBe('')

    await byTest('broker-reveal-password').setValue('bon-mot-de-passe')
    await byTest('broker-reveal-confirm').trigger('click')
    await flushPromises()
    expect(byTest('broker-api_key').element.value).toBe('KEY-abcd-1234')
    expect(byTest('broker-api_secret').element.value).toBe('SECRET-efgh-5678')
    expect(byTest('broker-reveal-password').exists()).toBe(false)
  })

  it('keeps the modal open with the error when saving is refused', async () => {
    await mountModal()
    fetchMock.mockImplementationOnce(async () => json({ detail: 'Binance demande le secret.' }, 400))
    await byTest('broker-save').trigger('submit')
    await flushPromises()

    expect(byTest('broker-save-error').text()).toBe('Binance demande le secret.')
    expect(wrapper.emitted('saved')).toBeUndefined()

    await byTest('broker-api_secret').setValue('SECRET')
    expect(byTest('broker-save-error').exists()).toBe(false) // le champ corrigé efface le refus
  })
})
