import { get, post, put } from './client.js'

export const fetchWebhookToken = () => get('/api/webhooks/token/')
export const saveWebhookToken = (fields) => put('/api/webhooks/token/', fields)
export const regenerateWebhookToken = () => post('/api/webhooks/token/regenerate/')
export const fetchWebhooks = (page = 1) => get(`/api/webhooks/?page=${page}`)
export const fetchWebhook = (id) => get(`/api/webhooks/${id}/`)
