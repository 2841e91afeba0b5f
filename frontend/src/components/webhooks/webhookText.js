// Textes d'une ligne de webhook pour la page (les nombres arrivent en texte, jamais en float).

const SIDES = { buy: 'Achat', sell: 'Vente' }

/** La taille demandée par le signal : « 0.01 », « 100 (montant) » ou « 25 % » ; « — » si inconnue. */
export function sizeText(row) {
  if (row.quantity) return row.quantity
  if (row.amount) return `${row.amount} (montant)`
  if (row.percent) return `${row.percent} %`
  return '—'
}

/** Ce qui en est sorti : l'ordre (« Achat 0.01 BTC/USDT à 50000 — exécuté »), sinon la raison, sinon « — ». */
export function resultText(row) {
  const trade = row.trade
  if (row.error) return row.error
  if (!trade) return row.status === 'received' ? 'en attente du worker' : '—'
  const price = trade.average_price ?? trade.price
  const quantity = trade.filled_quantity && trade.filled_quantity !== '0' ? trade.filled_quantity : trade.quantity
  return `${SIDES[trade.side] ?? trade.side} ${quantity} ${trade.symbol}${price ? ` à ${price}` : ''} — ${trade.status_label}`
}
