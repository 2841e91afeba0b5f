import { defineStore } from 'pinia'
import { ref } from 'vue'
import { subscribe } from '../websocket/socket.js'

// Avis de la barre de statut sur le chargement des paires, nourri par le groupe WebSocket de l'utilisateur.
export const useMarketsNoticeStore = defineStore('marketsNotice', () => {
  const text = ref('')
  const state = ref('idle') // idle | loading | done | error
  let unsubscribers = []

  const show = (newState, newText) => {
    state.value = newState
    text.value = newText
  }

  function start() {
    if (unsubscribers.length) return
    unsubscribers = [
      subscribe('markets_loading', (d) => show('loading', `Chargement des paires de ${d.name}…`)),
      subscribe('markets_loaded', (d) =>
        show('done', `Paires de ${d.name} : ${d.added} ajoutées, ${d.removed} supprimées, ${d.updated} mises à jour`),
      ),
      subscribe('markets_failed', (d) => show('error', d.error)),
    ]
  }

  function stop() {
    unsubscribers.forEach((unsubscribe) => unsubscribe())
    unsubscribers = []
  }

  return { text, state, start, stop }
})
