import { describe, expect, it } from 'vitest'
import { equityLines, timeframeMs, tradeMarkers, tradePriceLines, tradeRange } from '../chartData.js'
import { equity, trades } from './fixtures.js'

describe('backtest chart data', () => {
  it('puts a buy mark under each entry and a coloured exit mark over each exit', () => {
    expect(tradeMarkers(trades)).toEqual([
      { time: Date.parse('2025-01-01T01:00:00Z'), position: 'belowBar', shape: 'arrowUp', color: 'primary', text: '' },
      { time: Date.parse('2025-01-01T02:00:00Z'), position: 'aboveBar', shape: 'arrowDown', color: 'danger', text: 'SL' },
      { time: Date.parse('2025-01-01T03:00:00Z'), position: 'belowBar', shape: 'arrowUp', color: 'primary', text: '' },
      { time: Date.parse('2025-01-01T05:30:00Z'), position: 'aboveBar', shape: 'arrowDown', color: 'success', text: 'TP' },
    ])
  })

  it('draws the entry, stop-loss and take-profit of the chosen trade, skipping the missing ones', () => {
    expect(tradePriceLines(trades[0]).map((line) => [line.title, line.price])).toEqual([
      ['Entrée', '100'], ['SL', '98'], ['TP', '103'],
    ])
    expect(tradePriceLines(trades[1]).map((line) => line.title)).toEqual(['Entrée', 'TP'])
    expect(tradePriceLines(null)).toEqual([])
  })

  it('frames a trade with 30 bars on each side', () => {
    expect(timeframeMs('5m')).toBe(300_000)
    expect(timeframeMs('4h')).toBe(14_400_000)
    expect(tradeRange(trades[0], '5m')).toEqual({
      from: Date.parse('2025-01-01T01:00:00Z') - 9_000_000, to: Date.parse('2025-01-01T02:00:00Z') + 9_000_000,
    })
  })

  it('gives the strategy curve and the buy-and-hold curve', () => {
    const [strategy, hold] = equityLines(equity)
    expect(strategy.points.map((p) => p.value)).toEqual(['10000', '10120.5'])
    expect(hold.points.map((p) => p.value)).toEqual(['10000', '9900'])
  })
})
