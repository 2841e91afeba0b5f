// Textes de la page Heartbeat.

/** "60123.45000000" → "60123.45", "7.000" → "7" : les nombres restent des textes exacts. */
export function plain(value) {
  const text = String(value ?? '')
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text
}
