import { describe, expect, it } from 'vitest'
import { formatAmount, formatMoney, formatNumber, formatPercent, formatSigned, formatUsd } from '../numbers.js'

describe('formatAmount', () => {
  it('rounds the long balances and fees of the exchange to 8 decimals, trailing zeros trimmed', () => {
    expect(formatAmount('9781.8512504109851554')).toBe('9781.85125041')
    expect(formatAmount('0.0999999992702446')).toBe('0.1')
    expect(formatAmount('0.00999')).toBe('0.00999')
    expect(formatAmount('10000')).toBe('10000')
    expect(formatAmount('50000.000000000000')).toBe('50000')
  })

  it('rounds half up at the last kept decimal, without float noise', () => {
    expect(formatAmount('0.123456785')).toBe('0.12345679')
    expect(formatAmount('0.123456784999')).toBe('0.12345678')
    expect(formatAmount('99999999.999999999')).toBe('100000000')
    expect(formatAmount('123456789012345678.123456789')).toBe('123456789012345678.12345679')
    expect(formatAmount(0.1 + 0.2)).toBe('0.3')
  })

  it('keeps the sign, drops a negative zero and shows a dash for nothing', () => {
    expect(formatAmount('-1.5')).toBe('-1.5')
    expect(formatAmount('-0.000000001')).toBe('0')
    expect(formatAmount(null)).toBe('—')
    expect(formatAmount('')).toBe('—')
    expect(formatAmount('abc')).toBe('—')
    expect(formatAmount('1e-9')).toBe('0')
    expect(formatAmount('2E+3')).toBe('2000')
  })

  it('takes a smaller number of decimals', () => {
    expect(formatAmount('1.23456', 2)).toBe('1.23')
    expect(formatAmount('1.999', 2)).toBe('2')
  })
})

describe('formatUsd and formatMoney', () => {
  it('shows USD values with exactly 2 decimals', () => {
    expect(formatUsd('9781.8512504109851554')).toBe('9781.85')
    expect(formatUsd('10000')).toBe('10000.00')
    expect(formatUsd('0.005')).toBe('0.01')
    expect(formatUsd(undefined)).toBe('—')
  })

  it('uses 2 decimals for a USD stablecoin and 8 for another asset', () => {
    expect(formatMoney('12.3456', 'USDT')).toBe('12.35')
    expect(formatMoney('0.000123456789', 'BTC')).toBe('0.00012346')
  })

  it('signs a gain and a loss', () => {
    expect(formatSigned('12.345', 'USDT')).toBe('+12.35')
    expect(formatSigned('-3.2', 'USDT')).toBe('-3.20')
    expect(formatSigned('0', 'USDT')).toBe('0.00')
    expect(formatPercent('1.254')).toBe('+1.25 %')
    expect(formatPercent('-0.5')).toBe('-0.50 %')
    expect(formatPercent(null)).toBe('—')
  })
})

describe('formatNumber', () => {
  it('shows an estimate with 8 significant digits', () => {
    expect(formatNumber(10 / 3)).toBe('3.3333333')
    expect(formatNumber(0.00001)).toBe('0.00001')
    expect(formatNumber(NaN)).toBe('—')
  })
})
