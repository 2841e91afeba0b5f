import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as webhooksApi from '../api/webhooks.js'
import { onReconnect, subscribe } from '../websocket/socket.js'

export const PAGE_SIZE = 50

// Page Webhooks : jeton, liste paginée tenue à jour par les messages WebSocket « webhook », corps bruts.
export const useWebhooksStore = defineStore('webhooks', () => {
  const token = ref(null)
  const rows = ref([])
  const count = ref(0)
  const page = ref(1)
  const details = ref({})
  let unsubscribe = null

  const url = computed(() => (token.value ? window.location.origin + token.value.path : ''))
  const pages = computed(() => Math.max(1, Math.ceil(count.value / PAGE_SIZE)))

  async function loadToken() {
    token.value = await webhooksApi.fetchWebhookToken()
  }

  async function regenerate() {
    token.value = await webhooksApi.regenerateWebhookToken()
  }

  async function setTradingviewOnly(enabled) {
    token.value = await webhooksApi.saveWebhookToken({ tradingview_only: enabled })
  }

  async function load(wanted = page.value) {
    const answer = await webhooksApi.fetchWebhooks(wanted)
    rows.value = answer.results
    count.value = answer.count
    page.value = wanted
  }

  /** Une ligne poussée par le serveur : remplacée si affichée, sinon ajoutée en tête de la première page. */
  function receive(row) {
    const index = rows.value.findIndex((shown) => shown.id === row.id)
    if (index >= 0) {
      rows.value.splice(index, 1, row)
      return
    }
    count.value += 1
    if (page.value === 1) rows.value = [row, ...rows.value].slice(0, PAGE_SIZE)
  }

  /** Corps brut et en-têtes d'un webhook, chargés une fois. */
  async function loadDetail(id) {
    details.value[id] ??= await webhooksApi.fetchWebhook(id)
    return details.value[id]
  }

  function start() {
    if (unsubscribe) return
    const unsubscribers = [subscribe('webhook', receive), onReconnect(() => load())]
    unsubscribe = () => unsubscribers.forEach((off) => off())
  }

  function stop() {
    unsubscribe?.()
    unsubscribe = null
  }

  return {
    token,
    rows,
    count,
    page,
    pages,
    details,
    url,
    loadToken,
    regenerate,
    setTradingviewOnly,
    load,
    receive,
    loadDetail,
    start,
    stop,
  }
})
