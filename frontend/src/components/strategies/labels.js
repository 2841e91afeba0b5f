// Textes et choix de la page Stratégies.
export const TIMEFRAMES = ['1m', '3m', '5m', '10m', '15m', '1h', '2h', '4h']

export const UNSAVED_WARNING = 'Modifications non enregistrées : les abandonner ?'

/** "ligne 3, colonne 5 : message" ; sans ligne, le message seul. */
export function describeError({ line, column, message }) {
  if (!line) return message
  return column ? `Ligne ${line}, colonne ${column} : ${message}` : `Ligne ${line} : ${message}`
}
