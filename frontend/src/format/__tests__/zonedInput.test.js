import { describe, expect, it } from 'vitest'
import { fromInputValue, toInputValue } from '../zonedInput.js'

describe('toInputValue', () => {
  it('fills a datetime-local field with the wall clock of the zone', () => {
    expect(toInputValue('2025-07-14T12:30:00Z', 'Europe/Paris')).toBe('2025-07-14T14:30')
    expect(toInputValue('2025-07-14T12:30:00Z', 'UTC')).toBe('2025-07-14T12:30')
  })

  it('gives an empty field for a missing date', () => {
    expect(toInputValue(null, 'UTC')).toBe('')
  })
})

describe('fromInputValue', () => {
  it('reads the field as the wall clock of the zone, summer and winter', () => {
    expect(fromInputValue('2025-07-14T14:30', 'Europe/Paris')).toBe('2025-07-14T12:30:00.000Z')
    expect(fromInputValue('2026-01-01T00:15', 'Europe/Paris')).toBe('2025-12-31T23:15:00.000Z')
    expect(fromInputValue('2025-03-10T09:00', 'America/New_York')).toBe('2025-03-10T13:00:00.000Z')
  })

  it('keeps UTC as is', () => {
    expect(fromInputValue('2025-12-31T14:05', 'UTC')).toBe('2025-12-31T14:05:00.000Z')
  })

  it('round-trips with toInputValue', () => {
    const iso = '2025-10-26T00:45:00.000Z'
    expect(fromInputValue(toInputValue(iso, 'Europe/Paris'), 'Europe/Paris')).toBe(iso)
  })

  it('moves a skipped hour (spring forward) to the next instant', () => {
    expect(fromInputValue('2025-03-30T02:30', 'Europe/Paris')).toBe('2025-03-30T01:30:00.000Z')
  })

  it('refuses empty, malformed or impossible values', () => {
    expect(fromInputValue('', 'UTC')).toBeNull()
    expect(fromInputValue('2025-13-01T10:00', 'UTC')).toBeNull()
    expect(fromInputValue('2025-02-30T10:00', 'UTC')).toBeNull()
    expect(fromInputValue('demain', 'UTC')).toBeNull()
  })
})
