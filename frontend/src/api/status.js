import { get } from './client.js'

export const fetchStatus = () => get('/api/status/')
