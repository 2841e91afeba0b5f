import { get, post } from './client.js'

// Une liste paginée par DRF ({count, results}) ou simple : la page ne voit que les lignes.
const rowsOf = (body) => (Array.isArray(body) ? body : body.results)

export const fetchActiveStrategies = async () => rowsOf(await get('/api/active-strategies/'))
/** {strategy, broker, symbol, timeframe?, start_date, end_date, initial_amount} → l'activation créée. */
export const createActiveStrategy = (fields) => post('/api/active-strategies/', fields)
/** Vendre : la position ouverte part au marché, la stratégie continue. */
export const sellActiveStrategy = (id) => post(`/api/active-strategies/${id}/sell/`)
/**
 * Stop définitif ; `sell` vrai vend d'abord la position ouverte, faux la laisse ouverte ; absent, le serveur refuse
 * (409 « un trade est en cours ») si une position s'est ouverte entre-temps.
 */
export const stopActiveStrategy = (id, sell) =>
  post(`/api/active-strategies/${id}/stop/`, sell === undefined ? {} : { sell })
/** Passe à la version actuelle de la stratégie ; refusé (400, en français) si elle n'a pas passé « Tester ». */
export const switchActiveStrategyVersion = (id) => post(`/api/active-strategies/${id}/switch-version/`)
export const suspendActiveStrategy = (id) => post(`/api/active-strategies/${id}/suspend/`)
export const resumeActiveStrategy = (id) => post(`/api/active-strategies/${id}/resume/`)
