import { del, get, post } from './client.js'

export const fetchCurrentUser = () => get('/api/auth/current/')
export const login = (username, password) => post('/api/auth/login/', { username, password })
export const logout = () => post('/api/auth/logout/')
export const changePassword = (oldPassword, newPassword) =>
  post('/api/auth/change-password/', { old_password: oldPassword, new_password: newPassword })
// Mode dev seulement : « Se connecter comme… » un autre utilisateur, puis retour à dev.
export const fetchDevUsers = () => get('/api/auth/dev/users/')
export const actAs = (userId) => post('/api/auth/dev/act-as/', { user_id: userId })
export const backToDev = () => del('/api/auth/dev/act-as/')
