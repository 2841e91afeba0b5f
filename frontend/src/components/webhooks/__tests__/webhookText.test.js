import { describe, expect, it } from 'vitest'
import { resultText, sizeText } from '../webhookText.js'

const trade = { side: 'buy', symbol: 'BTC/USDT', quantity: '0.01', filled_quantity: '0.01', average_price: '50000',
  price: null, status_label: 'exécuté' }

describe('webhook row texts', () => {
  it('shows the size the signal asked for', () => {
    expect(sizeText({ quantity: '0.01' })).toBe('0.01')
    expect(sizeText({ amount: '100' })).toBe('100 (montant)')
    expect(sizeText({ percent: '100' })).toBe('100 %')
    expect(sizeText({})).toBe('—')
  })

  it('describes the resulting order', () => {
    expect(resultText({ status: 'processed', error: '', trade })).toBe('Achat 0.01 BTC/USDT à 50000 — exécuté')
    const open = { ...trade, side: 'sell', filled_quantity: '0', average_price: null, price: '60000', status_label: 'ouvert' }
    expect(resultText({ status: 'processed', error: '', trade: open })).toBe('Vente 0.01 BTC/USDT à 60000 — ouvert')
  })

  it('prefers the French reason when there is one', () => {
    const failed = { status: 'failed', error: 'Paire inconnue sur Démo : XYZ.', trade: { ...trade, status_label: 'refusé' } }
    expect(resultText(failed)).toBe('Paire inconnue sur Démo : XYZ.')
  })

  it('says a received webhook waits for the worker', () => {
    expect(resultText({ status: 'received', error: '', trade: null })).toBe('en attente du worker')
    expect(resultText({ status: 'duplicate', error: '', trade: null })).toBe('—')
  })
})
