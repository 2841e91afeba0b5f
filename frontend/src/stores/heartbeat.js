import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as heartbeatApi from '../api/heartbeat.js'
import { onReconnect, subscribe } from '../websocket/socket.js'

export const KEPT_ROWS = 60
export const TIMEFRAMES = ['1m', '3m', '5m', '10m', '15m', '1h', '2h', '4h']

const emptyBoxes = () => Object.fromEntries(TIMEFRAMES.map((timeframe) => [timeframe, {}]))

// Page Heartbeat : le flux brut (les 60 derniers événements, le plus récent en tête) et la dernière bougie
// clôturée par unité et par symbole. Un chargement à l'ouverture, puis uniquement les messages WebSocket.
export const useHeartbeatStore = defineStore('heartbeat', () => {
  const rows = ref([])
  const latest = ref(emptyBoxes())
  const symbols = ref([])
  let nextId = 0
  let unsubscribers = []

  // "BTCUSDT" (identifiant Binance du flux brut) → "BTC/USDT".
  const symbolOf = computed(() => Object.fromEntries(symbols.value.map((symbol) => [symbol.replace('/', ''), symbol])))

  /** Dernières bougies d'une unité, dans l'ordre des symboles suivis. */
  const candlesOf = (timeframe) =>
    symbols.value.map((symbol) => latest.value[timeframe]?.[symbol]).filter((candle) => candle !== undefined)

  /** Un message « stream » : les événements kline bruts de Binance reçus ensemble, du plus ancien au plus récent. */
  function receiveStream({ events }) {
    const added = events.map((event) => ({
      id: ++nextId,
      symbol: symbolOf.value[event.s] ?? event.s,
      openTime: event.k.t,
      close: event.k.c,
      volume: event.k.v,
      closed: event.k.x,
    }))
    rows.value = [...added.reverse(), ...rows.value].slice(0, KEPT_ROWS)
  }

  /** Bougies clôturées (un message « candles » : une vague, ou celles chargées à l'ouverture) : chacune gardée
   * si elle est la plus récente de sa case. */
  function receiveCandles({ candles }) {
    for (const candle of candles) {
      const box = latest.value[candle.timeframe]
      const shown = box?.[candle.symbol]
      if (box && (!shown || new Date(shown.open_time) <= new Date(candle.open_time))) box[candle.symbol] = candle
    }
  }

  async function load() {
    const [config, candles] = await Promise.all([
      heartbeatApi.fetchHeartbeatConfig(),
      heartbeatApi.fetchLatestCandles(),
    ])
    symbols.value = config.symbols
    receiveCandles({ candles })
  }

  async function saveSymbols(list) {
    symbols.value = (await heartbeatApi.saveHeartbeatSymbols(list)).symbols
  }

  function start() {
    if (!unsubscribers.length) {
      unsubscribers = [subscribe('stream', receiveStream), subscribe('candles', receiveCandles), onReconnect(load)]
    }
  }

  function stop() {
    unsubscribers.forEach((unsubscribe) => unsubscribe())
    unsubscribers = []
  }

  return { rows, latest, symbols, candlesOf, receiveStream, receiveCandles, load, saveSymbols, start, stop }
})
