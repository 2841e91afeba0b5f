import { describe, expect, it } from 'vitest'
import { counterpart, describeTrade, formatNumber, parseNumber, validateOrder } from '../orderMath.js'

describe('parseNumber', () => {
  it('reads dots and commas, refuses the rest', () => {
    expect(parseNumber('0.01')).toBe(0.01)
    expect(parseNumber(' 0,5 ')).toBe(0.5)
    expect(parseNumber('')).toBeNaN()
    expect(parseNumber('-1')).toBeNaN()
    expect(parseNumber('1e3')).toBeNaN()
    expect(parseNumber('abc')).toBeNaN()
  })
})

describe('counterpart', () => {
  it('gives the value of a quantity and the quantity of an amount', () => {
    expect(counterpart('quantity', '0.01', 50000)).toBe('500')
    expect(counterpart('amount', '100', 40000)).toBe('0.0025')
  })

  it('stays empty without a price or a number', () => {
    expect(counterpart('quantity', '0.01', null)).toBe('')
    expect(counterpart('amount', 'x', 50000)).toBe('')
  })

  it('shows 8 significant digits without float noise', () => {
    expect(counterpart('amount', '10', 3)).toBe('3.3333333')
    expect(formatNumber(0.1 + 0.2)).toBe('0.3')
    expect(formatNumber(0.00001)).toBe('0.00001')
  })
})

describe('validateOrder', () => {
  it('asks for a pair, a positive size and a limit price', () => {
    expect(validateOrder({ symbol: '', orderType: 'limit', size: '0', price: '' })).toEqual([
      'Choisissez une paire.',
      'Saisissez une quantité ou un montant positif.',
      'Un ordre limite demande un prix positif.',
    ])
    expect(validateOrder({ symbol: 'BTC/USDT', orderType: 'market', size: '0.01', price: '' })).toEqual([])
  })
})

describe('describeTrade', () => {
  const trade = { symbol: 'BTC/USDT', side: 'buy', quantity: '0.01', price: null, filled_quantity: '0.01',
    average_price: '50000', fee: '0.5', fee_currency: 'USDT', status: 'filled', status_label: 'exécuté', error: '' }

  it('tells what was filled, at which price and fee', () => {
    expect(describeTrade(trade)).toBe('Achat exécuté : 0.01 BTC à 50000 USDT (frais 0.5 USDT).')
    expect(describeTrade({ ...trade, side: 'sell', status: 'partially_filled', filled_quantity: '0.004' })).toBe(
      'Vente partiellement exécutée : 0.004 / 0.01 BTC à 50000 USDT (frais 0.5 USDT).',
    )
  })

  it('tells a resting limit order and a failure', () => {
    expect(describeTrade({ ...trade, status: 'open', price: '45000', filled_quantity: '0', average_price: null,
      fee: null })).toBe("Ordre limite placé : 0.01 BTC à 45000 USDT, en attente d'exécution.")
    expect(describeTrade({ ...trade, status: 'failed', error: 'Fonds insuffisants sur Paper : …' })).toBe(
      'Fonds insuffisants sur Paper : …',
    )
  })
})
