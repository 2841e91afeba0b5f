// Réponses du backend partagées par les tests de la page Backtest (forme du contrat « Backtests »).
export const run = (id, fields = {}) => ({
  id, strategy: 1, strategy_name: 'SMA cross', broker: 1, broker_name: 'Paper trading', symbol: 'BTC/USDT',
  timeframe: '5m', start: '2025-01-01T00:00:00Z', end: '2025-01-02T00:00:00Z', initial_amount: '10000', fee: null,
  status: 'done', phase: null, progress: 100, progress_label: '', error: '', partial: false, gaps: [],
  code_hash: 'abc', created_at: '2025-02-01T10:00:00Z', started_at: '2025-02-01T10:00:01Z',
  finished_at: '2025-02-01T10:00:03Z', duration_seconds: 2, final_amount: '10120.5',
  stats: { final_amount: '10120.5', return_pct: '1.205', total_trades: 2 },
  ...fields,
})

export const trades = [
  {
    entry_time: '2025-01-01T01:00:00Z', entry_price: '100', exit_time: '2025-01-01T02:00:00Z', exit_price: '98',
    exit_reason: 'stop_loss', quantity: '1', fees: '0.2', pnl: '-2.2', pnl_pct: '-2.2', duration_seconds: 3600,
    stop_loss: '98', take_profit: '103',
  },
  {
    entry_time: '2025-01-01T03:00:00Z', entry_price: '99', exit_time: '2025-01-01T05:30:00Z', exit_price: '102',
    exit_reason: 'take_profit', quantity: '1.5', fees: '0.3', pnl: '4.2', pnl_pct: '2.8', duration_seconds: 9000,
    stop_loss: null, take_profit: '102',
  },
]

export const candles = [
  { time: Date.parse('2025-01-01T01:00:00Z'), open: '100', high: '101', low: '97', close: '98', volume: '5' },
  { time: Date.parse('2025-01-01T01:05:00Z'), open: '98', high: '99', low: '97', close: '98.5', volume: '3' },
]

export const equity = [
  { time: Date.parse('2025-01-01T00:00:00Z'), equity: '10000', buy_hold: '10000' },
  { time: Date.parse('2025-01-02T00:00:00Z'), equity: '10120.5', buy_hold: '9900' },
]

export class MockWebSocket {
  static last = null

  constructor() {
    MockWebSocket.last = this
  }

  close() {}
}

/** Un message « backtest » comme le serveur l'envoie. */
export const push = (data) => MockWebSocket.last.onmessage({ data: JSON.stringify({ type: 'backtest', data }) })
