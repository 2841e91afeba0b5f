import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useBrokersStore } from '../brokers.js'

const broker = { id: 7, name: 'Démo', exchange: 'paper', is_default: true }
let fetchMock

const json = (body, status = 200) => new Response(JSON.stringify(body), { status })
const calls = () => fetchMock.mock.calls.map(([url, options]) => `${options.method} ${url}`)

beforeEach(() => {
  setActivePinia(createPinia())
  fetchMock = vi.fn(async (url, options) => {
    if (options.method === 'DELETE') return new Response(null, { status: 204 })
    if (url === '/api/accounts/preferences/') return json({ ...JSON.parse(options.body), theme: 'dark' })
    if (url === '/api/brokers/' && options.method === 'GET') return json([broker])
    return json(broker, options.method === 'POST' ? 201 : 200)
  })
  vi.stubGlobal('fetch', fetchMock)
})

afterEach(() => vi.unstubAllGlobals())

describe('brokers store', () => {
  it('creates without id, updates with id, and reloads the list each time', async () => {
    const store = useBrokersStore()
    await store.save({ id: null, name: 'Démo', exchange: 'paper' })
    await store.save({ id: 7, name: 'Démo 2', exchange: 'paper' })

    expect(calls()).toEqual(['POST /api/brokers/', 'GET /api/brokers/', 'PUT /api/brokers/7/', 'GET /api/brokers/'])
    expect(JSON.parse(fetchMock.mock.calls[2][1].body)).toEqual({ name: 'Démo 2', exchange: 'paper' })
    expect(store.defaultBroker).toEqual(broker)
  })

  it('sets the default broker through the preferences, then reloads', async () => {
    const store = useBrokersStore()
    await store.setDefault(7)

    expect(calls()).toEqual(['PUT /api/accounts/preferences/', 'GET /api/brokers/'])
    expect(JSON.parse(fetchMock.mock.calls[0][1].body)).toEqual({ default_broker: 7 })
  })

  it('deletes then reloads', async () => {
    const store = useBrokersStore()
    await store.remove(7)
    expect(calls()).toEqual(['DELETE /api/brokers/7/', 'GET /api/brokers/'])
  })

  it('rejects with the French message of a refused deletion', async () => {
    fetchMock.mockImplementationOnce(async () => json({ detail: 'Le broker « Démo » a des trades enregistrés.' }, 400))
    await expect(useBrokersStore().remove(7)).rejects.toThrow('Le broker « Démo » a des trades enregistrés.')
  })
})
