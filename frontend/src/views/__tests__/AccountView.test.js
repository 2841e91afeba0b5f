import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useAuthStore } from '../../stores/auth.js'
import AccountView from '../AccountView.vue'

const serverPreferences = {
  theme: 'dark',
  display_timezone: 'Europe/Paris',
  default_broker: null,
  testnet_mode: false,
  ai_openrouter_enabled: false,
  ai_openrouter_key_set: true,
  ai_ollama_enabled: true,
  ai_ollama_url: 'http://localhost:11434',
  ai_openrouter_model: 'openai/gpt-4o-mini',
  ai_ollama_model: 'qwen2.5-coder:7b',
}

// La section Alertes charge ses réglages ; la page ne teste ici que les préférences.
const alertSettings = {
  kinds: [],
  telegram: { available: false, linked: false },
  email: { available: false, address: '' },
  failures: {},
  digest_hour: 20,
}

let fetchMock
let stored
let pinia
let wrapper

function json(status, body) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

const putCalls = () => fetchMock.mock.calls.filter(([, options]) => options.method === 'PUT')
const lastPutBody = () => JSON.parse(putCalls().at(-1)[1].body)

// Monté dans le document pour qu'un clic sur le bouton soumette le formulaire comme dans un navigateur.
async function mountView() {
  wrapper = mount(AccountView, { global: { plugins: [pinia] }, attachTo: document.body })
  await flushPromises()
}

async function save() {
  await wrapper.get('[data-testid=preferences-save]').trigger('click')
  await flushPromises()
}

beforeEach(() => {
  stored = { ...serverPreferences }
  pinia = createPinia()
  useAuthStore(pinia).user = {
    id: 1, username: 'alice', has_password: true, theme: 'dark', display_timezone: 'Europe/Paris',
  }
  fetchMock = vi.fn(async (url, options) => {
    if (options.method === 'PUT') {
      const { ai_openrouter_key: _key, ...saved } = JSON.parse(options.body)
      Object.assign(stored, saved)
      return json(200, { ...stored, ai_openrouter_key_set: true })
    }
    // La section Brokers charge ses listes ; la page ne teste ici que les préférences.
    if (url.startsWith('/api/brokers/')) return json(200, [])
    if (url.startsWith('/api/alerts/')) return json(200, alertSettings)
    return json(200, stored)
  })
  vi.stubGlobal('fetch', fetchMock)
})

function leavePage() {
  wrapper.unmount()
  wrapper = null
}

afterEach(() => {
  wrapper?.unmount()
  wrapper = null
  vi.unstubAllGlobals()
})

describe('AccountView AI switches', () => {
  it('says an OpenRouter key the server can no longer read is to be typed again, and never sends the flag', async () => {
    stored.ai_openrouter_key_unreadable = true
    try {
      await mountView()
      expect(wrapper.get('[data-testid=ai-openrouter-key]').attributes('placeholder')).toBe('Clé illisible, à ressaisir')
      await save()
      expect(lastPutBody()).not.toHaveProperty('ai_openrouter_key_unreadable')
    } finally {
      delete stored.ai_openrouter_key_unreadable
    }
  })

  it('turns the other assistant off when one is switched on, and allows both off', async () => {
    await mountView()
    const openrouter = wrapper.get('[data-testid=ai-openrouter-enabled]')
    const ollama = wrapper.get('[data-testid=ai-ollama-enabled]')
    expect(ollama.element.checked).toBe(true)

    await openrouter.setValue(true)
    expect(openrouter.element.checked).toBe(true)
    expect(ollama.element.checked).toBe(false)

    await ollama.setValue(true)
    expect(ollama.element.checked).toBe(true)
    expect(openrouter.element.checked).toBe(false)

    await ollama.setValue(false)
    expect(openrouter.element.checked).toBe(false)
    expect(ollama.element.checked).toBe(false)
  })

  it('saves the exclusive choice and omits an empty OpenRouter key', async () => {
    await mountView()
    await wrapper.get('[data-testid=ai-openrouter-enabled]').setValue(true)
    await save()

    expect(putCalls()).toHaveLength(1)
    const body = lastPutBody()
    expect(body.ai_openrouter_enabled).toBe(true)
    expect(body.ai_ollama_enabled).toBe(false)
    expect(body).not.toHaveProperty('ai_openrouter_key')
    expect(wrapper.get('[data-testid=preferences-message]').text()).toBe('Préférences enregistrées.')
  })

  it('sends a newly typed key and clears the field after saving', async () => {
    await mountView()
    await wrapper.get('[data-testid=ai-openrouter-key]').setValue('sk-or-new')
    await save()

    expect(lastPutBody().ai_openrouter_key).toBe('sk-or-new')
    expect(wrapper.get('[data-testid=ai-openrouter-key]').element.value).toBe('')
  })

  it('shows and saves the chosen models', async () => {
    await mountView()
    expect(wrapper.get('[data-testid=ai-ollama-model]').element.value).toBe('qwen2.5-coder:7b')
    await wrapper.get('[data-testid=ai-openrouter-model]').setValue('anthropic/claude-3.5-sonnet')
    await save()

    expect(lastPutBody().ai_openrouter_model).toBe('anthropic/claude-3.5-sonnet')
    expect(lastPutBody().ai_ollama_model).toBe('qwen2.5-coder:7b')
  })

  it("shows the server's French validation error", async () => {
    await mountView()
    fetchMock.mockImplementationOnce(async () =>
      json(400, { non_field_errors: ['Un seul assistant IA peut être activé à la fois.'] }),
    )
    await save()

    const message = wrapper.get('[data-testid=preferences-message]')
    expect(message.text()).toBe('Un seul assistant IA peut être activé à la fois.')
    expect(message.classes()).toContain('text-danger')
  })
})

describe('AccountView theme', () => {
  it('saves the theme and the time zone as soon as they change, without the AI fields', async () => {
    await mountView()
    await wrapper.get('[data-testid=theme-select]').setValue('light')
    await flushPromises()
    expect(document.documentElement.dataset.theme).toBe('light')
    expect(lastPutBody()).toEqual({ theme: 'light' })
    expect(useAuthStore(pinia).user.theme).toBe('light')
    expect(wrapper.get('[data-testid=display-message]').text()).toBe('Affichage enregistré.')

    await wrapper.get('[data-testid=timezone-select]').setValue('America/New_York')
    await flushPromises()
    expect(lastPutBody()).toEqual({ display_timezone: 'America/New_York' })
    expect(useAuthStore(pinia).user.display_timezone).toBe('America/New_York')

    leavePage()
    expect(document.documentElement.dataset.theme).toBe('light')
  })

  it('leaves the display out of the AI section save', async () => {
    await mountView()
    await save()
    expect(lastPutBody()).not.toHaveProperty('theme')
    expect(lastPutBody()).not.toHaveProperty('display_timezone')
  })

  it('shows the password form only to a user who has a password', async () => {
    await mountView()
    expect(wrapper.find('[data-testid=password-old]').exists()).toBe(true)
    leavePage()
    useAuthStore(pinia).user = { id: 2, username: 'dev', is_dev: true, has_password: false, theme: 'dark' }
    await mountView()
    expect(wrapper.find('[data-testid=password-old]').exists()).toBe(false)
    expect(wrapper.find('[data-testid=preferences-save]').exists()).toBe(true)
  })
})

describe('AccountView dev-mode card', () => {
  it('says who the local browser acts as, and comes back to dev', async () => {
    const { router } = await import('../../router/index.js')
    const auth = useAuthStore(pinia)
    auth.devMode = true
    auth.loaded = true // la session est déjà là : la navigation initiale du routeur ne la relit pas
    auth.user = { id: 2, username: 'bob', is_dev: false, has_password: true, theme: 'dark', display_timezone: 'UTC' }
    const dev = { id: 9, username: 'dev', is_dev: true, has_password: false, theme: 'dark', display_timezone: 'UTC' }
    const base = fetchMock.getMockImplementation()
    fetchMock.mockImplementation(async (url, options) => (url === '/api/auth/dev/act-as/' && options.method === 'DELETE'
      ? json(200, { user: dev, dev_mode: true })
      : base(url, options)))
    wrapper = mount(AccountView, { global: { plugins: [pinia, router] } })
    await flushPromises()
    expect(wrapper.get('[data-testid=acting-as]').text()).toBe('bob')
    expect(wrapper.get('[data-testid=act-as-link]').attributes('href')).toBe('/login?next=/mon-compte')

    await wrapper.get('[data-testid=back-to-dev]').trigger('click')
    await flushPromises()
    expect(auth.user.username).toBe('dev')
    expect(wrapper.find('[data-testid=acting-as]').exists()).toBe(false)
    expect(wrapper.find('[data-testid=back-to-dev]').exists()).toBe(false)
    expect(wrapper.get('[data-testid=dev-mode]').text()).toContain('utilisateur dev')
  })
})
