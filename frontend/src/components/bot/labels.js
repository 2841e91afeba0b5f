// Libellés et classes de la page Trading BOT.
// « nothing » n'a pas de libellé : son message dit déjà pourquoi.
export const DECISION_ACTIONS = { long: 'Achat', exit: 'Sortie', error: 'Erreur' }

/** Une position compte comme « trade en cours » tant qu'elle n'est ni fermée ni en échec. */
export const isTradeOpen = (position) => ['opening', 'open', 'closing'].includes(position?.status)

/** Classe de couleur d'un gain (vert) ou d'une perte (rouge). */
export function pnlClass(value) {
  const number = Number(value)
  if (!value || !Number.isFinite(number) || number === 0) return ''
  return number > 0 ? 'text-success' : 'text-danger'
}

/** Base et cotation d'une paire (« BTC/USDT » → ['BTC', 'USDT']). */
export const assetsOf = (symbol) => [symbol.split('/')[0], (symbol.split('/')[1] ?? '').split(':')[0]]
