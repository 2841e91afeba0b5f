import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import BrokersSection from '../BrokersSection.vue'
import { exchanges, json, routeFetch } from './fixtures.js'

const brokers = [
  { id: 1, name: 'Principal', exchange: 'binance', description: 'Sous-compte01', api_key_masked: 'cleA••••3456',
    is_default: false, is_testnet: false },
  { id: 2, name: 'Démo', exchange: 'paper', description: '', api_key_masked: '', is_default: true, is_testnet: false },
]
let fetchMock
let wrapper

const byTest = (id) => wrapper.find(`[data-testid=${id}]`)
const sent = () => fetchMock.mock.calls.filter(([, o]) => o.method !== 'GET').map(([u, o]) => `${o.method} ${u}`)

beforeEach(async () => {
  fetchMock = vi.fn(
    routeFetch({
      'GET /api/brokers/exchanges/': exchanges,
      'GET /api/brokers/': brokers,
      'DELETE /api/brokers/1/': () => new Response(null, { status: 204 }),
      'POST /api/brokers/1/reload-markets/': () => json({ detail: 'Chargement des paires de Binance…' }, 202),
      'PUT /api/accounts/preferences/': (options) => json({ theme: 'dark', ...JSON.parse(options.body) }),
    }),
  )
  vi.stubGlobal('fetch', fetchMock)
  wrapper = mount(BrokersSection, { global: { plugins: [createPinia()] } })
  await flushPromises()
})

afterEach(() => {
  wrapper.unmount()
  vi.unstubAllGlobals()
})

describe('BrokersSection', () => {
  it('lists exchange, name, description, masked key and default as in the mock-up', () => {
    const rows = wrapper.findAll('[data-testid=broker-row]').map((row) => row.findAll('td').map((td) => td.text()))
    expect(rows[0].slice(0, 5)).toEqual(['BINANCE', 'Principal', 'Sous-compte01', 'cleA••••3456', 'non'])
    expect(rows[1].slice(0, 5)).toEqual(['PAPER', 'Démo', '', '—', 'oui'])
    expect(byTest('default-broker').element.value).toBe('2')
  })

  it('deletes only after confirmation', async () => {
    await byTest('broker-delete').trigger('click')
    expect(sent()).toEqual([])

    await byTest('broker-delete-confirm').trigger('click')
    await flushPromises()
    expect(sent()).toEqual(['DELETE /api/brokers/1/'])
  })

  it('asks for a markets reload without waiting for it', async () => {
    await byTest('broker-reload').trigger('click')
    await flushPromises()
    expect(sent()).toEqual(['POST /api/brokers/1/reload-markets/'])
    expect(byTest('brokers-error').exists()).toBe(false)
  })

  it('changes the default broker from the selector', async () => {
    await byTest('default-broker').setValue('1')
    await flushPromises()
    expect(sent()).toEqual(['PUT /api/accounts/preferences/'])
    expect(JSON.parse(fetchMock.mock.calls.find(([, o]) => o.method === 'PUT')[1].body)).toEqual({ default_broker: 1 })
  })

  it('opens the modal to add a broker', async () => {
    await byTest('broker-add').trigger('click')
    await flushPromises()
    expect(byTest('broker-modal').text()).toContain('Ajouter un broker')
  })
})
