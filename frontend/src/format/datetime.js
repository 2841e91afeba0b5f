const formatters = new Map()

/** Le fuseau IANA du navigateur (UTC s'il n'en dit rien) : le fuseau d'affichage par défaut. */
export function browserTimeZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
}

function formatterFor(timeZone) {
  if (!formatters.has(timeZone)) {
    formatters.set(
      timeZone,
      new Intl.DateTimeFormat('en-GB', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }),
    )
  }
  return formatters.get(timeZone)
}

/**
 * Formate une chaîne ISO ou une Date en « YYYY-MM-DD HH:mm » (24 h) dans le fuseau IANA donné (UTC par défaut).
 * Retourne « — » pour null, vide ou illisible.
 */
export function formatDateTime(value, timeZone = 'UTC') {
  if (value === null || value === undefined || value === '') return '—'
  const date = value instanceof Date ? value : new Date(value)
  if (Number.isNaN(date.getTime())) return '—'
  const parts = {}
  for (const { type, value: part } of formatterFor(timeZone || 'UTC').formatToParts(date)) {
    parts[type] = part
  }
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`
}

/** 93784 → « 1 j 2 h » (deux unités au plus) ; moins d'une minute : les secondes ; « — » sans valeur. */
export function formatDuration(seconds) {
  if (seconds === null || seconds === undefined || seconds === '' || !Number.isFinite(Number(seconds))) return '—'
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
