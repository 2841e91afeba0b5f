import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as alertsApi from '../api/alerts.js'
import { subscribe } from '../websocket/socket.js'

export const SHOWN = 50

// Cloche : les dernières alertes et le nombre de non lues, tenus à jour par les messages WebSocket « alert ».
export const useAlertsStore = defineStore('alerts', () => {
  const items = ref([])
  const unread = ref(0)
  let unsubscribe = null

  async function load() {
    const answer = await alertsApi.fetchAlerts()
    items.value = answer.results
    unread.value = answer.unread
  }

  function receive(alert) {
    if (items.value.some((shown) => shown.id === alert.id)) return
    items.value = [alert, ...items.value].slice(0, SHOWN)
    if (!alert.read_at) unread.value += 1
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
  }

  function stop() {
    unsubscribe?.()
    unsubscribe = null
    items.value = []
    unread.value = 0
  }

  return { items, unread, load, receive, markAllRead, start, stop }
})
