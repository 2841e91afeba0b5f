// Séries des graphiques de la page Statistiques, au format de LightweightChart (temps en ms, valeur ou null).
export const PALETTE = ['primary', 'codeAccent', 'codeNumber', 'success', 'danger', 'textMuted']

/** Clé de jeton → sa variable CSS (« codeAccent » → « var(--code-accent) »), pour les légendes. */
export const cssColor = (key) => `var(--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)})`

/** Un point par seconde (le dernier gagne) : lightweight-charts refuse deux points au même instant. */
function bySecond(points) {
  const kept = new Map()
  for (const point of points) kept.set(Math.floor(point.time / 1000), point)
  return [...kept.values()]
}

/** Total puis, s'il y en a plusieurs, un trait par broker ; un total_usd null reste null (un trou). */
export function balanceLines(balance) {
  if (!balance) return []
  const line = (id, title, color, points) => ({
    id, title, color,
    points: bySecond(points.map((p) => ({ time: Date.parse(p.time), value: p.total_usd }))),
  })
  const withPoints = balance.brokers.filter((b) => b.points.length)
  const brokers = withPoints.length > 1 ? withPoints : []
  return [
    ...(balance.total.points.length ? [line('total', 'Total', 'primary', balance.total.points)] : []),
    ...brokers.map((b, index) => line(`broker-${b.broker}`, b.name, PALETTE[(index + 1) % PALETTE.length], b.points)),
  ]
}

export const strategyLabel = (row) => row.label || `Activation n° ${row.active_strategy_id}`
export const webhookLabel = (row) => row.label

/** Un trait de P&L cumulé par ligne (activation ou source de webhook) et par cotation. */
export function pnlLines(rows, labelOf) {
  return rows.filter((row) => row.curve?.length).map((row, index) => ({
    id: `${labelOf(row)}-${row.quote}`,
    title: `${labelOf(row)} (${row.quote})`,
    color: PALETTE[index % PALETTE.length],
    points: bySecond(row.curve.map((p) => ({ time: Date.parse(p.time), value: p.pnl }))),
  }))
}
