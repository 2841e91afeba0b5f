import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as activeStrategiesApi from '../api/activeStrategies.js'
import { onReconnect, subscribe } from '../websocket/socket.js'

const newestFirst = (a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id
const time = (iso) => (iso ? Date.parse(iso) : 0)

// Page Trading BOT : les activations de l'utilisateur, tenues à jour par les messages « active_strategy »
// et « strategy_decision » (aucune interrogation périodique).
export const useActiveStrategiesStore = defineStore('activeStrategies', () => {
  const activations = ref([])
  const decisions = ref({}) // id d'activation → dernier message « strategy_decision » reçu
  let unsubscribers = []

  /** Remplace ou ajoute une activation ; une version plus ancienne que celle affichée est ignorée. */
  function receive(activation) {
    const shown = activations.value.find((row) => row.id === activation.id)
    if (shown && time(activation.updated_at) < time(shown.updated_at)) return shown
    const others = activations.value.filter((row) => row.id !== activation.id)
    activations.value = [...others, activation].sort(newestFirst)
    return activation
  }

  function receiveDecision(decision) {
    decisions.value = { ...decisions.value, [decision.active_strategy]: decision }
  }

  /** Dernière décision connue : le message en direct, ou celle enregistrée si elle est plus récente. */
  function lastDecision(activation) {
    const live = decisions.value[activation.id]
    const saved = activation.last_decision
      ? { action: null, message: activation.last_decision, at: activation.last_decision_at }
      : null
    if (!live) return saved
    return saved && time(saved.at) > time(live.at) ? saved : live
  }

  async function load() {
    activations.value = (await activeStrategiesApi.fetchActiveStrategies()).sort(newestFirst)
  }

  // Chaque action rend l'activation à jour (le message WebSocket qui suit la confirme).
  const activate = async (fields) => receive(await activeStrategiesApi.createActiveStrategy(fields))
  const sell = async (id) => receive(await activeStrategiesApi.sellActiveStrategy(id))
  const halt = async (id, { sell } = {}) => receive(await activeStrategiesApi.stopActiveStrategy(id, sell))
  const suspend = async (id) => receive(await activeStrategiesApi.suspendActiveStrategy(id))
  const resume = async (id) => receive(await activeStrategiesApi.resumeActiveStrategy(id))
  const switchVersion = async (id) => receive(await activeStrategiesApi.switchActiveStrategyVersion(id))

  function start() {
    if (unsubscribers.length) return
    unsubscribers = [
      subscribe('active_strategy', receive),
      subscribe('strategy_decision', receiveDecision),
      onReconnect(load),
    ]
  }

  function stop() {
    unsubscribers.forEach((unsubscribe) => unsubscribe())
    unsubscribers = []
  }

  return {
    activations, decisions, receive, receiveDecision, lastDecision, load, activate, sell, halt, suspend, resume,
    switchVersion, start, stop,
  }
})
