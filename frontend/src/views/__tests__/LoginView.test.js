import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { router } from '../../router/index.js'
import { useAuthStore } from '../../stores/auth.js'
import LoginView from '../LoginView.vue'

const dev = { id: 9, username: 'dev', is_dev: true, theme: 'dark', display_timezone: 'UTC' }
const bob = { id: 2, username: 'bob', is_dev: false, theme: 'dark', display_timezone: 'UTC' }
// carol a été supprimée depuis l'affichage de la liste.
const carol = { id: 5, username: 'carol', is_dev: false }
const json = (body, status = 200) => new Response(JSON.stringify(body), { status })
let session
let fetchMock
let wrapper

beforeEach(() => {
  setActivePinia(createPinia())
  session = { user: dev, dev_mode: true }
  fetchMock = vi.fn(async (url, options) => {
    if (url === '/api/auth/current/') return json(session)
    if (url === '/api/auth/dev/users/') return json({ users: [bob, carol, dev] })
    if (url === '/api/auth/dev/act-as/' && options.method === 'POST') {
      const { user_id: id } = JSON.parse(options.body)
      if (id !== bob.id) return json({ detail: `Utilisateur introuvable ou désactivé (identifiant ${id}).` }, 404)
      session = { user: bob, dev_mode: true }
      return json(session)
    }
    return json({})
  })
  vi.stubGlobal('fetch', fetchMock)
})

afterEach(() => {
  wrapper?.unmount()
  wrapper = null
  vi.unstubAllGlobals()
})

async function openLogin(query = {}) {
  await router.push({ name: 'login', query })
  wrapper = mount(LoginView, { global: { plugins: [router] } })
  await flushPromises()
}

describe('LoginView in dev mode', () => {
  it('stays reachable and lists the users to act as, the current one disabled', async () => {
    await openLogin()
    expect(router.currentRoute.value.name).toBe('login')
    expect(wrapper.get('[data-testid=act-as-dev]').attributes('disabled')).toBeDefined()
    expect(wrapper.get('[data-testid=act-as-bob]').attributes('disabled')).toBeUndefined()
    expect(wrapper.get('[data-testid=login-back]').text()).toContain('dev')
  })

  it('acts as the chosen user and opens the page asked for', async () => {
    await openLogin({ next: '/mon-compte' })
    await wrapper.get('[data-testid=act-as-bob]').trigger('click')
    await flushPromises()
    expect(useAuthStore().user.username).toBe('bob')
    // La page demandée se charge à la demande : on attend la fin de la navigation.
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/mon-compte'), { timeout: 5000 })
  })

  it('shows a refusal in French and keeps the current user', async () => {
    await openLogin()
    await wrapper.get('[data-testid=act-as-carol]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid=act-as-error]').text()).toBe('Utilisateur introuvable ou désactivé (identifiant 5).')
    expect(useAuthStore().user.username).toBe('dev')
    expect(router.currentRoute.value.name).toBe('login')
  })
})

describe('LoginView outside dev mode', () => {
  it('sends a logged-in user to Heartbeat and offers no user list', async () => {
    session = { user: bob, dev_mode: false }
    await router.push({ name: 'login' })
    expect(router.currentRoute.value.name).toBe('heartbeat')
    session = { user: null, dev_mode: false }
    setActivePinia(createPinia())
    await openLogin()
    expect(wrapper.find('[data-testid=act-as]').exists()).toBe(false)
    expect(fetchMock.mock.calls.some(([url]) => url === '/api/auth/dev/users/')).toBe(false)
  })
})
