import { get, post } from './client.js'

export const fetchCurrentUser = () => get('/api/auth/current/')
export const login = (username, password) => post('/api/auth/login/', { username, password })
export const logout = () => post('/api/auth/logout/')
export const changePassword = (oldPassword, newPassword) =>
  post('/api/auth/change-password/', { old_password: oldPassword, new_password: newPassword })
