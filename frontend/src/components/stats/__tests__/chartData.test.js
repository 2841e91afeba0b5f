import { describe, expect, it } from 'vitest'
import { balanceLines, cssColor, pnlLines, strategyLabel } from '../chartData.js'
import { T0, balance, strategies } from './fixtures.js'

const H = 3_600_000

describe('stats chart data', () => {
  it('keeps a missing balance as a null point (a gap) and skips a broker without snapshot', () => {
    const lines = balanceLines(balance)

    expect(lines.map((line) => line.title)).toEqual(['Total', 'Spot', 'Démo'])
    expect(lines[0].points).toEqual([
      { time: T0, value: '1000' }, { time: T0 + H, value: null }, { time: T0 + 2 * H, value: '1600' },
    ])
    expect(balanceLines(null)).toEqual([])
  })

  it('draws only the total when a single broker has snapshots (the same curve)', () => {
    const single = { ...balance, brokers: balance.brokers.filter((b) => b.broker !== 2) }

    expect(balanceLines(single).map((line) => line.title)).toEqual(['Total'])
  })

  it('draws one cumulative curve per row, one point per second', () => {
    const twice = [{ ...strategies[0], curve: [{ time: '2026-03-01T12:00:00.100Z', pnl: '5' }, { time: '2026-03-01T12:00:00.900Z', pnl: '8' }] }]

    expect(pnlLines(strategies, strategyLabel)[0]).toMatchObject({ title: 'Activation n° 7 (USDT)', color: 'primary' })
    expect(pnlLines(twice, strategyLabel)[0].points.map((p) => p.value)).toEqual(['8'])
    expect(pnlLines([{ ...strategies[0], curve: [] }], strategyLabel)).toEqual([])
    expect(cssColor('codeAccent')).toBe('var(--code-accent)')
  })
})
