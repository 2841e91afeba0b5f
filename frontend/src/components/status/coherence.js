// Ce que la barre de statut et la page Heartbeat disent de la cohérence des bougies, et pourquoi.

// Sort d'un trou selon sa raison (voir apps/heartbeat/status.py).
export const GAP_FATES = {
  missing: 'absentes chez Binance : ne peuvent pas être comblées',
  unavailable: 'rattrapage impossible (Binance injoignable) : ne seront pas comblées',
  too_old: 'plus de 24 h : au-delà du rattrapage, ne seront pas comblées',
}
const UNKNOWN_FATE = 'ne seront pas comblées'
const TITLE_GAPS = 5
const QUIET = { since: null, starting: [], backfilling: [], gaps: [] }

/**
 * État de cohérence affiché : {label, tone ('ok' | 'neutral' | 'danger'), reasons: [texte], gaps: [trou + fate]}.
 * `status` : le store de statut ; `format` : formateur de dates de l'utilisateur.
 */
export function describeCoherence(status, format) {
  const { heartbeatActive: active, heartbeatCoherent: coherent, lastMessageAt } = status
  const detail = { ...QUIET, ...status.coherence }
  const gaps = detail.gaps.map((gap) => ({ ...gap, fate: GAP_FATES[gap.reason] ?? UNKNOWN_FATE }))
  if (coherent === null || coherent === undefined) return { label: '—', tone: 'neutral', reasons: [], gaps }
  if (!active && !lastMessageAt) {
    return { label: '—', tone: 'neutral', reasons: ['Heartbeat jamais démarré : cohérence inconnue.'], gaps }
  }
  if (active && detail.starting.length) {
    const reasons = [`Premier rattrapage des bougies : ${detail.starting.join(', ')}.`]
    return { label: 'Démarrage…', tone: 'neutral', reasons, gaps }
  }
  const reasons = []
  if (!coherent && detail.since) reasons.push(`Non cohérent depuis ${format(detail.since)}.`)
  if (detail.backfilling.length) reasons.push(`Rattrapage en cours : ${detail.backfilling.join(', ')}.`)
  if (gaps.length) reasons.push(`${gaps.length} trou(s) dans les bougies 1m.`)
  if (!active) reasons.push('Flux coupé : les minutes manquantes seront rattrapées à la reconnexion (24 h au plus).')
  if (coherent) {
    return { label: 'Cohérent', tone: 'ok', reasons: ['Aucun trou depuis le démarrage ou le dernier rattrapage.', ...reasons], gaps }
  }
  if (!gaps.length && detail.backfilling.length) return { label: 'Rattrapage…', tone: 'neutral', reasons, gaps }
  return { label: 'Non cohérent', tone: 'danger', reasons, gaps }
}

/** Une ligne par trou : « BTC/USDT : 4 min, du 2024-03-01 23:53 au 2024-03-01 23:56, … ». */
export function gapLine(gap, format) {
  return `${gap.symbol} : ${gap.minutes} min, du ${format(gap.start)} au ${format(gap.end)}, ${gap.fate}`
}

/** Texte de survol de la barre de statut : les raisons, puis les premiers trous. */
export function coherenceTitle(description, format) {
  const lines = [...description.reasons, ...description.gaps.slice(0, TITLE_GAPS).map((gap) => gapLine(gap, format))]
  const more = description.gaps.length - TITLE_GAPS
  if (more > 0) lines.push(`… et ${more} autre(s) : voir la page Heartbeat.`)
  return lines.length ? lines.join('\n') : undefined
}
