import { describe, expect, it } from 'vitest'
import { coherenceTitle, describeCoherence } from '../coherence.js'

const format = (iso) => iso.slice(0, 16).replace('T', ' ')
const gap = {
  symbol: 'BTC/USDT', start: '2024-03-01T23:53:00+00:00', end: '2024-03-01T23:56:00+00:00', minutes: 4,
  reason: 'unavailable',
}

function running(coherent, coherence = {}) {
  return {
    heartbeatActive: true,
    heartbeatCoherent: coherent,
    lastMessageAt: '2024-03-02T00:00:00+00:00',
    coherence: { since: null, starting: [], backfilling: [], gaps: [], ...coherence },
  }
}

describe('describeCoherence', () => {
  it('knows nothing before the first status', () => {
    const status = { heartbeatActive: null, heartbeatCoherent: null, lastMessageAt: null, coherence: null }
    expect(describeCoherence(status, format)).toMatchObject({ label: '—', tone: 'neutral', reasons: [] })
  })

  it('is neutral, not red, when the heartbeat never ran', () => {
    const status = { heartbeatActive: false, heartbeatCoherent: false, lastMessageAt: null, coherence: null }
    const described = describeCoherence(status, format)
    expect(described).toMatchObject({ label: '—', tone: 'neutral' })
    expect(described.reasons).toEqual(['Heartbeat jamais démarré : cohérence inconnue.'])
  })

  it('says "Démarrage…" during the first backfill', () => {
    const described = describeCoherence(running(false, { starting: ['ETH/USDT'], backfilling: ['ETH/USDT'] }), format)
    expect(described).toMatchObject({ label: 'Démarrage…', tone: 'neutral' })
    expect(described.reasons).toEqual(['Premier rattrapage des bougies : ETH/USDT.'])
  })

  it('says a backfill is in progress without turning red', () => {
    const status = running(false, { since: '2024-03-01T23:57:00+00:00', backfilling: ['BTC/USDT'] })
    const described = describeCoherence(status, format)
    expect(described).toMatchObject({ label: 'Rattrapage…', tone: 'neutral' })
    expect(described.reasons).toEqual(['Non cohérent depuis 2024-03-01 23:57.', 'Rattrapage en cours : BTC/USDT.'])
  })

  it('explains each gap, since when, and what happens to it', () => {
    const gaps = [gap, { ...gap, symbol: 'ETH/USDT', reason: 'missing' }, { ...gap, reason: 'too_old' }]
    const described = describeCoherence(running(false, { since: '2024-03-01T23:57:00+00:00', gaps }), format)
    expect(described).toMatchObject({ label: 'Non cohérent', tone: 'danger' })
    expect(described.gaps.map((row) => row.fate)).toEqual([
      'rattrapage impossible (Binance injoignable) : ne seront pas comblées',
      'absentes chez Binance : ne peuvent pas être comblées',
      'plus de 24 h : au-delà du rattrapage, ne seront pas comblées',
    ])
    expect(coherenceTitle(described, format).split('\n')).toEqual([
      'Non cohérent depuis 2024-03-01 23:57.',
      '3 trou(s) dans les bougies 1m.',
      'BTC/USDT : 4 min, du 2024-03-01 23:53 au 2024-03-01 23:56, '
      + 'rattrapage impossible (Binance injoignable) : ne seront pas comblées',
      'ETH/USDT : 4 min, du 2024-03-01 23:53 au 2024-03-01 23:56, absentes chez Binance : ne peuvent pas être comblées',
      'BTC/USDT : 4 min, du 2024-03-01 23:53 au 2024-03-01 23:56, '
      + 'plus de 24 h : au-delà du rattrapage, ne seront pas comblées',
    ])
  })

  it('keeps the hover text short when there are many gaps', () => {
    const gaps = Array.from({ length: 8 }, (_, minute) => ({ ...gap, start: `2024-03-01T23:0${minute}:00+00:00` }))
    const title = coherenceTitle(describeCoherence(running(false, { gaps }), format), format)
    expect(title.split('\n')).toHaveLength(1 + 5 + 1)
    expect(title).toContain('… et 3 autre(s) : voir la page Heartbeat.')
  })

  it('says the missing minutes come back at reconnection when the stream is cut', () => {
    const status = { ...running(true), heartbeatActive: false }
    const described = describeCoherence(status, format)
    expect(described.label).toBe('Cohérent')
    expect(described.reasons).toContain(
      'Flux coupé : les minutes manquantes seront rattrapées à la reconnexion (24 h au plus).',
    )
  })

  it('is plain "Cohérent" when nothing is missing', () => {
    expect(describeCoherence(running(true), format)).toMatchObject({
      label: 'Cohérent', tone: 'ok', reasons: ['Aucun trou depuis le démarrage ou le dernier rattrapage.'],
    })
  })
})
