import { del, get, post, put } from './client.js'

export const fetchExchanges = () => get('/api/brokers/exchanges/')
export const fetchBrokers = () => get('/api/brokers/')
export const fetchBroker = (id) => get(`/api/brokers/${id}/`)
export const createBroker = (broker) => post('/api/brokers/', broker)
export const updateBroker = (id, broker) => put(`/api/brokers/${id}/`, broker)
export const deleteBroker = (id) => del(`/api/brokers/${id}/`)
// Formulaire non enregistré : `id` (en modification) reprend les secrets laissés vides.
export const testBroker = (form) => post('/api/brokers/test/', form)
export const reloadMarkets = (id) => post(`/api/brokers/${id}/reload-markets/`)
// « Afficher » : les clés en clair, une fois, contre le mot de passe du compte.
export const revealKeys = (id, password) => post(`/api/brokers/${id}/reveal/`, { password })
