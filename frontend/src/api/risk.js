import { get, put } from './client.js'

// Limites de risque d'un broker, leur état (atteintes) et les passages outre enregistrés.
export const fetchRiskLimits = (brokerId) => get(`/api/brokers/${brokerId}/risk/`)
export const updateRiskLimits = (brokerId, limits) => put(`/api/brokers/${brokerId}/risk/`, limits)
