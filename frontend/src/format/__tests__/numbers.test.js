import { describe, expect, it } from 'vitest'
import {
  formatAmount, formatEstimate, formatMoney, formatNumber, formatPct, formatPrice, formatQuantity, formatSigned,
  formatUsd, gainClass, parseDecimalInput, setUsdAssets, stepDecimals,
} from '../numbers.js'

// Les actifs en USD viennent du serveur avec la session (`usd_assets`).
setUsdAssets(['USD', 'USDC', 'USDT'])

// Les milliers sont séparés par une espace fine insécable ; les attentes l'écrivent « _ ».
const shown = (text) => text.replaceAll('\u202f', '_')

describe('formatAmount', () => {
  it('rounds the long balances and fees of the exchange to 8 decimals, the French way', () => {
    expect(shown(formatAmount('9781.8512504109851554'))).toBe('9_781,85125041')
    expect(formatAmount('0.0999999992702446')).toBe('0,1')
    expect(formatAmount('0.00999')).toBe('0,00999')
    expect(shown(formatAmount('10000'))).toBe('10_000')
    expect(shown(formatAmount('50000.000000000000'))).toBe('50_000')
  })

  it('rounds half up at the last kept decimal, without float noise', () => {
    expect(formatAmount('0.123456785')).toBe('0,12345679')
    expect(formatAmount('0.123456784999')).toBe('0,12345678')
    expect(shown(formatAmount('99999999.999999999'))).toBe('100_000_000')
    expect(shown(formatAmount('123456789012345678.123456789'))).toBe('123_456_789_012_345_678,12345679')
    expect(formatAmount(0.1 + 0.2)).toBe('0,3')
    expect(formatAmount('0.13457000000000002')).toBe('0,13457')
  })

  it('keeps the sign, drops a negative zero and shows a dash for nothing', () => {
    expect(formatAmount('-1.5')).toBe('-1,5')
    expect(formatAmount('-0.000000001')).toBe('0')
    expect(formatAmount(null)).toBe('—')
    expect(formatAmount('')).toBe('—')
    expect(formatAmount('abc')).toBe('—')
    expect(formatAmount('1e-9')).toBe('0')
    expect(shown(formatAmount('2E+3'))).toBe('2_000')
  })

  it('takes a smaller number of decimals', () => {
    expect(formatAmount('1.23456', 2)).toBe('1,23')
    expect(formatAmount('1.999', 2)).toBe('2')
  })
})

describe('prices and quantities at the market steps', () => {
  it('reads the decimals of a step', () => {
    expect(stepDecimals('0.001')).toBe(3)
    expect(stepDecimals(0.01)).toBe(2)
    expect(stepDecimals('1e-8')).toBe(8)
    expect(stepDecimals('1')).toBe(0)
    expect(stepDecimals(null)).toBe(null)
  })

  it('shows a price at the tick, and an averaged price without its noise', () => {
    expect(shown(formatPrice('97123.4', '0.01'))).toBe('97_123,40')
    expect(shown(formatPrice('97123.45678912'))).toBe('97_123,457')
    expect(formatPrice('0.000123456789')).toBe('0,00012346')
    expect(formatPrice(null)).toBe('—')
  })

  it('shows a quantity at the amount step', () => {
    expect(formatQuantity('0.00390609', '0.0001')).toBe('0,0039')
    expect(formatQuantity('0.00390609')).toBe('0,00390609')
  })
})

describe('formatUsd, formatMoney, formatSigned, formatPct', () => {
  it('shows USD values with exactly 2 decimals', () => {
    expect(shown(formatUsd('9781.8512504109851554'))).toBe('9_781,85')
    expect(shown(formatUsd('10000'))).toBe('10_000,00')
    expect(formatUsd('0.005')).toBe('0,01')
    expect(formatUsd(undefined)).toBe('—')
  })

  it('uses 2 decimals for a USD stablecoin and 8 for another asset', () => {
    expect(formatMoney('12.3456', 'USDT')).toBe('12,35')
    expect(formatMoney('0.000123456789', 'BTC')).toBe('0,00012346')
  })

  it('takes the USD assets from the list the server sends', () => {
    setUsdAssets(['USDT', 'EURUSD'])
    expect(formatMoney('12.3456', 'EURUSD')).toBe('12,35')
    expect(formatMoney('12.3456', 'usdc')).toBe('12,3456')
    setUsdAssets(['USD', 'USDC', 'USDT'])
    expect(formatMoney('12.3456', 'usdc')).toBe('12,35')
  })

  it('signs a gain and a loss', () => {
    expect(formatSigned('12.345', 'USDT')).toBe('+12,35')
    expect(formatSigned('-3.2', 'USDT')).toBe('-3,20')
    expect(formatSigned('0', 'USDT')).toBe('0,00')
  })

  it('writes percentages at 2 decimals, signed on demand', () => {
    expect(formatPct('12.3456')).toBe('12,35 %')
    expect(formatPct('1.254', { signed: true })).toBe('+1,25 %')
    expect(formatPct('-0.5', { signed: true })).toBe('-0,50 %')
    expect(formatPct('0', { signed: true })).toBe('0,00 %')
    expect(formatPct(null)).toBe('—')
  })
})

describe('formatNumber and formatEstimate', () => {
  it('writes a statistic with at most the given decimals', () => {
    expect(shown(formatNumber('10120.456'))).toBe('10_120,46')
    expect(formatNumber('3', 0)).toBe('3')
    expect(formatNumber(undefined)).toBe('—')
  })

  it('shows an estimate with 8 significant digits', () => {
    expect(formatEstimate(10 / 3)).toBe('3,3333333')
    expect(formatEstimate(0.00001)).toBe('0,00001')
    expect(formatEstimate(NaN)).toBe('—')
  })

  it('colours gains and losses', () => {
    expect(gainClass('4.2')).toBe('text-success')
    expect(gainClass('-0.1')).toBe('text-danger')
    expect(gainClass('0')).toBe('')
    expect(gainClass(null)).toBe('')
  })
})

describe('parseDecimalInput', () => {
  it('accepts a decimal comma, a point and grouped thousands', () => {
    expect(parseDecimalInput('0,5')).toBe('0.5')
    expect(parseDecimalInput(' 0.5 ')).toBe('0.5')
    expect(parseDecimalInput('1\u202f000,25')).toBe('1000.25')
    expect(parseDecimalInput('10 000')).toBe('10000')
  })
})
