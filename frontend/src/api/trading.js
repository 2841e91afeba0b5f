import { get, post, queryString as query } from './client.js'

export const fetchPortfolio = (brokerId) => get(`/api/trading/brokers/${brokerId}/portfolio/`)
export const fetchTicker = (brokerId, symbol) => get(`/api/trading/brokers/${brokerId}/ticker/?${query({ symbol })}`)
export const fetchOpenOrders = (brokerId) => get(`/api/trading/brokers/${brokerId}/open-orders/`)
// Refus (400) et échec chez l'exchange (502) rejettent avec le message français du Trade enregistré.
export const placeOrder = (order) => post('/api/trading/orders/', order)
export const cancelOrder = (tradeId) => post(`/api/trading/orders/${tradeId}/cancel/`)
/** Historique paginé : {count, results} ; filtres broker, symbol, source, status, page, page_size. */
export const fetchTrades = (filters) => get(`/api/trading/orders/?${query(filters)}`)
/** Paires partagées (table Market) : {count, results} ; filtres exchange, quote, search, page, page_size. */
export const fetchMarkets = (filters) => get(`/api/markets/?${query(filters)}`)
