import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as positionsApi from '../api/positions.js'
import { onReconnect, subscribe } from '../websocket/socket.js'

export const POSITIONS_PAGE_SIZE = 50 // taille de page du serveur
export const LIVE_STATUSES = ['opening', 'open', 'closing']

// Positions d'un broker (ouvertes ; clôturées, paginées), tenues à jour par les messages « position » ; leurs prix
// courants et P&L latents sont dans le store des cotes (stores/marks.js).
export const usePositionsStore = defineStore('positions', () => {
  const filters = ref(null) // {broker, source?} ; null tant que rien n'est chargé
  const open = ref([])
  const closed = ref([])
  const closedCount = ref(0)
  const closedPage = ref(1)
  let unsubscribe = null

  const matches = (position) =>
    filters.value !== null
    && Object.entries(filters.value).every(([name, value]) => value == null || position[name] === value)

  async function loadOpen() {
    const answer = await positionsApi.fetchPositions({ ...filters.value, status: 'open' })
    open.value = answer.results
  }

  async function loadClosed(page = closedPage.value) {
    const answer = await positionsApi.fetchPositions({ ...filters.value, status: 'closed', page })
    closed.value = answer.results
    closedCount.value = answer.count
    closedPage.value = page
  }

  /** Charge les positions correspondant à `wanted` ({broker, source?}). */
  async function load(wanted) {
    filters.value = { ...wanted }
    open.value = []
    closed.value = []
    closedCount.value = 0
    await Promise.all([loadOpen(), loadClosed(1)])
  }

  /** Clôture demandée par l'utilisateur : la position revient (« closing » ou « closed ») et s'affiche. */
  async function close(id) {
    const position = await positionsApi.closePosition(id)
    receive(position)
    return position
  }

  function showClosed(position) {
    const index = closed.value.findIndex((shown) => shown.id === position.id)
    if (index >= 0) closed.value.splice(index, 1, position)
    else if (closedPage.value === 1) {
      closed.value = [position, ...closed.value].slice(0, POSITIONS_PAGE_SIZE)
      closedCount.value += 1
    }
  }

  /** Une position poussée par le serveur (ou rendue par l'API) : ouverte, clôturée ou retirée. */
  function receive(position) {
    if (!matches(position)) return
    const index = open.value.findIndex((shown) => shown.id === position.id)
    if (LIVE_STATUSES.includes(position.status)) {
      if (index >= 0) open.value.splice(index, 1, position)
      else open.value = [position, ...open.value]
      return
    }
    if (index >= 0) open.value.splice(index, 1)
    if (position.status === 'closed') showClosed(position)
  }

  function start() {
    if (unsubscribe) return
    const unsubscribers = [
      subscribe('position', receive),
      onReconnect(() => filters.value && Promise.all([loadOpen(), loadClosed()])),
    ]
    unsubscribe = () => unsubscribers.forEach((off) => off())
  }

  function stop() {
    unsubscribe?.()
    unsubscribe = null
  }

  return { filters, open, closed, closedCount, closedPage, load, loadOpen, loadClosed, close, receive, start, stop }
})
