// Données des graphiques d'un résultat de backtest, au format de LightweightChart.
const EXIT_MARKS = { signal: 'Sortie', stop_loss: 'SL', take_profit: 'TP', end: 'Fin' }
const MARGIN_BARS = 30

const TIMEFRAME_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 }

export const timeframeMs = (timeframe) => Number.parseInt(timeframe, 10) * (TIMEFRAME_MS[timeframe.slice(-1)] ?? 60_000)

/** Un triangle d'achat sous la bougie d'entrée, un de vente (vert si gagnant) au-dessus de celle de sortie. */
export function tradeMarkers(trades) {
  return trades.flatMap((trade) => [
    { time: Date.parse(trade.entry_time), position: 'belowBar', shape: 'arrowUp', color: 'primary', text: '' },
    {
      time: Date.parse(trade.exit_time), position: 'aboveBar', shape: 'arrowDown',
      color: Number(trade.pnl) >= 0 ? 'success' : 'danger', text: EXIT_MARKS[trade.exit_reason] ?? 'Sortie',
    },
  ])
}

/** Prix d'entrée, stop-loss et take-profit du trade choisi. */
export function tradePriceLines(trade) {
  if (!trade) return []
  return [
    { price: trade.entry_price, color: 'primary', title: 'Entrée' },
    { price: trade.stop_loss, color: 'danger', title: 'SL' },
    { price: trade.take_profit, color: 'success', title: 'TP' },
  ].filter((line) => line.price !== null && line.price !== undefined)
}

/** Fenêtre du graphique autour d'un trade, quelques bougies de part et d'autre. */
export function tradeRange(trade, timeframe) {
  const margin = MARGIN_BARS * timeframeMs(timeframe)
  return { from: Date.parse(trade.entry_time) - margin, to: Date.parse(trade.exit_time) + margin }
}

export function equityLines(equity) {
  return [
    { id: 'equity', title: 'Stratégie', color: 'primary', points: equity.map((p) => ({ time: p.time, value: p.equity })) },
    {
      id: 'buy_hold', title: 'Achat-conservation', color: 'textMuted',
      points: equity.map((p) => ({ time: p.time, value: p.buy_hold })),
    },
  ]
}
