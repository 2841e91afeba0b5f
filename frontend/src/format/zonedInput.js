// Champs <input type="datetime-local"> lus et remplis dans le fuseau d'affichage de l'utilisateur.
import { formatDateTime } from './datetime.js'

const INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/

/** Valeur « YYYY-MM-DDTHH:mm » d'un champ datetime-local pour un instant (ISO ou Date) vu dans `timeZone`. */
export function toInputValue(value, timeZone = 'UTC') {
  const text = formatDateTime(value, timeZone)
  return text === '—' ? '' : text.replace(' ', 'T')
}

/** Écart en ms entre l'heure murale de `timeZone` et l'UTC à l'instant `ms`. */
function offsetAt(ms, timeZone) {
  const [date, time] = formatDateTime(new Date(ms), timeZone).split(' ')
  const [year, month, day] = date.split('-').map(Number)
  const [hour, minute] = time.split(':').map(Number)
  return Date.UTC(year, month - 1, day, hour, minute) - Math.floor(ms / 60000) * 60000
}

const DAY_MS = 86400000

/**
 * Instant UTC (ISO) d'une valeur datetime-local lue comme heure murale de `timeZone` ; null si vide ou illisible.
 * L'heure répétée à l'automne prend le premier instant ; une heure sautée au printemps, l'instant qui suit.
 */
export function fromInputValue(text, timeZone = 'UTC') {
  const typed = String(text ?? '').trim()
  const match = INPUT.exec(typed)
  if (!match) return null
  const [year, month, day, hour, minute] = match.slice(1).map(Number)
  const wall = Date.UTC(year, month - 1, day, hour, minute)
  const check = new Date(wall)
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59) return null
  const before = wall - offsetAt(wall - DAY_MS, timeZone)
  const after = wall - offsetAt(wall + DAY_MS, timeZone)
  const shown = [before, after].filter((ms) => toInputValue(new Date(ms), timeZone) === typed)
  const instant = shown.length ? Math.min(...shown) : before
  return new Date(instant).toISOString()
}
