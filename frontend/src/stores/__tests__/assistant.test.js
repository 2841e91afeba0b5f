import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '../../api/client.js'
import * as strategiesApi from '../../api/strategies.js'
import { useAssistantStore } from '../assistant.js'

vi.mock('../../api/strategies.js')

let store

beforeEach(() => {
  vi.resetAllMocks()
  setActivePinia(createPinia())
  store = useAssistantStore()
})

describe('assistant store', () => {
  it('grows the answer with each delta and sends code and errors', async () => {
    const seen = []
    strategiesApi.askAssistant.mockImplementation(async (question, onEvent) => {
      onEvent({ type: 'start', provider: 'OpenRouter', model: 'm' })
      onEvent({ type: 'delta', text: 'Bon' })
      seen.push(store.answer)
      onEvent({ type: 'delta', text: 'jour' })
      onEvent({ type: 'done' })
    })
    const errors = [{ line: 3, column: 1, message: 'x' }]
    await store.ask({ request: 'Aide', code: 'class A: pass', errors })

    expect(seen).toEqual(['Bon'])
    expect(store.answer).toBe('Bonjour')
    expect(store.streaming).toBe(false)
    expect(strategiesApi.askAssistant.mock.calls[0][0]).toEqual({ request: 'Aide', code: 'class A: pass', errors })
  })

  it('shows the French error sent in the stream', async () => {
    strategiesApi.askAssistant.mockImplementation(async (question, onEvent) => {
      onEvent({ type: 'error', message: 'OpenRouter : clé refusée (401)' })
    })
    await store.ask({ request: 'Aide', code: '', errors: [] })
    expect(store.error).toBe('OpenRouter : clé refusée (401)')
  })

  it('shows a refusal before the stream', async () => {
    strategiesApi.askAssistant.mockRejectedValue(new ApiError(400, 'Assistant IA désactivé.'))
    await store.ask({ request: 'Aide', code: '', errors: [] })
    expect(store.error).toBe('Assistant IA désactivé.')
    expect(store.streaming).toBe(false)
  })

  it('stop() aborts the request and a new question starts from an empty answer', async () => {
    let signal
    strategiesApi.askAssistant.mockImplementation(
      (question, onEvent, abortSignal) =>
        new Promise((resolve, reject) => {
          signal = abortSignal
          onEvent({ type: 'delta', text: 'Début' })
          abortSignal.addEventListener('abort', () => reject(new DOMException('stop', 'AbortError')))
        }),
    )
    const pending = store.ask({ request: 'Aide', code: '', errors: [] })
    expect(store.streaming).toBe(true)
    store.stop()
    await pending
    expect(signal.aborted).toBe(true)
    expect(store.streaming).toBe(false)
    expect(store.error).toBe('')
    expect(store.answer).toBe('Début')
  })
})
