import { ref } from 'vue'
import { ApiError } from '../api/client.js'

/**
 * Enveloppe un cas d'usage asynchrone avec son indicateur « en cours » et son message d'erreur.
 * run() résout avec le résultat, ou undefined après une ApiError (`error` porte alors son message).
 */
export function useAsync(fn) {
  const pending = ref(false)
  const error = ref('')

  async function run(...args) {
    pending.value = true
    error.value = ''
    try {
      return await fn(...args)
    } catch (err) {
      if (!(err instanceof ApiError)) throw err
      error.value = err.message
      return undefined
    } finally {
      pending.value = false
    }
  }

  return { run, pending, error }
}
