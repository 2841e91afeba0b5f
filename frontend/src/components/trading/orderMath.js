// Calculs et textes du ticket d'ordre : des estimations affichées ; le serveur reçoit ce qui a été saisi.
import { formatAmount, formatEstimate, formatPrice, parseDecimalInput } from '../../format/numbers.js'

/** Lit un nombre saisi (« 0,01 », « 0.01 », « 1 000 » acceptés) ; NaN si vide ou invalide. */
export function parseNumber(text) {
  const cleaned = parseDecimalInput(text)
  return cleaned === '' || !/^\d*\.?\d+$|^\d+\.$/.test(cleaned) ? NaN : Number(cleaned)
}

/** L'autre côté du ticket, écrit dans son champ : valeur d'une quantité, ou quantité pour un montant, à `price`
 * (8 chiffres significatifs, point décimal : la valeur d'un champ, pas un affichage). */
export function counterpart(source, text, price) {
  const typed = parseNumber(text)
  if (!Number.isFinite(typed) || !(price > 0)) return ''
  const value = Number((source === 'quantity' ? typed * price : typed / price).toPrecision(8))
  return value.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 12 })
}

/** Contrôles côté navigateur (le serveur contrôle à nouveau) : retourne la liste des problèmes. */
export function validateOrder({ symbol, orderType, size, price }) {
  const problems = []
  if (!symbol) problems.push('Choisissez une paire.')
  if (!(parseNumber(size) > 0)) problems.push('Saisissez une quantité ou un montant positif.')
  if (orderType === 'limit' && !(parseNumber(price) > 0)) problems.push('Un ordre limite demande un prix positif.')
  return problems
}

const limit = (market, kind, bound) => {
  const value = Number(market?.limits?.[kind]?.[bound])
  return value > 0 ? value : null
}

/** Un nombre estimé hors des bornes [min, max] d'une limite du marché : le message (accordé à `label`), sinon null. */
function outOfBounds(market, kind, value, label, unit) {
  if (!Number.isFinite(value)) return null
  const [low, high] = [limit(market, kind, 'min'), limit(market, kind, 'max')]
  const agreement = label === 'Quantité' ? 'e' : ''
  const shown = `${label} ${formatEstimate(value)} ${unit}`
  if (low && value < low) {
    return `${shown} inférieur${agreement} au minimum de ${formatAmount(low)} ${unit} pour ${market.symbol}.`
  }
  if (high && value > high) {
    return `${shown} supérieur${agreement} au maximum de ${formatAmount(high)} ${unit} pour ${market.symbol}.`
  }
  return null
}

/**
 * Limites du marché (table Market : limits.amount et limits.cost) avant la confirmation, mêmes messages que le
 * serveur. `quantity` : quantité de base estimée ; `cost` : montant estimé (NaN ou null sans prix).
 */
export function checkLimits({ market, quantity, cost }) {
  if (!market) return []
  return [
    outOfBounds(market, 'amount', quantity, 'Quantité', market.base),
    outOfBounds(market, 'cost', cost, 'Montant', market.quote),
  ].filter(Boolean)
}

/**
 * Stop-loss et take-profit (facultatifs) de part et d'autre du prix `reference` : sous / au-dessus pour un
 * achat, l'inverse pour une vente ; mêmes messages que le serveur.
 */
export function validateProtection({ side, reference, stopLoss, takeProfit }) {
  const problems = []
  const buying = side === 'buy'
  const price = formatEstimate(reference)
  const check = (text, label, below) => {
    if (String(text ?? '').trim() === '') return
    const value = parseNumber(text)
    if (!(value > 0)) return problems.push(`${label} doit être un nombre positif.`)
    if (!(reference > 0)) return
    if (below ? value >= reference : value <= reference) {
      problems.push(`${label} (${formatEstimate(value)}) doit être ${below ? 'sous le' : 'au-dessus du'} prix (${price}).`)
    }
  }
  check(stopLoss, 'Le stop-loss', buying)
  check(takeProfit, 'Le take-profit', !buying)
  return problems
}

/** Résumé en une ligne du résultat d'un ordre (un Trade de l'API). */
export function describeTrade(trade) {
  const [base, quote] = trade.symbol.split('/')
  const quantity = formatAmount(trade.quantity)
  const filled = formatAmount(trade.filled_quantity)
  const at = trade.average_price ? ` à ${formatPrice(trade.average_price)} ${quote}` : ''
  const fee = trade.fee ? ` (frais ${formatAmount(trade.fee)} ${trade.fee_currency})` : ''
  const [noun, done] = trade.side === 'buy' ? ['Achat', 'exécuté'] : ['Vente', 'exécutée']
  switch (trade.status) {
    case 'filled':
      return `${noun} ${done} : ${filled} ${base}${at}${fee}.`
    case 'partially_filled':
      return `${noun} partiellement ${done} : ${filled} / ${quantity} ${base}${at}${fee}.`
    case 'open':
      return `Ordre limite placé : ${quantity} ${base} à ${formatPrice(trade.price)} ${quote}, en attente d'exécution.`
    case 'cancelled': {
      const kept = Number(trade.filled_quantity) > 0 ? `${filled} ${base} exécuté avant l'annulation` : 'rien exécuté'
      const what = trade.type === 'limit' ? `Ordre limite annulé : ${quantity} ${base} à ${formatPrice(trade.price)} ${quote}` : 'Ordre annulé'
      return `${what} (${kept}).`
    }
    default:
      return trade.error || `Ordre ${trade.status_label}.`
  }
}
