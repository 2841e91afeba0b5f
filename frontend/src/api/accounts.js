import { get, put } from './client.js'

export const fetchPreferences = () => get('/api/accounts/preferences/')
export const updatePreferences = (preferences) => put('/api/accounts/preferences/', preferences)
