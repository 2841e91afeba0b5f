// Calculs et libellés des positions affichées ; le P&L réalisé vient du serveur (exécutions réelles).

export const STATUS_LABELS = {
  opening: 'ouverture en cours',
  open: 'ouverte',
  closing: 'clôture en cours',
  closed: 'clôturée',
  failed: 'échec',
}

/** Clé du prix courant d'une position : une paire sur un broker. */
export const priceKey = (position) => `${position.broker} ${position.symbol}`

export const quoteOf = (position) => position.symbol.split('/')[1] ?? ''
export const baseOf = (position) => position.symbol.split('/')[0] ?? ''

/** Quantité vendue d'une position clôturée (exécutions de ses ventes) ; la quantité détenue sinon. */
export function closedQuantity(position) {
  const sells = (position.trades ?? []).filter((trade) => trade.side === 'sell' && Number(trade.filled_quantity) > 0)
  if (!sells.length) return position.quantity
  return sells.reduce((sum, trade) => sum + Number(trade.filled_quantity), 0)
}

/** P&L latent (estimation, frais de sortie non comptés) au prix `price` : {pnl, pct} en nombres, ou null. */
export function unrealizedPnl(position, price) {
  const [last, entry, quantity] = [Number(price), Number(position.entry_price), Number(position.quantity)]
  if (!(last > 0) || !(entry > 0) || !(quantity > 0)) return null
  return { pnl: (last - entry) * quantity, pct: (last / entry - 1) * 100 }
}
