// Libellés français de la page Backtest.
export const STATUS_LABELS = {
  queued: 'en attente',
  running: 'en cours',
  done: 'terminé',
  failed: 'échoué',
  cancelled: 'annulé',
}

export const EXIT_REASONS = {
  signal: 'signal',
  stop_loss: 'stop-loss',
  take_profit: 'take-profit',
  end: 'fin des données',
}

/** Cartes : clé de `stats`, libellé, mise en forme (pct, signedPct, money, number, int, duration). */
export const STAT_CARDS = [
  ['final_amount', 'Montant final', 'money'],
  ['return_pct', 'Rendement', 'signedPct'],
  ['buy_hold_return_pct', 'Achat-conservation', 'signedPct'],
  ['total_trades', 'Trades', 'int'],
  ['winning_trades', 'Gagnants', 'int'],
  ['losing_trades', 'Perdants', 'int'],
  ['win_rate', 'Taux de réussite', 'pct'],
  ['profit_factor', 'Profit factor', 'number'],
  ['expectancy', 'Espérance par trade', 'money'],
  ['avg_win', 'Gain moyen', 'money'],
  ['avg_loss', 'Perte moyenne', 'money'],
  ['max_drawdown_pct', 'Drawdown max', 'pct'],
  ['max_drawdown_duration_seconds', 'Durée du drawdown max', 'duration'],
  ['sharpe_ratio', 'Sharpe', 'number'],
  ['sortino_ratio', 'Sortino', 'number'],
  ['cagr_pct', 'CAGR', 'signedPct'],
  ['exposure_pct', 'Exposition', 'pct'],
  ['fees', 'Frais payés', 'money'],
]
