// Faux lightweight-charts pour jsdom (pas de canvas) : garde ce que le composant lui donne.
import { vi } from 'vitest'

export const charts = []

function fakeSeries(kind, options) {
  const series = {
    kind, options, data: [], markers: [], priceLines: [],
    setData: vi.fn((data) => {
      series.data = data
    }),
    createPriceLine: vi.fn((line) => {
      series.priceLines.push(line)
      return line
    }),
    removePriceLine: vi.fn((line) => {
      series.priceLines = series.priceLines.filter((shown) => shown !== line)
    }),
  }
  return series
}

export const CandlestickSeries = 'Candlestick'
export const LineSeries = 'Line'
export const ColorType = { Solid: 'solid' }
export const LineStyle = { Dashed: 2 }

export const createChart = vi.fn((container, options) => {
  const timeScale = { fitContent: vi.fn(), setVisibleRange: vi.fn() }
  const chart = {
    container, options, series: [], removed: false,
    addSeries: vi.fn((kind, seriesOptions) => {
      const series = fakeSeries(kind, seriesOptions)
      chart.series.push(series)
      return series
    }),
    removeSeries: vi.fn((series) => {
      chart.series = chart.series.filter((shown) => shown !== series)
    }),
    timeScale: () => timeScale,
    remove: vi.fn(() => {
      chart.removed = true
    }),
  }
  charts.push(chart)
  return chart
})

export const createSeriesMarkers = vi.fn((series) => ({
  setMarkers: (markers) => {
    series.markers = markers
  },
}))
