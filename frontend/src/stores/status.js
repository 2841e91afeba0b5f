import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { fetchStatus } from '../api/status.js'
import { coalesce } from '../websocket/coalesce.js'
import { connected, subscribe } from '../websocket/socket.js'

export const CLOCK_TICK_MS = 1000

// null = pas encore de donnée : l'interface affiche "—".
export const useStatusStore = defineStore('status', () => {
  const wsConnected = computed(() => connected.value)
  const strategyLive = ref(null) // une stratégie de l'utilisateur connecté décide en ce moment
  const heartbeatReported = ref(null)
  // « actif » a une durée de vie : un heartbeat mort ne publie plus rien, le point passe au rouge de lui-même.
  const activeUntil = ref(0)
  const now = ref(Date.now())
  const heartbeatActive = computed(() =>
    heartbeatReported.value === null ? null : heartbeatReported.value && now.value < activeUntil.value,
  )
  const heartbeatCoherent = ref(null)
  const heartbeatGaps = ref(null)
  const lastMessageAt = ref(null)
  const coherence = ref(null) // {since, starting, backfilling, gaps} : pourquoi le heartbeat n'est pas cohérent
  const sandbox = ref(null) // « sandbox dégradé : … » si le runner des stratégies n'est pas entièrement confiné
  const clock = ref(null) // « Horloge du PC en retard de … » : écart avec un exchange de plus d'1 s
  const risk = ref([]) // brokers dont une limite est atteinte : [{broker, broker_name, limits, messages}]
  let unsubscribers = []
  let ticker = null
  let riskTimer = null
  const RISK_RECHECK_MS = 60_000 // une limite atteinte se lève aussi d'elle-même (jour suivant, fin de pause)

  /** Applique la réponse de GET /api/status/ ou un message WebSocket « status » (celui publié à tous ne dit rien
   * des stratégies de l'utilisateur : `strategy_live` absent). */
  function apply(data) {
    if ('strategy_live' in data) strategyLive.value = data.strategy_live
    now.value = Date.now()
    heartbeatReported.value = data.heartbeat.active
    activeUntil.value = now.value + (data.heartbeat.active_for ?? 0) * 1000
    heartbeatCoherent.value = data.heartbeat.coherent
    heartbeatGaps.value = data.heartbeat.gaps
    lastMessageAt.value = data.heartbeat.last_message_at
    coherence.value = data.coherence ?? null
    sandbox.value = data.sandbox ?? null
    clock.value = data.clock ?? null
    // Propre à l'utilisateur : seule la réponse HTTP le porte, pas le message public « status ».
    if (data.risk) risk.value = data.risk
  }

  const reread = coalesce(async () => apply(await fetchStatus()))
  // Sans réponse HTTP, le message « status » envoyé à la connexion WebSocket prend le relais.
  const refresh = () => reread().catch(() => {})

  /** Écoute les messages « status » ; relit l'état quand une activation de l'utilisateur change ou qu'une limite de
   * risque est atteinte ou levée ; charge une fois l'état courant. */
  async function start() {
    if (!unsubscribers.length) {
      unsubscribers = [
        subscribe('status', apply),
        subscribe('active_strategy', refresh),
        subscribe('risk_limit', refresh),
      ]
    }
    ticker ??= setInterval(() => (now.value = Date.now()), CLOCK_TICK_MS)
    riskTimer ??= setInterval(() => risk.value.length && refresh(), RISK_RECHECK_MS)
    await refresh()
  }

  function stop() {
    unsubscribers.forEach((off) => off())
    unsubscribers = []
    clearInterval(ticker)
    clearInterval(riskTimer)
    ticker = riskTimer = null
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
    apply,
    start,
    stop,
  }
})
