import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { browserTimeZone } from '../../format/datetime.js'
import { formatMoney, setUsdAssets } from '../../format/numbers.js'
import { useAuthStore } from '../auth.js'

const json = (body) => new Response(JSON.stringify(body), { status: 200 })
let fetchMock

beforeEach(() => {
  setActivePinia(createPinia())
  fetchMock = vi.fn(async (url) => (url === '/api/auth/current/'
    ? json({ user: { id: 1, username: 'alice', theme: 'dark', display_timezone: '' }, dev_mode: false,
        usd_assets: ['USD', 'USDT'] })
    : json({})))
  vi.stubGlobal('fetch', fetchMock)
})

afterEach(() => vi.unstubAllGlobals())

describe('auth store', () => {
  it('gives a user who never chose a time zone the zone of the browser, and saves it', async () => {
    const auth = useAuthStore()
    await auth.load()
    await flushPromises()
    expect(auth.user.display_timezone).toBe(browserTimeZone())
    const put = fetchMock.mock.calls.find(([, options]) => options.method === 'PUT')
    expect(put[0]).toBe('/api/accounts/preferences/')
    expect(JSON.parse(put[1].body)).toEqual({ display_timezone: browserTimeZone() })
  })

  it('hands the USD assets of the session to the number formatter', async () => {
    setUsdAssets([]) // avant la session
    expect(formatMoney('12.3456', 'USDT')).toBe('12,3456')
    await useAuthStore().load()
    expect(formatMoney('12.3456', 'USDT')).toBe('12,35')
    expect(formatMoney('12.3456', 'BTC')).toBe('12,3456')
  })
})

describe('auth store in dev mode', () => {
  const dev = { id: 9, username: 'dev', is_dev: true, theme: 'dark', display_timezone: 'UTC' }
  const bob = { id: 2, username: 'bob', is_dev: false, theme: 'light', display_timezone: 'UTC' }

  it('acts as the chosen user, then comes back to dev', async () => {
    fetchMock.mockImplementation(async (url, options) => {
      if (url === '/api/auth/current/') return json({ user: dev, dev_mode: true })
      if (url === '/api/auth/dev/act-as/' && options.method === 'POST') return json({ user: bob, dev_mode: true })
      if (url === '/api/auth/dev/act-as/' && options.method === 'DELETE') return json({ user: dev, dev_mode: true })
      return json({})
    })
    const auth = useAuthStore()
    await auth.load()
    expect(auth.actingAsOther).toBe(false)

    await auth.actAs(2)
    const post = fetchMock.mock.calls.find(([, options]) => options.method === 'POST')
    expect(JSON.parse(post[1].body)).toEqual({ user_id: 2 })
    expect(auth.user.username).toBe('bob')
    expect(auth.actingAsOther).toBe(true)
    expect(document.documentElement.dataset.theme).toBe('light')

    await auth.backToDev()
    expect(auth.user.username).toBe('dev')
    expect(auth.actingAsOther).toBe(false)
  })

  it('keeps the server refusal in French', async () => {
    const refused = { detail: 'Utilisateur introuvable ou désactivé (identifiant 5).' }
    fetchMock.mockImplementation(async () => new Response(JSON.stringify(refused), { status: 404 }))
    await expect(useAuthStore().actAs(5)).rejects.toThrow('Utilisateur introuvable ou désactivé (identifiant 5).')
  })
})
