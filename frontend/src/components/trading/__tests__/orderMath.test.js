import { describe, expect, it } from 'vitest'
import { checkLimits, counterpart, describeTrade, parseNumber, validateOrder, validateProtection } from '../orderMath.js'

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
    expect(counterpart('quantity', '0.1', 3)).toBe('0.3')
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

// Paire paper BTC/USDT telle que la donne /api/markets/ (nombres en texte).
const btc = { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', precision: { amount: '0.00001', price: '0.01' },
  limits: { amount: { min: '0.00001', max: '9000' }, cost: { min: '5', max: null }, price: { min: '0.01' } } }

describe('checkLimits', () => {
  it('refuses a quantity or an amount below the market minimum, in the words of the server', () => {
    expect(checkLimits({ market: btc, quantity: 0.000001, cost: 0.05 })).toEqual([
      'Quantité 0,000001 BTC inférieure au minimum de 0,00001 BTC pour BTC/USDT.',
      'Montant 0,05 USDT inférieur au minimum de 5 USDT pour BTC/USDT.',
    ])
    expect(checkLimits({ market: btc, quantity: 0.00008, cost: 4 })).toEqual([
      'Montant 4 USDT inférieur au minimum de 5 USDT pour BTC/USDT.',
    ])
    expect(checkLimits({ market: btc, quantity: 10000, cost: 5e8 })).toEqual([
      'Quantité 10 000 BTC supérieure au maximum de 9 000 BTC pour BTC/USDT.',
    ])
  })

  it('accepts an order inside the limits and skips what it cannot know', () => {
    expect(checkLimits({ market: btc, quantity: 0.0001, cost: 5 })).toEqual([])
    expect(checkLimits({ market: btc, quantity: null, cost: 100 })).toEqual([])
    expect(checkLimits({ market: btc, quantity: 0.01, cost: null })).toEqual([])
    expect(checkLimits({ market: null, quantity: 0.000001, cost: 0.05 })).toEqual([])
    expect(checkLimits({ market: { ...btc, limits: {} }, quantity: 0.000001, cost: 0.05 })).toEqual([])
  })
})

describe('validateProtection', () => {
  it('wants the stop-loss below and the take-profit above the price for a buy', () => {
    expect(validateProtection({ side: 'buy', reference: 50000, stopLoss: '45000', takeProfit: '60000' })).toEqual([])
    expect(validateProtection({ side: 'buy', reference: 50000, stopLoss: '55000', takeProfit: '40000' })).toEqual([
      'Le stop-loss (55 000) doit être sous le prix (50 000).',
      'Le take-profit (40 000) doit être au-dessus du prix (50 000).',
    ])
    expect(validateProtection({ side: 'buy', reference: 50000, stopLoss: '50000', takeProfit: '' })).toEqual([
      'Le stop-loss (50 000) doit être sous le prix (50 000).',
    ])
  })

  it('wants the opposite for a sell', () => {
    expect(validateProtection({ side: 'sell', reference: 50000, stopLoss: '55000', takeProfit: '45000' })).toEqual([])
    expect(validateProtection({ side: 'sell', reference: 50000, stopLoss: '45000', takeProfit: '' })).toEqual([
      'Le stop-loss (45 000) doit être au-dessus du prix (50 000).',
    ])
  })

  it('refuses what is not a positive number, and leaves the sides to the server without a price', () => {
    expect(validateProtection({ side: 'buy', reference: 50000, stopLoss: 'abc', takeProfit: '-1' })).toEqual([
      'Le stop-loss doit être un nombre positif.',
      'Le take-profit doit être un nombre positif.',
    ])
    expect(validateProtection({ side: 'buy', reference: null, stopLoss: '55000', takeProfit: '' })).toEqual([])
    expect(validateProtection({ side: 'buy', reference: 50000, stopLoss: ' ', takeProfit: undefined })).toEqual([])
  })
})

describe('describeTrade', () => {
  const trade = { symbol: 'BTC/USDT', side: 'buy', quantity: '0.01', price: null, filled_quantity: '0.01',
    average_price: '50000', fee: '0.5', fee_currency: 'USDT', status: 'filled', status_label: 'exécuté', error: '' }

  it('tells what was filled, at which price and fee', () => {
    expect(describeTrade(trade)).toBe('Achat exécuté : 0,01 BTC à 50 000 USDT (frais 0,5 USDT).')
    expect(describeTrade({ ...trade, side: 'sell', status: 'partially_filled', filled_quantity: '0.004' })).toBe(
      'Vente partiellement exécutée : 0,004 / 0,01 BTC à 50 000 USDT (frais 0,5 USDT).',
    )
  })

  it('rounds the long numbers of the exchange', () => {
    expect(describeTrade({ ...trade, filled_quantity: '0.0099900000000000', average_price: '50000.123456789',
      fee: '0.0999999992702446' })).toBe('Achat exécuté : 0,00999 BTC à 50 000,123 USDT (frais 0,1 USDT).')
  })

  it('tells a cancelled limit order', () => {
    const resting = { ...trade, type: 'limit', price: '45000', average_price: null, fee: null }
    expect(describeTrade({ ...resting, status: 'cancelled', filled_quantity: '0' })).toBe(
      'Ordre limite annulé : 0,01 BTC à 45 000 USDT (rien exécuté).',
    )
    expect(describeTrade({ ...resting, status: 'cancelled', filled_quantity: '0.004' })).toBe(
      "Ordre limite annulé : 0,01 BTC à 45 000 USDT (0,004 BTC exécuté avant l'annulation).",
    )
  })

  it('tells a resting limit order and a failure', () => {
    expect(describeTrade({ ...trade, status: 'open', price: '45000', filled_quantity: '0', average_price: null,
      fee: null })).toBe("Ordre limite placé : 0,01 BTC à 45 000 USDT, en attente d'exécution.")
    expect(describeTrade({ ...trade, status: 'failed', error: 'Fonds insuffisants sur Paper : …' })).toBe(
      'Fonds insuffisants sur Paper : …',
    )
  })
})
