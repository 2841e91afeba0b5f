import { describe, expect, it } from 'vitest'
import { formatDateTime, formatDuration } from '../datetime.js'

describe('formatDateTime', () => {
  it('formats an ISO string in UTC by default', () => {
    expect(formatDateTime('2025-12-31T14:05:59Z')).toBe('2025-12-31 14:05')
  })

  it('uses 24 h clock with zero padding', () => {
    expect(formatDateTime('2025-01-02T00:07:00Z', 'UTC')).toBe('2025-01-02 00:07')
    expect(formatDateTime('2025-01-02T23:59:00Z', 'UTC')).toBe('2025-01-02 23:59')
  })

  it('applies Europe/Paris summer time (UTC+2)', () => {
    expect(formatDateTime('2025-07-14T12:30:00Z', 'Europe/Paris')).toBe('2025-07-14 14:30')
  })

  it('applies Europe/Paris winter time (UTC+1), crossing midnight', () => {
    expect(formatDateTime('2025-12-31T23:15:00Z', 'Europe/Paris')).toBe('2026-01-01 00:15')
  })

  it('accepts Date objects and ISO offsets', () => {
    expect(formatDateTime(new Date(Date.UTC(2025, 5, 1, 8, 0)), 'UTC')).toBe('2025-06-01 08:00')
    expect(formatDateTime('2025-06-01T10:00:00+02:00', 'UTC')).toBe('2025-06-01 08:00')
  })

  it('returns an em dash for missing or invalid values', () => {
    expect(formatDateTime(null, 'UTC')).toBe('—')
    expect(formatDateTime(undefined)).toBe('—')
    expect(formatDateTime('not a date')).toBe('—')
  })

  it('falls back to UTC when the zone is empty', () => {
    expect(formatDateTime('2025-12-31T14:05:00Z', '')).toBe('2025-12-31 14:05')
  })
})

describe('formatDuration', () => {
  it('writes durations with at most two units', () => {
    expect(formatDuration(45)).toBe('45 s')
    expect(formatDuration(3600)).toBe('1 h')
    expect(formatDuration(9000)).toBe('2 h 30 min')
    expect(formatDuration(93784)).toBe('1 j 2 h')
    expect(formatDuration(86460)).toBe('1 j 1 min')
    expect(formatDuration(null)).toBe('—')
  })
})
