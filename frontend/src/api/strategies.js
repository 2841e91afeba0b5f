import { del, get, post, put, stream } from './client.js'

// Une liste paginée par DRF ({count, results}) ou simple : la page ne voit que les lignes.
const rowsOf = (body) => (Array.isArray(body) ? body : body.results)

export const fetchStrategies = async () => rowsOf(await get('/api/strategies/'))
export const fetchStrategy = (id) => get(`/api/strategies/${id}/`)
export const createStrategy = (fields) => post('/api/strategies/', fields)
export const updateStrategy = (id, fields) => put(`/api/strategies/${id}/`, fields)
export const deleteStrategy = (id) => del(`/api/strategies/${id}/`)
export const fetchTemplate = () => get('/api/strategies/template/')
export const validateCode = (code, timeframe) => post('/api/strategies/validate/', { code, timeframe })
export const testStrategy = (id) => post(`/api/strategies/${id}/test/`)

export const fetchAssistantStatus = () => get('/api/strategies/assistant/status/')
/** Réponse de l'assistant en flux : onEvent reçoit {type: start | delta | done | error, …}. */
export const askAssistant = (question, onEvent, signal) =>
  stream('/api/strategies/assistant/', question, onEvent, { signal })
