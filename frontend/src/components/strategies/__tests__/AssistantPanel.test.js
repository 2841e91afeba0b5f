import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as strategiesApi from '../../../api/strategies.js'
import { useStrategiesStore } from '../../../stores/strategies.js'
import AssistantPanel from '../AssistantPanel.vue'

vi.mock('../../../api/strategies.js')

const ENABLED = { enabled: true, provider: 'OpenRouter', model: 'openai/gpt-4o-mini', detail: '' }
const DISABLED = { enabled: false, provider: null, model: null, detail: 'Assistant IA désactivé : activez OpenRouter ou Ollama dans Mon compte.' }

let wrapper
let pinia

async function mountPanel() {
  wrapper = mount(AssistantPanel, { global: { plugins: [pinia], stubs: { RouterLink: { template: '<a><slot /></a>' } } } })
  await flushPromises()
}

// Un flux piloté par le test : push(événement), puis end().
function controlledStream() {
  const control = {}
  strategiesApi.askAssistant.mockImplementation(
    (question, onEvent) =>
      new Promise((resolve) => {
        control.question = question
        control.push = (event) => onEvent(event)
        control.end = () => resolve()
      }),
  )
  return control
}

beforeEach(() => {
  vi.resetAllMocks()
  pinia = createPinia()
  setActivePinia(pinia)
  const strategies = useStrategiesStore()
  strategies.draft = { id: 1, name: 'A', description: '', timeframe: '1h', code: 'class A(Strategy):\n    pass\n' }
  strategies.testResult = { ok: false, errors: [{ line: 2, column: 4, message: 'should_long manquante' }], recorded: true }
})

afterEach(() => wrapper?.unmount())

describe('AssistantPanel', () => {
  it('is disabled with the French explanation when both providers are off', async () => {
    strategiesApi.fetchAssistantStatus.mockResolvedValue(DISABLED)
    await mountPanel()

    expect(wrapper.get('[data-testid=assistant-disabled]').text()).toContain('activez OpenRouter ou Ollama dans Mon compte')
    expect(wrapper.get('[data-testid=assistant-request]').element.disabled).toBe(true)
    expect(wrapper.get('[data-testid=assistant-send]').element.disabled).toBe(true)
  })

  it('shows the answer growing, then inserts its code block', async () => {
    strategiesApi.fetchAssistantStatus.mockResolvedValue(ENABLED)
    const stream = controlledStream()
    await mountPanel()
    expect(wrapper.get('[data-testid=assistant-provider]').text()).toBe('OpenRouter · openai/gpt-4o-mini')

    await wrapper.get('[data-testid=assistant-request]').setValue('Ajoute un stop-loss')
    await wrapper.get('[data-testid=assistant-send]').trigger('click')
    expect(stream.question).toEqual({
      request: 'Ajoute un stop-loss',
      code: 'class A(Strategy):\n    pass\n',
      errors: [{ line: 2, column: 4, message: 'should_long manquante' }],
    })

    stream.push({ type: 'delta', text: 'Voici :\n```python\nclass B(Str' })
    await flushPromises()
    expect(wrapper.get('[data-testid=assistant-answer]').text()).toContain('class B(Str')
    expect(wrapper.find('[data-testid=assistant-streaming]').exists()).toBe(true)
    expect(wrapper.find('[data-testid=assistant-insert]').exists()).toBe(false) // bloc pas encore fermé

    stream.push({ type: 'delta', text: 'ategy):\n    pass\n```\nFin.' })
    stream.end()
    await flushPromises()
    expect(wrapper.get('[data-testid=assistant-code]').text()).toBe('class B(Strategy):\n    pass')
    expect(wrapper.find('[data-testid=assistant-streaming]').exists()).toBe(false)

    await wrapper.get('[data-testid=assistant-insert]').trigger('click')
    expect(wrapper.emitted('insert')).toEqual([['class B(Strategy):\n    pass\n']])
    expect(wrapper.get('[data-testid=assistant-inserted]').text()).toContain('Ctrl-Z')
  })

  it('shows a provider error in French', async () => {
    strategiesApi.fetchAssistantStatus.mockResolvedValue(ENABLED)
    const stream = controlledStream()
    await mountPanel()
    await wrapper.get('[data-testid=assistant-request]').setValue('Aide')
    await wrapper.get('[data-testid=assistant-send]').trigger('click')
    stream.push({ type: 'error', message: 'OpenRouter : clé refusée (401)' })
    stream.end()
    await flushPromises()
    expect(wrapper.get('[data-testid=assistant-error]').text()).toBe('OpenRouter : clé refusée (401)')
  })
})
