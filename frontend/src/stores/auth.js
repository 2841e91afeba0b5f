import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { updatePreferences } from '../api/accounts.js'
import * as authApi from '../api/auth.js'
import { applyTheme } from '../design-system/tokens.js'
import { browserTimeZone } from '../format/datetime.js'
import { setUsdAssets } from '../format/numbers.js'

export const useAuthStore = defineStore('auth', () => {
  const user = ref(null)
  const devMode = ref(false)
  const loaded = ref(false)
  let pendingLoad = null
  // Mode dev : le poste local agit comme un autre utilisateur que dev (« Se connecter comme… » ou mot de passe).
  const actingAsOther = computed(() => devMode.value && Boolean(user.value) && !user.value.is_dev)

  // Chaque changement de session applique le thème de l'utilisateur (sombre sans utilisateur).
  // Un fuseau jamais choisi devient celui du navigateur, enregistré pour les calculs du serveur (jours des
  // Statistiques).
  function setSession(session) {
    user.value = session.user
    devMode.value = session.dev_mode
    setUsdAssets(session.usd_assets)
    applyTheme(session.user?.theme)
    if (session.user && !session.user.display_timezone) {
      user.value = { ...session.user, display_timezone: browserTimeZone() }
      // Un échec est sans suite : le prochain chargement réessaie.
      updatePreferences({ display_timezone: user.value.display_timezone }).catch(() => {})
    }
  }

  /** Charge l'utilisateur une fois ; les appels simultanés partagent la requête, un échec permet de réessayer. */
  function load() {
    if (loaded.value) return Promise.resolve()
    pendingLoad ??= authApi
      .fetchCurrentUser()
      .then((session) => {
        setSession(session)
        loaded.value = true
      })
      .finally(() => {
        pendingLoad = null
      })
    return pendingLoad
  }

  async function login(username, password) {
    setSession(await authApi.login(username, password))
  }

  /** En mode dev, le backend répond avec l'utilisateur dev : la session continue. */
  async function logout() {
    setSession(await authApi.logout())
  }

  /** Mode dev : la session agit désormais comme cet utilisateur (ses brokers, ses stratégies, ses messages). */
  async function actAs(userId) {
    setSession(await authApi.actAs(userId))
  }

  async function backToDev() {
    setSession(await authApi.backToDev())
  }

  function updateUser(changes) {
    if (user.value) user.value = { ...user.value, ...changes }
  }

  function forgetUser() {
    user.value = null
  }

  return {
    user, devMode, loaded, actingAsOther, load, login, logout, actAs, backToDev, updateUser, forgetUser,
  }
})
