import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { setUsdAssets } from '../../../format/numbers.js'
import MetricsTable from '../MetricsTable.vue'
import { strategies, summary, webhooks } from './fixtures.js'

// Les actifs en USD viennent du serveur avec la session (`usd_assets`).
setUsdAssets(['USD', 'USDC', 'USDT'])
const table = () => mount(MetricsTable, { props: { summary, strategies, webhooks } })
const column = (wrapper, key) => wrapper.findAll(`[data-testid=stats-cell-${key}]`).map((cell) => cell.text())

describe('MetricsTable', () => {
  it('lists overall, source, broker, strategy and webhook rows, one per quote, formatted', () => {
    const wrapper = table()

    expect(column(wrapper, 'group')).toEqual(['Global', 'Global', 'Source', 'Source', 'Broker', 'Stratégie', 'Webhook'])
    expect(column(wrapper, 'name').slice(2)).toEqual(['Stratégie', 'Webhook', 'Spot', 'Activation n° 7', 'RSI 4h'])
    expect(column(wrapper, 'quote').slice(0, 2)).toEqual(['USDT', 'BTC'])
    expect(column(wrapper, 'realized_pnl').slice(0, 2)).toEqual(['50', '0,001'])
    expect(column(wrapper, 'expectancy')[0]).toBe('8,33')
    expect(column(wrapper, 'max_drawdown_pct')[0]).toBe('-7,27 %')
  })

  it('sorts by a column, ascending then descending on a second click', async () => {
    const wrapper = table()
    await wrapper.get('[data-testid=stats-sort-total_trades]').trigger('click')
    expect(column(wrapper, 'total_trades')).toEqual(['1', '2', '2', '4', '4', '4', '6'])

    await wrapper.get('[data-testid=stats-sort-total_trades]').trigger('click')
    expect(column(wrapper, 'total_trades')).toEqual(['6', '4', '4', '4', '2', '2', '1'])
    expect(wrapper.get('[data-testid=stats-sort-total_trades]').text()).toBe('Trades ▼')

    await wrapper.get('[data-testid=stats-sort-name]').trigger('click')
    expect(column(wrapper, 'name')[0]).toBe('Activation n° 7')
  })
})
