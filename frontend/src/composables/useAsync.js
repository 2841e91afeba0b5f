import { ref } from 'vue'
import { ApiError } from '../api/client.js'

/**
 * Wraps an async use case with its pending flag and French error message.
 * run() resolves with the result, or with undefined after an ApiError (then `error` holds its message).
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
