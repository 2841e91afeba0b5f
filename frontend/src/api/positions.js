import { get, post, queryString as query } from './client.js'

/** Positions paginées (50 par page) : {count, next, previous, results} ; filtres status, broker, symbol, source,
 * page. */
export const fetchPositions = (filters) => get(`/api/positions/?${query(filters)}`)
export const fetchPosition = (id) => get(`/api/positions/${id}/`)
/** Annule la protection puis vend la quantité détenue au marché ; résout avec la position. */
export const closePosition = (id) => post(`/api/positions/${id}/close/`)
/** Positions en cours au dernier prix : [{id, price, value, unrealized_pnl, unrealized_pnl_pct}] ; filtres broker,
 * source. */
export const fetchMarks = (filters) => get(`/api/positions/marks/?${query(filters)}`)
