// Réponses de /api/stats/… pour les tests de la page Statistiques.
import { json } from '../../brokers/__tests__/fixtures.js'

export const metrics = (fields = {}) => ({
  quote: 'USDT', realized_pnl: '50', realized_pnl_pct: '0.83', total_trades: 6, winning_trades: 3, losing_trades: 3,
  win_rate: '50', profit_factor: '1.42', expectancy: '8.333333', avg_win: '56.666667', avg_loss: '-40',
  best_trade: '100', worst_trade: '-60', max_drawdown: '-80', max_drawdown_pct: '-7.27', fees: '6', ...fields,
})

const H = 3_600_000
export const T0 = Date.parse('2026-03-01T12:00:00Z')
export const at = (hours) => new Date(T0 + hours * H).toISOString().replace('.000Z', 'Z')

export const balance = {
  interval: '1h', start: at(-24), end: at(24),
  brokers: [
    { broker: 1, name: 'Spot', points: [{ time: at(0), total_usd: '1000' }, { time: at(1), total_usd: null }, { time: at(2), total_usd: '1100' }], change: { usd: '100', pct: '10' } },
    { broker: 2, name: 'Démo', points: [{ time: at(1), total_usd: '500' }, { time: at(2), total_usd: '500' }], change: { usd: '0', pct: '0' } },
    { broker: 3, name: 'Vide', points: [], change: { usd: null, pct: null } },
  ],
  total: {
    points: [{ time: at(0), total_usd: '1000' }, { time: at(1), total_usd: null }, { time: at(2), total_usd: '1600' }],
    change: { usd: '600', pct: '60' },
  },
}

export const summary = {
  overall: [metrics(), metrics({ quote: 'BTC', realized_pnl: '0.001', total_trades: 1, realized_pnl_pct: '2' })],
  source: [
    metrics({ source: 'strategy', source_label: 'stratégie', realized_pnl: '20', total_trades: 4 }),
    metrics({ source: 'webhook', source_label: 'webhook', realized_pnl: '30', total_trades: 2 }),
  ],
  broker: [metrics({ broker_id: 1, broker_name: 'Spot', realized_pnl: '20', total_trades: 4 })],
  balance_change: { usd: '100', pct: '10' }, start: at(-24), end: at(24),
}

export const strategies = [
  metrics({
    active_strategy_id: 7, realized_pnl: '20', total_trades: 4,
    curve: [{ time: at(1), pnl: '100' }, { time: at(2), pnl: '50' }, { time: at(3), pnl: '80' }, { time: at(4), pnl: '20' }],
  }),
]
export const webhooks = [
  metrics({
    label: 'RSI 4h', realized_pnl: '30', total_trades: 2,
    curve: [{ time: at(5), pnl: '40' }, { time: at(6), pnl: '30' }],
  }),
]

export const empty = {
  balance: { interval: '1d', start: at(-24), end: at(24), brokers: [], total: { points: [], change: { usd: null, pct: null } } },
  summary: {
    overall: [], source: [], broker: [], balance_change: { usd: null, pct: null }, start: at(-24), end: at(24),
  },
}

/** Faux fetch des statistiques : répond selon le chemin (sans la requête) et garde chaque URL demandée. */
export function statsFetch(bodies) {
  const seen = []
  const fetch = async (url, options) => {
    seen.push(url)
    const path = url.split('?')[0]
    const body = bodies[`${options.method} ${path}`]
    return body === undefined ? json({ detail: `absent : ${path}` }, 404) : json(body)
  }
  return { fetch, seen }
}

export const full = {
  'GET /api/brokers/': [{ id: 1, name: 'Spot' }, { id: 2, name: 'Démo' }],
  'GET /api/stats/balance/': balance,
  'GET /api/stats/summary/': summary,
  'GET /api/stats/strategies/': strategies,
  'GET /api/stats/webhooks/': webhooks,
}
