import { get, post } from './client.js'

// Une liste paginée par DRF ({count, results}) ou simple : la page ne voit que les lignes.
const rowsOf = (body) => (Array.isArray(body) ? body : body.results)

export const fetchActiveStrategies = async () => rowsOf(await get('/api/active-strategies/'))
/** {strategy, broker, symbol, timeframe?, start_date, end_date, initial_amount} → l'activation créée. */
export const createActiveStrategy = (fields) => post('/api/active-strategies/', fields)
/** Vendre : la position ouverte part au marché, la stratégie continue. */
export const sellActiveStrategy = (id) => post(`/api/active-strategies/${id}/sell/`)
/** Stop définitif ; `sell` vend d'abord la position ouverte. */
export const stopActiveStrategy = (id, sell) => post(`/api/active-strategies/${id}/stop/`, { sell })
export const suspendActiveStrategy = (id) => post(`/api/active-strategies/${id}/suspend/`)
export const resumeActiveStrategy = (id) => post(`/api/active-strategies/${id}/resume/`)
