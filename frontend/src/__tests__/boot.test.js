import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

// Démarrage réel de l'application (main.js) avec le réseau simulé : fetch et WebSocket.
const alice = { id: 1, username: 'alice', is_dev: false, theme: 'light', display_timezone: 'UTC' }
const status = {
  strategy_live: false,
  heartbeat: { active: true, active_for: 10, coherent: true, gaps: 0, last_message_at: null },
}

class MockWebSocket {
  static urls = []

  constructor(url) {
    MockWebSocket.urls.push(url)
  }

  close() {}
}

let session
let routes

function json(statusCode, body) {
  return new Response(JSON.stringify(body), { status: statusCode, headers: { 'Content-Type': 'application/json' } })
}

async function boot(path) {
  window.history.replaceState({}, '', path)
  document.body.innerHTML = '<div id="app"></div>'
  await import('../main.js')
  const { router } = await import('../router/index.js')
  await router.isReady()
  await flushPromises()
  return router
}

const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`)

beforeEach(() => {
  vi.resetModules()
  MockWebSocket.urls = []
  vi.stubGlobal('WebSocket', MockWebSocket)
  routes = {
    'GET /api/auth/current/': () => json(200, session),
    'GET /api/status/': () => json(200, status),
    'POST /api/auth/logout/': () => json(200, { user: null, dev_mode: false }),
  }
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url, options) => routes[`${options.method} ${url}`]()),
  )
})

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('application boot', () => {
  it('sends a visitor to /login, without sidebar, and shows the login error', async () => {
    session = { user: null, dev_mode: false }
    routes['POST /api/auth/login/'] = () => json(400, { detail: "Nom d'utilisateur ou mot de passe incorrect." })
    const router = await boot('/strategies')

    expect(router.currentRoute.value.name).toBe('login')
    expect(byTestId('sidebar')).toBeNull()
    expect(document.documentElement.dataset.theme).toBe('dark')
    expect(MockWebSocket.urls).toHaveLength(0)

    byTestId('login-submit').click()
    await flushPromises()
    expect(byTestId('login-error').textContent).toBe("Nom d'utilisateur ou mot de passe incorrect.")
  })

  it('logs in, then goes to the requested page with the layout, theme and WebSocket', async () => {
    session = { user: null, dev_mode: false }
    routes['POST /api/auth/login/'] = () => json(200, { user: alice, dev_mode: false })
    const router = await boot('/strategies')

    byTestId('login-submit').click()
    // Le composant de la page (et son éditeur) est chargé à la demande : plus d'une seconde sur une machine chargée.
    await vi.waitFor(() => expect(byTestId('page-title').textContent).toBe('Stratégies'), { timeout: 10000 })

    expect(router.currentRoute.value.name).toBe('strategies')
    expect(byTestId('current-user').textContent).toBe('alice')
    expect(document.documentElement.dataset.theme).toBe('light')
    expect(MockWebSocket.urls).toEqual([`ws://${window.location.host}/ws/`])
    expect(byTestId('heartbeat-dot').classList.contains('on')).toBe(true)
  })

  it('redirects / to /heartbeat and lists the menu in order', async () => {
    session = { user: alice, dev_mode: false }
    const router = await boot('/')

    expect(router.currentRoute.value.name).toBe('heartbeat')
    const links = [...byTestId('sidebar').querySelectorAll('a')].map((link) => link.dataset.testid)
    expect(links).toEqual([
      'nav-heartbeat',
      'nav-trading-manuel',
      'nav-trading-bot',
      'nav-strategies',
      'nav-backtest',
      'nav-webhooks',
      'nav-statistiques',
      'nav-services',
      'nav-mon-compte',
    ])
  })

  it('sends an unknown address to /heartbeat without a router warning', async () => {
    session = { user: alice, dev_mode: false }
    const warn = vi.spyOn(console, 'warn')
    const router = await boot('/nimporte/quoi')

    expect(router.currentRoute.value.fullPath).toBe('/heartbeat')
    expect(warn).not.toHaveBeenCalled()
    warn.mockRestore()
  })

  it('goes back to /login after logout outside dev mode', async () => {
    session = { user: alice, dev_mode: false }
    const router = await boot('/heartbeat')

    byTestId('logout-button').click()
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('login'))
    expect(byTestId('sidebar')).toBeNull()
  })

  it('returns to /login when an API call answers 403 outside dev mode', async () => {
    session = { user: alice, dev_mode: false }
    routes['GET /api/accounts/preferences/'] = () => json(403, { detail: 'Authentification requise.' })
    const router = await boot('/mon-compte')

    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('login'))
  })

  it('stays on the page on 403 in dev mode and shows the dev user notice', async () => {
    session = { user: { ...alice, username: 'dev', is_dev: true }, dev_mode: true }
    routes['GET /api/accounts/preferences/'] = () => json(403, { detail: 'Accès refusé.' })
    const router = await boot('/mon-compte')

    // La page a reçu le 403 (message affiché) et reste ouverte.
    await vi.waitFor(() => expect(document.body.textContent).toContain('Accès refusé.'))
    await flushPromises()
    expect(router.currentRoute.value.name).toBe('mon-compte')
    expect(byTestId('dev-mode').textContent).toContain('Mode développement : utilisateur dev')
  })
})
