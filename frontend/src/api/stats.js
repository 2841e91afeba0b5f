import { get } from './client.js'

// Statistiques : mêmes filtres pour toutes les adresses ({broker: '1,2', from, to} ; broker absent : tous).
const query = (filters) => new URLSearchParams(filters).toString()

export const fetchBalance = (filters) => get(`/api/stats/balance/?${query(filters)}`)
export const fetchSummary = (filters) => get(`/api/stats/summary/?${query(filters)}`)
export const fetchStrategyStats = (filters) => get(`/api/stats/strategies/?${query(filters)}`)
export const fetchWebhookStats = (filters) => get(`/api/stats/webhooks/?${query(filters)}`)
export const tradesCsvUrl = (filters) => `/api/stats/trades.csv?${query(filters)}`
