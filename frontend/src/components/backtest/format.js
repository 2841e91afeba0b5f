// Nombres et durées des résultats de backtest, à la française ; null (non défini) s'affiche « — ».
const numberFormats = new Map()

function numberFormat(digits) {
  if (!numberFormats.has(digits)) {
    numberFormats.set(digits, new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 0, maximumFractionDigits: digits }))
  }
  return numberFormats.get(digits)
}

const missing = (value) => value === null || value === undefined || value === '' || Number.isNaN(Number(value))

export function formatNumber(value, digits = 2) {
  return missing(value) ? '—' : numberFormat(digits).format(Number(value))
}

/** « 12,35 % » ; signed : « +12,35 % » pour un gain. */
export function formatPct(value, { signed = false } = {}) {
  if (missing(value)) return '—'
  const sign = signed && Number(value) > 0 ? '+' : ''
  return `${sign}${formatNumber(value, 2)} %`
}

/** 93784 → « 1 j 2 h 3 min » (deux unités au plus) ; moins d'une minute : les secondes. */
export function formatDuration(seconds) {
  if (missing(seconds)) return '—'
  let rest = Math.round(Number(seconds))
  if (rest < 60) return `${rest} s`
  const parts = []
  for (const [unit, size] of [['j', 86400], ['h', 3600], ['min', 60]]) {
    const count = Math.floor(rest / size)
    rest -= count * size
    if (count || parts.length) parts.push(`${count} ${unit}`)
  }
  return parts.filter((part) => !part.startsWith('0 ')).slice(0, 2).join(' ')
}

/** Signe d'un gain pour la couleur : 'text-success', 'text-danger' ou ''. */
export function gainClass(value) {
  if (missing(value) || Number(value) === 0) return ''
  return Number(value) > 0 ? 'text-success' : 'text-danger'
}
