// Champs <input type="datetime-local"> lus et remplis dans le fuseau IANA de l'utilisateur.
import { formatDateTime } from './datetime.js'

const offsetFormatters = new Map()

function offsetFormatter(timeZone) {
  if (!offsetFormatters.has(timeZone)) {
    offsetFormatters.set(timeZone, new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    }))
  }
  return offsetFormatters.get(timeZone)
}

/** Décalage (ms) du fuseau à l'instant donné : heure murale lue comme UTC moins l'instant. */
function offsetAt(instant, timeZone) {
  const parts = {}
  for (const { type, value } of offsetFormatter(timeZone).formatToParts(new Date(instant))) parts[type] = Number(value)
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second)
  return wall - Math.floor(instant / 1000) * 1000
}

/** « 2025-03-30T02:30 » lu dans timeZone → ISO UTC ; '' ou illisible → null. */
export function zonedInputToIso(value, timeZone = 'UTC') {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value ?? '')
  if (!match) return null
  const [, year, month, day, hour, minute] = match.map(Number)
  const wall = Date.UTC(year, month - 1, day, hour, minute)
  let instant = wall - offsetAt(wall, timeZone)
  instant = wall - offsetAt(instant, timeZone)
  return new Date(instant).toISOString()
}

/** ISO UTC → « YYYY-MM-DDTHH:mm » dans timeZone ; null → ''. */
export function isoToZonedInput(value, timeZone = 'UTC') {
  const shown = formatDateTime(value, timeZone)
  return shown === '—' ? '' : shown.replace(' ', 'T')
}
