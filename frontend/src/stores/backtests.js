import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as backtestsApi from '../api/backtests.js'
import { onReconnect, subscribe } from '../websocket/socket.js'

export const ACTIVE = ['queued', 'running']
const FORM_FIELDS = ['strategy', 'broker', 'symbol', 'timeframe', 'start', 'end', 'initial_amount', 'fee', 'allow_gaps']

// Page Backtest : runs de l'utilisateur, run affiché (trades, courbe, bougies), avancement « backtest » en direct.
export const useBacktestsStore = defineStore('backtests', () => {
  const runs = ref([])
  const current = ref(null) // <run>, plus trades et equity une fois terminé
  const candles = ref([])
  const draft = ref(null) // champs d'un run à relancer, repris par le formulaire
  let unsubscribe = null
  let detailFor = null

  const running = computed(() => ACTIVE.includes(current.value?.status))

  function upsert(run) {
    const index = runs.value.findIndex((shown) => shown.id === run.id)
    if (index >= 0) runs.value.splice(index, 1, { ...runs.value[index], ...run })
    else runs.value = [run, ...runs.value]
  }

  /** Détail et bougies d'un run terminé ; un run encore actif n'a rien d'autre que son avancement. */
  async function open(id) {
    detailFor = id
    const detail = await backtestsApi.fetchBacktest(id)
    const range = ACTIVE.includes(detail.status) ? [] : await backtestsApi.fetchBacktestCandles(id)
    if (detailFor !== id) return
    const { trades: _trades, equity: _equity, ...summary } = detail
    upsert(summary)
    current.value = detail
    candles.value = range
  }

  /**
   * Liste des runs ; après un rechargement, le run en cours (le plus récent) réapparaît avec son avancement ;
   * le run affiché, terminé pendant une coupure du WebSocket, charge son résultat.
   */
  async function load() {
    runs.value = await backtestsApi.fetchBacktests()
    const listed = runs.value.find((run) => run.id === current.value?.id)
    if (listed) return receive(listed)
    const active = runs.value.find((run) => ACTIVE.includes(run.status))
    if (!current.value && active) {
      current.value = active
      candles.value = []
    }
    return undefined
  }

  /** Un run poussé par le serveur : la liste et le run affiché suivent ; sa fin charge son résultat. */
  function receive(run) {
    upsert(run)
    const shown = current.value
    if (shown?.id === run.id) {
      const ended = ACTIVE.includes(shown.status) && !ACTIVE.includes(run.status)
      current.value = { ...shown, ...run }
      return ended ? open(run.id) : undefined
    }
    // Un run lancé ailleurs (autre onglet) s'affiche quand la page ne montre rien.
    if (!shown && ACTIVE.includes(run.status)) {
      current.value = run
      candles.value = []
    }
    return undefined
  }

  /** Les messages du serveur peuvent devancer la réponse du POST : le run déjà poussé fait foi. */
  async function launch(fields) {
    const created = await backtestsApi.createBacktest(fields)
    const pushed = runs.value.find((run) => run.id === created.id)
    detailFor = created.id
    if (!pushed) upsert(created)
    current.value = pushed ?? created
    candles.value = []
    if (pushed && !ACTIVE.includes(pushed.status)) await open(created.id)
    return current.value
  }

  async function cancel(id) {
    return receive(await backtestsApi.cancelBacktest(id))
  }

  async function remove(id) {
    await backtestsApi.deleteBacktest(id)
    runs.value = runs.value.filter((run) => run.id !== id)
    if (current.value?.id === id) {
      current.value = null
      candles.value = []
    }
  }

  /** « Relancer » : le formulaire reprend les champs du run. */
  function rerun(run) {
    draft.value = Object.fromEntries(FORM_FIELDS.map((field) => [field, run[field]]))
  }

  function start() {
    if (unsubscribe) return
    const unsubscribers = [subscribe('backtest', receive), onReconnect(load)]
    unsubscribe = () => unsubscribers.forEach((off) => off())
  }

  function stop() {
    unsubscribe?.()
    unsubscribe = null
  }

  return { runs, current, candles, draft, running, load, open, receive, launch, cancel, remove, rerun, start, stop }
})
