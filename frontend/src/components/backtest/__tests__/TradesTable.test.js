import { mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { useAuthStore } from '../../../stores/auth.js'
import TradesTable from '../TradesTable.vue'
import { run, trades } from './fixtures.js'

const third = {
  ...trades[0], entry_time: '2025-01-01T06:00:00Z', exit_time: '2025-01-01T06:05:00Z', pnl: '0.5', pnl_pct: '0.4',
  exit_reason: 'end', duration_seconds: 300,
}
let wrapper
const order = () => wrapper.findAll('[data-testid=bt-trade-row]').map((row) => row.attributes('data-n'))

beforeEach(() => {
  const pinia = createPinia()
  useAuthStore(pinia).user = { id: 1, display_timezone: 'Europe/Paris' }
  wrapper = mount(TradesTable, { props: { run: run(7), trades: [...trades, third] }, global: { plugins: [pinia] } })
})

describe('TradesTable', () => {
  it('lists the trades in order with French labels and times in the user zone', () => {
    const first = wrapper.get('[data-testid=bt-trade-row]')

    expect(order()).toEqual(['1', '2', '3'])
    expect(first.text()).toContain('2025-01-01 02:00')
    expect(first.get('[data-testid=bt-trade-reason]').text()).toBe('stop-loss')
    expect(first.get('[data-testid=bt-trade-pnl]').classes()).toContain('text-danger')
    expect(wrapper.text()).toContain('fin des données')
  })

  it('sorts by gain ascending then descending on a second click', async () => {
    await wrapper.get('[data-testid=bt-sort-pnl]').trigger('click')
    expect(order()).toEqual(['1', '3', '2'])

    await wrapper.get('[data-testid=bt-sort-pnl]').trigger('click')
    expect(order()).toEqual(['2', '3', '1'])
    expect(wrapper.get('[data-testid=bt-sort-pnl]').text()).toBe('Gain ▼')
  })

  it('sorts by duration and by exit reason (French label)', async () => {
    await wrapper.get('[data-testid=bt-sort-duration_seconds]').trigger('click')
    expect(order()).toEqual(['3', '1', '2'])

    await wrapper.get('[data-testid=bt-sort-exit_reason]').trigger('click')
    expect(order()).toEqual(['3', '1', '2'])
  })

  it('exports the full trade list and equity curve through the API', () => {
    expect(wrapper.get('[data-testid=bt-trades-csv]').attributes()).toMatchObject({
      href: '/api/backtests/7/trades.csv', download: '',
    })
    expect(wrapper.get('[data-testid=bt-equity-csv]').attributes('href')).toBe('/api/backtests/7/equity.csv')
  })

  it('tells which trade was clicked', async () => {
    await wrapper.findAll('[data-testid=bt-trade-row]')[1].trigger('click')
    expect(wrapper.emitted('select')).toEqual([[2]])
  })
})
