import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import BacktestStats from '../BacktestStats.vue'
import { run } from './fixtures.js'

const card = (wrapper, key) => wrapper.get(`[data-testid=bt-stat-${key}] [data-testid=bt-stat-value]`)

describe('BacktestStats', () => {
  it('shows no CAGR under 30 days and says why', () => {
    const wrapper = mount(BacktestStats, { props: { run: run(1, { stats: { cagr_pct: null } }) } })
    expect(card(wrapper, 'cagr_pct').text()).toBe('—')
    expect(card(wrapper, 'cagr_pct').attributes('title')).toBe('Non annualisé : période de moins de 30 jours.')
  })

  it('keeps a huge figure inside its card, whole in the tooltip', () => {
    const huge = '148114133402123456789012345678901234567890'
    const wrapper = mount(BacktestStats, { props: { run: run(1, { stats: { profit_factor: huge } }) } })
    expect(card(wrapper, 'profit_factor').attributes('title')).toBe(card(wrapper, 'profit_factor').text())
  })
})
