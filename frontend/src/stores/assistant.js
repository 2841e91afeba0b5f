import { defineStore } from 'pinia'
import { ref } from 'vue'
import { ApiError } from '../api/client.js'
import * as strategiesApi from '../api/strategies.js'

// Panneau de l'assistant IA : disponibilité (réglages de Mon compte) et la réponse qui arrive en flux.
export const useAssistantStore = defineStore('assistant', () => {
  const status = ref(null) // {enabled, provider, model, detail}
  const answer = ref('')
  const error = ref('')
  const streaming = ref(false)
  let controller = null

  async function loadStatus() {
    status.value = await strategiesApi.fetchAssistantStatus()
  }

  function receive(event) {
    if (event.type === 'delta') answer.value += event.text
    else if (event.type === 'error') error.value = event.message
  }

  /** Envoie la demande avec le code de l'éditeur et les erreurs du dernier test ; la réponse grandit en flux. */
  async function ask({ request, code: editorCode, errors }) {
    stop()
    const mine = new AbortController()
    controller = mine
    answer.value = ''
    error.value = ''
    streaming.value = true
    try {
      await strategiesApi.askAssistant({ request, code: editorCode, errors }, receive, mine.signal)
    } catch (err) {
      if (err.name === 'AbortError') return
      if (!(err instanceof ApiError)) throw err
      error.value = err.message
    } finally {
      if (controller === mine) {
        controller = null
        streaming.value = false
      }
    }
  }

  function stop() {
    controller?.abort()
    controller = null
    streaming.value = false
  }

  return { status, answer, error, streaming, loadStatus, ask, stop }
})
