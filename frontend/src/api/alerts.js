import { get, post, put } from './client.js'

export const fetchAlerts = () => get('/api/alerts/')
export const markAlertsRead = (ids) => post('/api/alerts/read/', ids ? { ids } : {})
export const fetchAlertSettings = () => get('/api/alerts/settings/')
export const saveAlertSettings = (fields) => put('/api/alerts/settings/', fields)
export const newTelegramCode = () => post('/api/alerts/settings/telegram-code/')
export const unlinkTelegram = () => post('/api/alerts/settings/telegram-unlink/')
export const sendTestAlert = (channel) => post('/api/alerts/test/', { channel })
export const fetchServices = () => get('/api/alerts/services/')
