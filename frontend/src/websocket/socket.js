// Seule connexion WebSocket de l'application ; reconnexion toutes les 5 s tant qu'elle est voulue.
import { readonly, ref } from 'vue'

export const RECONNECT_DELAY_MS = 5000

const connectedRef = ref(false)
/** Réactif, en lecture seule : vrai tant que la connexion est ouverte. */
export const connected = readonly(connectedRef)

const handlers = new Map()
let socket = null
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

function open() {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws'
  const ws = new WebSocket(`${scheme}://${window.location.host}/ws/`)
  socket = ws
  ws.onopen = () => {
    if (socket === ws) connectedRef.value = true
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
