import { createRouter, createWebHistory } from 'vue-router'
import { useAuthStore } from '../stores/auth.js'

// Ordre du menu latéral.
export const menuRoutes = [
  { path: '/heartbeat', name: 'heartbeat', label: 'Heartbeat', component: () => import('../views/HeartbeatView.vue') },
  { path: '/trading-manuel', name: 'trading-manuel', label: 'Trading manuel', component: () => import('../views/TradingManualView.vue') },
  { path: '/trading-bot', name: 'trading-bot', label: 'Trading BOT', component: () => import('../views/TradingBotView.vue') },
  { path: '/strategies', name: 'strategies', label: 'Stratégies', component: () => import('../views/StrategiesView.vue') },
  { path: '/backtest', name: 'backtest', label: 'Backtest', component: () => import('../views/BacktestView.vue') },
  { path: '/webhooks', name: 'webhooks', label: 'Webhooks', component: () => import('../views/WebhooksView.vue') },
  { path: '/statistiques', name: 'statistiques', label: 'Statistiques', component: () => import('../views/StatisticsView.vue') },
  { path: '/services', name: 'services', label: 'Services', component: () => import('../views/ServicesView.vue') },
  { path: '/mon-compte', name: 'mon-compte', label: 'Mon compte', component: () => import('../views/AccountView.vue') },
]

const routes = [
  { path: '/', redirect: { name: 'heartbeat' } },
  ...menuRoutes.map(({ label, ...route }) => ({ ...route, meta: { title: label } })),
  {
    path: '/login',
    name: 'login',
    component: () => import('../views/LoginView.vue'),
    meta: { title: 'Connexion', bare: true },
  },
  // Redirection par chemin : un nom garderait le paramètre pathMatch (avertissement de Vue Router).
  { path: '/:pathMatch(.*)*', redirect: '/heartbeat' },
]

export const router = createRouter({
  history: createWebHistory(),
  routes,
  // Chaque page s'ouvre en haut, y compris par précédent / suivant (son contenu arrive après la navigation).
  scrollBehavior: () => ({ top: 0 }),
})

router.beforeEach(async (to) => {
  const auth = useAuthStore()
  try {
    await auth.load()
  } catch {
    // Backend injoignable : l'écran de connexion affichera l'erreur à la tentative suivante.
  }
  // En mode dev, la page de connexion reste ouverte : « Se connecter comme… » un autre utilisateur.
  if (to.name === 'login') return auth.user && !auth.devMode ? { name: 'heartbeat' } : true
  if (!auth.user) return { name: 'login', query: { next: to.fullPath } }
  return true
})

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} — Aristobot3` : 'Aristobot3'
})
