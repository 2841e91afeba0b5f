// Libellés français des valeurs d'un Trade.
export const SIDES = { buy: 'Achat', sell: 'Vente' }
export const TYPES = {
  market: 'Marché',
  limit: 'Limite',
  stop_loss_limit: 'Stop-loss limite',
  take_profit_limit: 'Take-profit limite',
}
export const SOURCES = { manual: 'manuel', webhook: 'webhook', strategy: 'stratégie', bot: 'bot' }
