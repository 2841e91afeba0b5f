import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { setUnauthorizedHandler } from './api/client.js'
import './design-system/global.css'
import { applyTheme } from './design-system/tokens.js'
import { router } from './router/index.js'
import { useAuthStore } from './stores/auth.js'

applyTheme('dark')

const app = createApp(App)
app.use(createPinia())
app.use(router)

const auth = useAuthStore()
// Session expirée : retour à la connexion, sauf en mode développement (utilisateur dev automatique).
setUnauthorizedHandler(() => {
  if (auth.devMode) return
  auth.forgetUser()
  router.push({ name: 'login' })
})

app.mount('#app')
