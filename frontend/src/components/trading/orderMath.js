// Calculs et textes du ticket d'ordre : des estimations affichées ; le serveur reçoit ce qui a été saisi.

/** Lit un nombre saisi (« 0,01 » accepté) ; NaN si vide ou invalide. */
export function parseNumber(text) {
  const cleaned = String(text ?? '').trim().replace(',', '.')
  return cleaned === '' || !/^\d*\.?\d+$|^\d+\.$/.test(cleaned) ? NaN : Number(cleaned)
}

/** Nombre en texte simple : au plus `digits` chiffres significatifs, sans exposant ni zéros finaux. */
export function formatNumber(value, digits = 8) {
  if (value === null || value === undefined || value === '' || !Number.isFinite(Number(value))) return '—'
  const number = Number(Number(value).toPrecision(digits))
  return number.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 12 })
}

/** L'autre côté du ticket : valeur d'une quantité, ou quantité pour un montant, à `price`. */
export function counterpart(source, text, price) {
  const typed = parseNumber(text)
  if (!Number.isFinite(typed) || !(price > 0)) return ''
  return formatNumber(source === 'quantity' ? typed * price : typed / price)
}

/** Contrôles côté navigateur (le serveur contrôle à nouveau) : retourne la liste des problèmes. */
export function validateOrder({ symbol, orderType, size, price }) {
  const problems = []
  if (!symbol) problems.push('Choisissez une paire.')
  if (!(parseNumber(size) > 0)) problems.push('Saisissez une quantité ou un montant positif.')
  if (orderType === 'limit' && !(parseNumber(price) > 0)) problems.push('Un ordre limite demande un prix positif.')
  return problems
}

/** Résumé en une ligne du résultat d'un ordre (un Trade de l'API). */
export function describeTrade(trade) {
  const [base, quote] = trade.symbol.split('/')
  const at = trade.average_price ? ` à ${trade.average_price} ${quote}` : ''
  const fee = trade.fee ? ` (frais ${trade.fee} ${trade.fee_currency})` : ''
  const [noun, done] = trade.side === 'buy' ? ['Achat', 'exécuté'] : ['Vente', 'exécutée']
  switch (trade.status) {
    case 'filled':
      return `${noun} ${done} : ${trade.filled_quantity} ${base}${at}${fee}.`
    case 'partially_filled':
      return `${noun} partiellement ${done} : ${trade.filled_quantity} / ${trade.quantity} ${base}${at}${fee}.`
    case 'open':
      return `Ordre limite placé : ${trade.quantity} ${base} à ${trade.price} ${quote}, en attente d'exécution.`
    case 'cancelled':
      return `Ordre annulé (${trade.filled_quantity} ${base} exécuté).`
    default:
      return trade.error || `Ordre ${trade.status_label}.`
  }
}
