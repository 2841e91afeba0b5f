import { del, get, post } from './client.js'

// Une liste paginée par DRF ({count, results}) ou simple : la page ne voit que les lignes.
const rowsOf = (body) => (Array.isArray(body) ? body : body.results)

export const fetchBacktests = async () => rowsOf(await get('/api/backtests/'))
/** Le run avec ses trades et sa courbe de valeur (≤ 2000 points). */
export const fetchBacktest = (id) => get(`/api/backtests/${id}/`)
export const fetchBacktestCandles = (id) => get(`/api/backtests/${id}/candles/`)
/** 202 avec le run en file d'attente ; 400 français si la demande est invalide. */
export const createBacktest = (fields) => post('/api/backtests/', fields)
/** Périodes de bougies enregistrées pour la paire et l'unité, et si les manques seront téléchargés. */
export const fetchCoverage = ({ broker, symbol, timeframe }) =>
  get(`/api/backtests/coverage/?${new URLSearchParams({ broker, symbol, timeframe })}`)
export const cancelBacktest = (id) => post(`/api/backtests/${id}/cancel/`)
export const deleteBacktest = (id) => del(`/api/backtests/${id}/`)
export const tradesCsvUrl = (id) => `/api/backtests/${id}/trades.csv`
export const equityCsvUrl = (id) => `/api/backtests/${id}/equity.csv`
