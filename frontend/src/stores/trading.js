import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as tradingApi from '../api/trading.js'
import { coalesce } from '../websocket/coalesce.js'
import { onReconnect, subscribe } from '../websocket/socket.js'

export const PAGE_SIZE = 20
export const QUOTES = ['USDT', 'USDC', 'USD']
const OPEN = ['open', 'partially_filled']

// Page Trading manuel : broker choisi, portefeuille, paires, ordres ouverts, historique ; messages « order » en direct.
// Le dernier prix et le portefeuille sont relus à chaque vague de bougies du heartbeat ; le portefeuille aussi à
// chaque ordre ou position du broker, quelle qu'en soit la source (cette page, un webhook, le moteur).
export const useTradingStore = defineStore('trading', () => {
  const broker = ref(null)
  const portfolio = ref(null)
  const openOrders = ref([])
  const trades = ref([])
  const tradesCount = ref(0)
  const tradesPage = ref(1)
  const markets = ref([])
  const marketsCount = ref(0)
  const marketFilters = ref({ quote: 'USDT', search: '', page: 1 })
  const symbol = ref('')
  const ticker = ref(null)
  const market = ref(null) // la paire choisie (précision, limites), telle que la liste l'a donnée
  const lastOrder = ref(null) // le dernier ordre du ticket, suivi jusqu'à son issue (exécuté, annulé)
  let unsubscribe = null

  async function loadPortfolio() {
    const asked = broker.value
    if (!asked) return
    const answer = await tradingApi.fetchPortfolio(asked.id)
    if (broker.value === asked) portfolio.value = answer
  }

  async function loadOpenOrders() {
    openOrders.value = await tradingApi.fetchOpenOrders(broker.value.id)
  }

  async function loadTrades(page = tradesPage.value) {
    const answer = await tradingApi.fetchTrades({ broker: broker.value.id, page, page_size: PAGE_SIZE })
    trades.value = answer.results
    tradesCount.value = answer.count
    tradesPage.value = page
  }

  async function loadMarkets(changes = {}) {
    marketFilters.value = { ...marketFilters.value, page: 1, ...changes }
    const { quote, search, page } = marketFilters.value
    const answer = await tradingApi.fetchMarkets({
      exchange: broker.value.market_source, quote, search, page, page_size: PAGE_SIZE,
    })
    markets.value = answer.results
    marketsCount.value = answer.count
  }

  /** Dernier prix de la paire choisie ; une réponse arrivée après un changement de paire est ignorée. */
  async function loadTicker() {
    const asked = symbol.value
    const answer = asked ? await tradingApi.fetchTicker(broker.value.id, asked) : null
    if (symbol.value === asked) ticker.value = answer
    return ticker.value
  }

  async function selectSymbol(value) {
    symbol.value = value
    market.value = markets.value.find((shown) => shown.symbol === value) ?? null
    ticker.value = null
    lastOrder.value = null
    await loadTicker()
  }

  /** Change de broker (ses paires diffèrent : la paire choisie est oubliée) et charge ce qui s'affiche pour lui. */
  async function selectBroker(value) {
    broker.value = value
    portfolio.value = null
    openOrders.value = []
    trades.value = []
    symbol.value = ''
    market.value = null
    ticker.value = null
    lastOrder.value = null
    await Promise.all([loadMarkets(), loadTrades(1), loadPortfolio(), loadOpenOrders()])
  }

  /** Envoie l'ordre ; quoi qu'il arrive (exécuté, refusé, échoué), portefeuille et listes sont rechargés. */
  async function place(order) {
    try {
      lastOrder.value = null
      lastOrder.value = await tradingApi.placeOrder({ broker: broker.value.id, symbol: symbol.value, ...order })
      return lastOrder.value
    } finally {
      await Promise.allSettled([loadPortfolio(), loadOpenOrders(), loadTrades(1)])
    }
  }

  async function cancel(tradeId) {
    try {
      const trade = await tradingApi.cancelOrder(tradeId)
      follow(trade)
      return trade
    } finally {
      await Promise.allSettled([loadPortfolio(), loadOpenOrders(), loadTrades()])
    }
  }

  /** Nouvel état du dernier ordre du ticket (jamais un état plus ancien que celui affiché). */
  function follow(trade) {
    const shown = lastOrder.value
    if (shown?.id === trade.id && !(trade.updated_at < shown.updated_at)) lastOrder.value = trade
  }

  // Relectures en direct : une à la fois, une erreur passagère attend le message suivant.
  const quietly = (reread) => {
    const once = coalesce(reread)
    return () => once().catch(() => {})
  }
  const refreshPortfolio = quietly(loadPortfolio)
  const refreshTicker = quietly(loadTicker)

  function onCandles() {
    if (!broker.value) return
    refreshTicker()
    refreshPortfolio()
  }

  function onPosition(position) {
    if (broker.value && position.broker === broker.value.id) refreshPortfolio()
  }

  /** Un Trade poussé par le serveur (cette page, un webhook, le moteur) : affiché là où il va. */
  function receive(trade) {
    if (!broker.value || trade.broker !== broker.value.id) return
    follow(trade)
    refreshPortfolio()
    const index = trades.value.findIndex((shown) => shown.id === trade.id)
    if (index >= 0) trades.value.splice(index, 1, trade)
    else if (tradesPage.value === 1) {
      trades.value = [trade, ...trades.value].slice(0, PAGE_SIZE)
      tradesCount.value += 1
    }
    const others = openOrders.value.filter((shown) => shown.id !== trade.id)
    openOrders.value = OPEN.includes(trade.status) ? [trade, ...others] : others
  }

  function start() {
    if (unsubscribe) return
    const reread = () => broker.value && Promise.all([loadOpenOrders(), loadTrades(), loadPortfolio(), loadTicker()])
    const unsubscribers = [
      subscribe('order', receive),
      subscribe('position', onPosition),
      subscribe('candles', onCandles),
      onReconnect(reread),
    ]
    unsubscribe = () => unsubscribers.forEach((off) => off())
  }

  function stop() {
    unsubscribe?.()
    unsubscribe = null
  }

  return {
    broker, portfolio, openOrders, trades, tradesCount, tradesPage, markets, marketsCount, marketFilters, symbol,
    ticker, market, lastOrder, loadPortfolio, loadOpenOrders, loadTrades, loadMarkets, loadTicker, selectSymbol,
    selectBroker, place, cancel, receive, start, stop,
  }
})
