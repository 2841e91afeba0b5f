import { describe, expect, it } from 'vitest'
import { validateBacktest } from '../validate.js'

const NOW = Date.parse('2025-06-01T00:00:00Z')
const good = {
  strategy: 1, broker: 2, symbol: 'BTC/USDT', timeframe: '5m', start: '2025-01-01T00:00:00.000Z',
  end: '2025-02-01T00:00:00.000Z', initial_amount: '10000', fee: '',
}
const check = (changes) => validateBacktest({ ...good, ...changes }, NOW)

describe('validateBacktest', () => {
  it('accepts a complete form, with or without a fee', () => {
    expect(check({})).toEqual({})
    expect(check({ fee: '0.00075' })).toEqual({})
  })

  it('asks for each missing choice in French', () => {
    expect(check({ strategy: null, broker: null, symbol: '', start: null, end: null })).toEqual({
      strategy: 'Choisissez une stratégie.',
      broker: 'Choisissez un broker.',
      symbol: 'Choisissez une paire.',
      start: 'Date de début requise.',
      end: 'Date de fin requise.',
    })
  })

  it('refuses a pair without its quote and an unknown timeframe', () => {
    expect(check({ symbol: 'BTCUSDT', timeframe: '7m' })).toEqual({
      symbol: 'Paire au format BASE/COTATION, par exemple BTC/USDT.',
      timeframe: 'Choisissez une unité de temps.',
    })
  })

  it('refuses an end before the start or in the future', () => {
    expect(check({ end: good.start }).end).toBe('La date de fin doit suivre la date de début.')
    expect(check({ end: '2025-07-01T00:00:00.000Z' }).end).toBe('La date de fin ne peut pas être dans le futur.')
  })

  it.each(['0', '-5', 'abc', '1e4', ''])('refuses the amount %j', (amount) => {
    expect(check({ initial_amount: amount }).initial_amount).toBe('Montant de départ : un nombre positif (ex. 10000).')
  })

  it.each(['0.1', '1', '0,001', '-0.1', 'x'])('refuses the fee %j', (fee) => {
    expect(check({ fee }).fee).toBe('Frais : une fraction de 0 à 0.1 exclu (0.001 = 0,1 %).')
  })
})
