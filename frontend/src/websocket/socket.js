// Seule connexion WebSocket de l'application ; reconnexion toutes les 5 s tant qu'elle est voulue. Les messages
// publiés pendant une coupure (Redis ou réseau) sont perdus : à chaque reconnexion, les pages relisent leur état.
import { readonly, ref } from 'vue'

export const RECONNECT_DELAY_MS = 5000

const connectedRef = ref(false)
/** Réactif, en lecture seule : vrai tant que la connexion est ouverte. */
export const connected = readonly(connectedRef)

const handlers = new Map()
const resyncs = new Set()
let socket = null
let everOpened = false
let reconnectTimer = null
let wanted = false

function dispatch(raw) {
  let message
  try {
    message = JSON.parse(raw)
  } catch {
    return
  }
  for (const handler of handlers.get(message?.type) ?? []) handler(message.data)
}

function handleDown(ws) {
  if (socket !== ws) return
  socket = null
  connectedRef.value = false
  if (wanted && reconnectTimer === null) {
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null
      if (wanted) open()
    }, RECONNECT_DELAY_MS)
  }
}

function resync() {
  for (const reread of resyncs) {
    // Une relecture qui échoue n'empêche pas les autres ; la suivante réessaiera.
    Promise.resolve()
      .then(reread)
      .catch(() => {})
  }
}

function open() {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws'
  const ws = new WebSocket(`${scheme}://${window.location.host}/ws/`)
  socket = ws
  ws.onopen = () => {
    if (socket !== ws) return
    connectedRef.value = true
    if (everOpened) resync()
    everOpened = true
  }
  ws.onmessage = (event) => dispatch(event.data)
  ws.onclose = () => handleDown(ws)
  ws.onerror = () => handleDown(ws)
}

/** Ouvre la connexion (rien si déjà ouverte ou en cours) et la maintient jusqu'à disconnect(). */
export function connect() {
  wanted = true
  if (!socket && reconnectTimer === null) open()
}

/** Ferme la connexion et cesse de se reconnecter. */
export function disconnect() {
  wanted = false
  everOpened = false
  clearTimeout(reconnectTimer)
  reconnectTimer = null
  const ws = socket
  socket = null
  connectedRef.value = false
  ws?.close()
}

/** Appelle handler(data) à chaque message {"type": type, "data": data} ; retourne la fonction de désabonnement. */
export function subscribe(type, handler) {
  if (!handlers.has(type)) handlers.set(type, new Set())
  handlers.get(type).add(handler)
  return () => handlers.get(type).delete(handler)
}

/** Appelle reread() à chaque reconnexion (pas à la première connexion) ; retourne la fonction de désabonnement. */
export function onReconnect(reread) {
  resyncs.add(reread)
  return () => resyncs.delete(reread)
}
