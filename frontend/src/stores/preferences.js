import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as accountsApi from '../api/accounts.js'
import { applyTheme } from '../design-system/tokens.js'
import { useAuthStore } from './auth.js'

export const usePreferencesStore = defineStore('preferences', () => {
  const preferences = ref(null)

  async function load() {
    preferences.value = await accountsApi.fetchPreferences()
    return preferences.value
  }

  /** Enregistre (PUT) et applique aussitôt le thème enregistré ; rejette avec ApiError si invalide. */
  async function save(changes) {
    preferences.value = await accountsApi.updatePreferences(changes)
    const { theme, display_timezone } = preferences.value
    applyTheme(theme)
    useAuthStore().updateUser({ theme, display_timezone })
    return preferences.value
  }

  return { preferences, load, save }
})
