import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { fetchStatus } from '../api/status.js'
import { connected, subscribe } from '../websocket/socket.js'

// null = pas encore de donnée : l'interface affiche "—".
export const useStatusStore = defineStore('status', () => {
  const wsConnected = computed(() => connected.value)
  const strategyLive = ref(null)
  const heartbeatActive = ref(null)
  const heartbeatCoherent = ref(null)
  const heartbeatGaps = ref(null)
  const lastMessageAt = ref(null)
  const coherence = ref(null) // {since, starting, backfilling, gaps} : pourquoi le heartbeat n'est pas cohérent
  const sandbox = ref(null) // « sandbox dégradé : … » si le runner des stratégies n'est pas entièrement confiné
  const clock = ref(null) // « Horloge du PC en retard de … » : écart avec un exchange de plus d'1 s
  const risk = ref([]) // brokers dont une limite est atteinte : [{broker, broker_name, limits, messages}]
  let unsubscribe = null
  let unsubscribeRisk = null
  let riskTimer = null
  const RISK_RECHECK_MS = 60_000 // une limite atteinte se lève aussi d'elle-même (jour suivant, fin de pause)

  /** Applique la réponse de GET /api/status/ ou un message WebSocket « status ». */
  function apply(data) {
    strategyLive.value = data.strategy_live
    heartbeatActive.value = data.heartbeat.active
    heartbeatCoherent.value = data.heartbeat.coherent
    heartbeatGaps.value = data.heartbeat.gaps
    lastMessageAt.value = data.heartbeat.last_message_at
    coherence.value = data.coherence ?? null
    sandbox.value = data.sandbox ?? null
    clock.value = data.clock ?? null
    // Propre à l'utilisateur : seule la réponse HTTP le porte, pas le message public « status ».
    if (data.risk) risk.value = data.risk
  }

  async function reload() {
    try {
      apply(await fetchStatus())
    } catch {
      // Sans réponse HTTP, le message "status" envoyé à la connexion WebSocket prend le relais.
    }
  }

  /** Écoute les messages « status » et charge une fois l'état courant. */
  async function start() {
    unsubscribe ??= subscribe('status', apply)
    // Une limite atteinte ou levée : l'état des limites est relu.
    unsubscribeRisk ??= subscribe('risk_limit', reload)
    riskTimer ??= setInterval(() => risk.value.length && reload(), RISK_RECHECK_MS)
    await reload()
  }

  function stop() {
    unsubscribe?.()
    unsubscribeRisk?.()
    unsubscribe = unsubscribeRisk = null
    clearInterval(riskTimer)
    riskTimer = null
  }

  return {
    wsConnected,
    strategyLive,
    heartbeatActive,
    heartbeatCoherent,
    heartbeatGaps,
    lastMessageAt,
    coherence,
    sandbox,
    clock,
    risk,
    start,
    stop,
  }
})
