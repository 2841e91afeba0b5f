import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as statsApi from '../api/stats.js'
import { fromInputValue as zonedInputToIso, toInputValue as isoToZonedInput } from '../format/zonedInput.js'
import { useAuthStore } from './auth.js'

const DAY_MS = 86_400_000
export const PERIODS = [
  { key: '7d', label: '7 j', days: 7 },
  { key: '30d', label: '30 j', days: 30 },
  { key: '90d', label: '90 j', days: 90 },
  { key: '1y', label: '1 an', days: 365 },
  { key: 'all', label: 'Tout' },
  { key: 'custom', label: 'Personnalisée' },
]
// « Tout » : depuis une date antérieure à tout compte ; le serveur ne renvoie que ce qui existe.
export const ALL_START = '2000-01-01T00:00:00.000Z'

/**
 * Filtres de l'API pour une période : {from, to} en ISO UTC (+ broker « 1,2 » si une sélection) ;
 * la période personnalisée est lue dans le fuseau de l'utilisateur ; null si elle est incomplète ou inversée.
 */
export function periodFilters({ period, custom, brokerIds = [], timeZone = 'UTC', now = Date.now() }) {
  let range
  if (period === 'custom') {
    const from = zonedInputToIso(custom?.from, timeZone)
    const to = zonedInputToIso(custom?.to, timeZone)
    if (!from || !to || from >= to) return null
    range = { from, to }
  } else {
    const { days } = PERIODS.find((p) => p.key === period)
    const to = new Date(now).toISOString()
    range = { from: days ? new Date(now - days * DAY_MS).toISOString() : ALL_START, to }
  }
  return brokerIds.length ? { broker: [...brokerIds].sort((a, b) => a - b).join(','), ...range } : range
}

// Page Statistiques : filtres choisis (brokers, période) et ce que le serveur en a calculé.
export const useStatsStore = defineStore('stats', () => {
  const brokerIds = ref([]) // vide : tous les brokers
  const period = ref('30d')
  const custom = ref({ from: '', to: '' }) // <input type="datetime-local"> dans le fuseau de l'utilisateur
  const balance = ref(null)
  const summary = ref(null)
  const strategies = ref([])
  const webhooks = ref([])
  const filters = ref(null) // filtres de la dernière lecture (ceux du lien CSV)
  let loading = 0

  const timeZone = computed(() => useAuthStore().user?.display_timezone || 'UTC')
  // Début et fin saisis mais inversés : la page le dit (incomplète, elle attend simplement).
  const customInvalid = computed(() => period.value === 'custom' && Boolean(custom.value.from && custom.value.to)
    && !periodFilters({ period: 'custom', custom: custom.value, timeZone: timeZone.value }))
  const hasTrades = computed(() => (summary.value?.overall ?? []).some((row) => row.total_trades > 0))

  /** Relit les quatre réponses pour les filtres courants (la dernière demande gagne) ; false : période invalide. */
  async function load(now = Date.now()) {
    const wanted = periodFilters({
      period: period.value, custom: custom.value, brokerIds: brokerIds.value, timeZone: timeZone.value, now,
    })
    if (!wanted) return false
    const ticket = ++loading
    const [balanceBody, summaryBody, strategyRows, webhookRows] = await Promise.all([
      statsApi.fetchBalance(wanted),
      statsApi.fetchSummary(wanted),
      statsApi.fetchStrategyStats(wanted),
      statsApi.fetchWebhookStats(wanted),
    ])
    if (ticket !== loading) return true
    filters.value = wanted
    balance.value = balanceBody
    summary.value = summaryBody
    strategies.value = strategyRows
    webhooks.value = webhookRows
    return true
  }

  /** Choisit une période ; « Personnalisée » part de la période affichée, dans le fuseau de l'utilisateur. */
  function choosePeriod(key) {
    if (key === 'custom' && !custom.value.from && !custom.value.to && filters.value) {
      const from = filters.value.from === ALL_START ? '' : isoToZonedInput(filters.value.from, timeZone.value)
      custom.value = { from, to: isoToZonedInput(filters.value.to, timeZone.value) }
    }
    period.value = key
  }

  const csvUrl = computed(() => (filters.value ? statsApi.tradesCsvUrl(filters.value) : null))

  return {
    brokerIds, period, custom, balance, summary, strategies, webhooks, filters, timeZone, hasTrades, csvUrl,
    customInvalid, load, choosePeriod,
  }
})
