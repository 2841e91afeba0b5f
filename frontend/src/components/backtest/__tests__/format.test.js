import { describe, expect, it } from 'vitest'
import { formatDuration, formatNumber, formatPct, gainClass } from '../format.js'

// Intl fr-FR sépare les milliers par une espace fine insécable.
const plain = (text) => text.replace(/\u202f|\u00a0/g, ' ')

describe('backtest formatting', () => {
  it('writes numbers and percentages the French way, null as a dash', () => {
    expect(plain(formatNumber('10120.456'))).toBe('10 120,46')
    expect(formatPct('12.3456')).toBe('12,35 %')
    expect(formatPct('1.2', { signed: true })).toBe('+1,2 %')
    expect(formatPct('-3', { signed: true })).toBe('-3 %')
    expect(formatPct(null)).toBe('—')
    expect(formatNumber(undefined)).toBe('—')
  })

  it('writes durations with at most two units', () => {
    expect(formatDuration(45)).toBe('45 s')
    expect(formatDuration(3600)).toBe('1 h')
    expect(formatDuration(9000)).toBe('2 h 30 min')
    expect(formatDuration(93784)).toBe('1 j 2 h')
    expect(formatDuration(86460)).toBe('1 j 1 min')
    expect(formatDuration(null)).toBe('—')
  })

  it('colours gains and losses', () => {
    expect(gainClass('4.2')).toBe('text-success')
    expect(gainClass('-0.1')).toBe('text-danger')
    expect(gainClass('0')).toBe('')
  })
})
