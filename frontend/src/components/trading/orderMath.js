// Calculs et textes du ticket d'ordre : des estimations affichées ; le serveur reçoit ce qui a été saisi.

/** Parses a typed number ("0,01" accepted); NaN when empty or not a number. */
export function parseNumber(text) {
  const cleaned = String(text ?? '').trim().replace(',', '.')
  return cleaned === '' || !/^\d*\.?\d+$|^\d+\.$/.test(cleaned) ? NaN : Number(cleaned)
}

/** Number as plain text with at most `digits` significant digits, no exponent, no trailing zeros. */
export function formatNumber(value, digits = 8) {
  if (value === null || value === undefined || value === '' || !Number.isFinite(Number(value))) return '—'
  const number = Number(Number(value).toPrecision(digits))
  return number.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 12 })
}

/** The other side of the ticket: value of a quantity, or quantity for an amount, at `price`. */
export function counterpart(source, text, price) {
  const typed = parseNumber(text)
  if (!Number.isFinite(typed) || !(price > 0)) return ''
  return formatNumber(source === 'quantity' ? typed * price : typed / price)
}

/** French browser-side checks (the server checks again): returns the list of problems. */
export function validateOrder({ symbol, orderType, size, price }) {
  const problems = []
  if (!symbol) problems.push('Choisissez une paire.')
  if (!(parseNumber(size) > 0)) problems.push('Saisissez une quantité ou un montant positif.')
  if (orderType === 'limit' && !(parseNumber(price) > 0)) problems.push('Un ordre limite demande un prix positif.')
  return problems
}

/** One-line French summary of an order result (a Trade from the API). */
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
