// Libellés français des valeurs d'un Trade.
export const SIDES = { buy: 'Achat', sell: 'Vente' }
export const TYPES = { market: 'Marché', limit: 'Limite' }
export const SOURCES = { manual: 'manuel', webhook: 'webhook', strategy: 'stratégie', bot: 'bot' }
