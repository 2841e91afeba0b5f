import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as positionsApi from '../api/positions.js'
import { coalesce } from '../websocket/coalesce.js'
import { onReconnect, subscribe } from '../websocket/socket.js'

// Positions en cours au dernier prix (prix, valeur, P&L latent calculés par le serveur en Decimal), relues à chaque
// vague de bougies du heartbeat, à chaque message « position » et à la reconnexion.
export const useMarksStore = defineStore('marks', () => {
  const marks = ref({}) // id de position → {price, value, unrealized_pnl, unrealized_pnl_pct} (textes)
  let filters = null // {broker?, source?} ; null tant que rien n'est demandé
  let unsubscribers = []

  const reread = coalesce(async () => {
    if (filters === null) return
    const rows = await positionsApi.fetchMarks(filters)
    marks.value = Object.fromEntries(rows.map((row) => [row.id, row]))
  })
  // Un prix inconnu un moment n'est pas une erreur de la page : la prochaine vague réessaie.
  const refresh = () => reread().catch(() => {})

  /** Relit les positions de `wanted` ({broker?, source?}) à leur dernier prix. */
  async function load(wanted) {
    filters = { ...wanted }
    marks.value = {}
    await reread()
  }

  function start() {
    if (unsubscribers.length) return
    unsubscribers = [subscribe('candles', refresh), subscribe('position', refresh), onReconnect(refresh)]
  }

  function stop() {
    unsubscribers.forEach((off) => off())
    unsubscribers = []
    filters = null
  }

  return { marks, load, refresh, start, stop }
})
