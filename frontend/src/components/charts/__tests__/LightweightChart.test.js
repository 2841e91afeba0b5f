import { mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { themes } from '../../../design-system/tokens.js'
import LightweightChart from '../LightweightChart.vue'
import { charts } from './fakeCharts.js'

vi.mock('lightweight-charts', () => import('./fakeCharts.js'))

const T0 = Date.parse('2025-01-01T00:00:00Z')
const MIN5 = 300_000
const candles = [0, 1, 2].map((i) => ({ time: T0 + i * MIN5, open: '10', high: '12', low: '9', close: '11' }))

let wrapper
const chart = () => charts.at(-1)

beforeEach(() => {
  charts.length = 0
})
afterEach(() => wrapper?.unmount())

describe('LightweightChart', () => {
  it('draws candles in seconds with markers snapped to their bar, sorted, in theme colours', () => {
    wrapper = mount(LightweightChart, {
      props: {
        candles,
        markers: [
          { time: T0 + 2 * MIN5 + 60_000, position: 'aboveBar', shape: 'arrowDown', color: 'danger', text: 'SL' },
          { time: T0, position: 'belowBar', shape: 'arrowUp', color: 'primary', text: 'Achat' },
        ],
      },
    })
    const [series] = chart().series

    expect(series.kind).toBe('Candlestick')
    expect(series.data[1]).toEqual({ time: T0 / 1000 + 300, open: 10, high: 12, low: 9, close: 11 })
    expect(series.markers.map((m) => [m.time, m.text, m.color])).toEqual([
      [T0 / 1000, 'Achat', themes.dark.primary],
      [T0 / 1000 + 600, 'SL', themes.dark.danger],
    ])
  })

  it('replaces the price lines when the chosen trade changes', async () => {
    wrapper = mount(LightweightChart, { props: { candles, priceLines: [{ price: '9.5', color: 'danger', title: 'SL' }] } })
    await wrapper.setProps({ priceLines: [{ price: '12.5', color: 'success', title: 'TP' }] })
    const [series] = chart().series

    expect(series.priceLines.map((line) => [line.title, line.price])).toEqual([['TP', 12.5]])
  })

  it('widens the price scale to keep the price lines in sight', () => {
    wrapper = mount(LightweightChart, {
      props: { candles, priceLines: [{ price: '8', color: 'danger', title: 'SL' }, { price: '15', color: 'success', title: 'TP' }] },
    })
    const scale = chart().series[0].options.autoscaleInfoProvider

    expect(scale(() => ({ priceRange: { minValue: 9, maxValue: 12 } })))
      .toEqual({ priceRange: { minValue: 8, maxValue: 15 } })
    expect(scale(() => null)).toBeNull()
  })

  it('draws one line series per curve and frames the requested range', async () => {
    const points = [{ time: T0, value: '100' }, { time: T0 + MIN5, value: '101' }]
    wrapper = mount(LightweightChart, { props: { lines: [{ id: 'equity', title: 'Stratégie', color: 'primary', points }] } })
    await wrapper.setProps({ visibleRange: { from: T0, to: T0 + MIN5 } })

    expect(chart().series.map((s) => [s.kind, s.options.title, s.data.map((p) => p.value)])).toEqual([
      ['Line', 'Stratégie', [100, 101]],
    ])
    expect(chart().timeScale().setVisibleRange).toHaveBeenLastCalledWith({ from: T0 / 1000, to: T0 / 1000 + 300 })
  })

  it('cuts a curve at a null value: a gap, never interpolated, one label per curve', async () => {
    const points = [
      { time: T0, value: '100' }, { time: T0 + MIN5, value: null }, { time: T0 + 2 * MIN5, value: '102' },
      { time: T0 + 3 * MIN5, value: '103' },
    ]
    wrapper = mount(LightweightChart, { props: { lines: [{ id: 'total', title: 'Total', color: 'primary', points }] } })

    expect(chart().series.map((s) => [s.options.title, s.options.lastValueVisible, s.data])).toEqual([
      ['', false, [{ time: T0 / 1000, value: 100 }]],
      ['Total', true, [{ time: T0 / 1000 + 300 }, { time: T0 / 1000 + 600, value: 102 }, { time: T0 / 1000 + 900, value: 103 }]],
    ])
    await wrapper.setProps({ lines: [{ id: 'total', title: 'Total', color: 'primary', points: points.slice(2) }] })
    expect(chart().series.map((s) => s.data.length)).toEqual([2])
  })

  it('shows times in the given zone and frees the chart on unmount', () => {
    wrapper = mount(LightweightChart, { props: { candles, timeZone: 'Europe/Paris' } })
    const { localization, timeScale } = chart().options

    expect(localization.timeFormatter(T0 / 1000)).toBe('2025-01-01 01:00')
    expect(timeScale.tickMarkFormatter(T0 / 1000, 3)).toBe('01:00')
    expect(timeScale.tickMarkFormatter(T0 / 1000, 2)).toBe('01-01')
    wrapper.unmount()
    wrapper = null
    expect(charts[0].removed).toBe(true)
  })
})
