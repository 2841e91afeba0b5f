import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as alertsApi from '../api/alerts.js'
import { subscribe } from '../websocket/socket.js'

export const SHOWN = 50
export const SERVICES_REFRESH_MS = 30000
const WATCHDOG_KINDS = ['incident', 'incident_resolved']

// Cloche : les dernières alertes et le nombre de non lues, tenus à jour par les messages WebSocket « alert » ;
// incidents ouverts vus par le chien de garde (barre de statut), relus toutes les 30 s et à chaque incident.
export const useAlertsStore = defineStore('alerts', () => {
  const items = ref([])
  const unread = ref(0)
  const incidents = ref(null)
  const watchdog = ref(null) // le chien de garde tourne-t-il ?
  let unsubscribe = null
  let timer = null

  async function loadIncidents() {
    const view = await alertsApi.fetchServices()
    incidents.value = view.incidents
    watchdog.value = view.watchdog
  }

  async function load() {
    const answer = await alertsApi.fetchAlerts()
    items.value = answer.results
    unread.value = answer.unread
  }

  function receive(alert) {
    if (items.value.some((shown) => shown.id === alert.id)) return
    items.value = [alert, ...items.value].slice(0, SHOWN)
    if (!alert.read_at) unread.value += 1
    if (WATCHDOG_KINDS.includes(alert.kind)) loadIncidents().catch(() => {})
  }

  async function markAllRead() {
    await alertsApi.markAlertsRead()
    const now = new Date().toISOString()
    items.value = items.value.map((alert) => ({ ...alert, read_at: alert.read_at ?? now }))
    unread.value = 0
  }

  function start() {
    unsubscribe ??= subscribe('alert', receive)
    load().catch(() => {})
    loadIncidents().catch(() => {})
    timer ??= setInterval(() => loadIncidents().catch(() => {}), SERVICES_REFRESH_MS)
  }

  function stop() {
    unsubscribe?.()
    unsubscribe = null
    clearInterval(timer)
    timer = null
    items.value = []
    unread.value = 0
    incidents.value = null
    watchdog.value = null
  }

  return { items, unread, incidents, watchdog, load, loadIncidents, receive, markAllRead, start, stop }
})
