import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as positionsApi from '../api/positions.js'
import * as tradingApi from '../api/trading.js'
import { priceKey } from '../components/positions/positionMath.js'
import { onReconnect, subscribe } from '../websocket/socket.js'

export const POSITIONS_PAGE_SIZE = 50 // taille de page du serveur
export const LIVE_STATUSES = ['opening', 'open', 'closing']
export const PRICE_REFRESH_MS = 30_000

// Positions d'un broker (ouvertes, prix courants ; clôturées, paginées), tenues à jour par les messages « position ».
export const usePositionsStore = defineStore('positions', () => {
  const filters = ref(null) // {broker, source?} ; null tant que rien n'est chargé
  const open = ref([])
  const closed = ref([])
  const closedCount = ref(0)
  const closedPage = ref(1)
  const prices = ref({}) // priceKey(position) → dernier prix (texte)
  let unsubscribe = null
  let timer = null

  const matches = (position) =>
    filters.value !== null
    && Object.entries(filters.value).every(([name, value]) => value == null || position[name] === value)

  async function loadPrice(position) {
    try {
      const ticker = await tradingApi.fetchTicker(position.broker, position.symbol)
      prices.value = { ...prices.value, [priceKey(position)]: ticker.last }
    } catch {
      // Prix courant inconnu : la ligne l'affiche « — », la prochaine actualisation réessaie.
    }
  }

  /** Dernier prix de chaque paire ouverte (une demande par broker et paire). */
  async function loadPrices() {
    const unique = new Map(open.value.map((position) => [priceKey(position), position]))
    await Promise.all([...unique.values()].map(loadPrice))
  }

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

  /** Charge les positions correspondant à `wanted` ({broker, source?}), puis les prix des ouvertes. */
  async function load(wanted) {
    filters.value = { ...wanted }
    open.value = []
    closed.value = []
    closedCount.value = 0
    prices.value = {}
    await Promise.all([loadOpen(), loadClosed(1)])
    await loadPrices()
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
      if (!(priceKey(position) in prices.value)) loadPrice(position)
      return
    }
    if (index >= 0) open.value.splice(index, 1)
    if (position.status === 'closed') showClosed(position)
  }

  function start() {
    if (!unsubscribe) {
      const unsubscribers = [
        subscribe('position', receive),
        onReconnect(() => Promise.all([loadOpen(), loadClosed()]).then(loadPrices)),
      ]
      unsubscribe = () => unsubscribers.forEach((off) => off())
    }
    timer ??= setInterval(loadPrices, PRICE_REFRESH_MS)
  }

  function stop() {
    unsubscribe?.()
    unsubscribe = null
    clearInterval(timer)
    timer = null
  }

  return {
    filters, open, closed, closedCount, closedPage, prices, load, loadOpen, loadClosed, loadPrices, close, receive,
    start, stop,
  }
})
