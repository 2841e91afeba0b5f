import { describe, expect, it } from 'vitest'
import { isoToZonedInput, zonedInputToIso } from '../zonedDate.js'

describe('zoned datetime-local inputs', () => {
  it('reads a Paris wall time in winter (UTC+1) and summer (UTC+2)', () => {
    expect(zonedInputToIso('2025-01-15T10:00', 'Europe/Paris')).toBe('2025-01-15T09:00:00.000Z')
    expect(zonedInputToIso('2025-07-15T10:00', 'Europe/Paris')).toBe('2025-07-15T08:00:00.000Z')
  })

  it('reads a wall time west of UTC and in UTC', () => {
    expect(zonedInputToIso('2025-03-01T23:30', 'America/New_York')).toBe('2025-03-02T04:30:00.000Z')
    expect(zonedInputToIso('2025-03-01T23:30', 'UTC')).toBe('2025-03-01T23:30:00.000Z')
  })

  it('gives null for an empty or unreadable input', () => {
    expect(zonedInputToIso('', 'Europe/Paris')).toBeNull()
    expect(zonedInputToIso('15/01/2025 10:00', 'Europe/Paris')).toBeNull()
  })

  it('fills an input back in the user zone, the round trip keeping the instant', () => {
    expect(isoToZonedInput('2025-07-15T08:00:00Z', 'Europe/Paris')).toBe('2025-07-15T10:00')
    expect(zonedInputToIso(isoToZonedInput('2025-10-26T03:30:00Z', 'Europe/Paris'), 'Europe/Paris'))
      .toBe('2025-10-26T03:30:00.000Z')
    expect(isoToZonedInput(null, 'UTC')).toBe('')
  })
})
