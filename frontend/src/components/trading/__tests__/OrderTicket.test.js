import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useTradingStore } from '../../../stores/trading.js'
import { json, routeFetch } from '../../brokers/__tests__/fixtures.js'
import OrderTicket from '../OrderTicket.vue'

const filled = { id: 2, broker: 3, symbol: 'BTC/USDT', side: 'buy', type: 'market', status: 'filled', quantity: '0.01',
  filled_quantity: '0.01', average_price: '50000', fee: '0.5', fee_currency: 'USDT', error: '' }
const resting = { id: 7, broker: 3, symbol: 'BTC/USDT', side: 'buy', type: 'limit', status: 'open', quantity: '0.01',
  price: '45000', filled_quantity: '0', average_price: null, fee: null, error: '', updated_at: '2026-01-01T10:00:00Z' }
const market = { id: 1, symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', active: true,
  limits: { amount: { min: '0.00001', max: '9000' }, cost: { min: '5', max: null } } }
let fetchMock
let wrapper
let store
const field = (id) => wrapper.get(`[data-testid=${id}]`)
const posts = () => fetchMock.mock.calls.filter(([url, o]) => url === '/api/trading/orders/' && o.method === 'POST')

beforeEach(async () => {
  fetchMock = vi.fn(
    routeFetch({
      'GET /api/trading/brokers/3/ticker/?symbol=BTC%2FUSDT': { symbol: 'BTC/USDT', last: '50000' },
      'POST /api/trading/orders/': (options) => {
        const body = JSON.parse(options.body)
        if (body.side === 'sell') return json({ detail: 'Fonds insuffisants sur Paper : solde BTC insuffisant', trade: {} }, 502)
        if (body.quantity === '0.05' && !body.override_limits) {
          const detail = 'Entrée refusée par les limites de risque. Limite dépassée par cet achat : exposition maximale de 1 000.'
          return json({ detail, trade: {}, risk_limit: true }, 400)
        }
        return json(body.order_type === 'limit' ? resting : filled, 201)
      },
      'POST /api/trading/orders/7/cancel/': { ...resting, status: 'cancelled', updated_at: '2026-01-01T10:01:00Z' },
      'GET /api/trading/brokers/3/portfolio/': { assets: [], total_usd: '0' },
      'GET /api/trading/brokers/3/open-orders/': [],
      'GET /api/trading/orders/?broker=3&page=1&page_size=20': { count: 0, results: [] },
    }),
  )
  vi.stubGlobal('fetch', fetchMock)
  const pinia = createPinia()
  store = useTradingStore(pinia)
  store.broker = { id: 3, name: 'Démo', market_source: 'paper' }
  store.markets = [market]
  wrapper = mount(OrderTicket, { global: { plugins: [pinia] }, attachTo: document.body })
  await store.selectSymbol('BTC/USDT')
  await flushPromises()
})

async function placeRestingLimit() {
  await field('ticket-type-limit').setValue(true)
  await field('ticket-price').setValue('45000')
  await field('ticket-quantity').setValue('0.01')
  await field('ticket-buy').trigger('click')
  await flushPromises()
  await field('confirm-yes').trigger('click')
  await flushPromises()
}

afterEach(() => {
  wrapper.unmount()
  vi.unstubAllGlobals()
})

describe('OrderTicket', () => {
  it('computes the value of a typed quantity and the quantity of a typed amount at the last price', async () => {
    expect(field('ticket-last-price').text()).toBe('50 000')

    await field('ticket-quantity').setValue('0.01')
    expect(field('ticket-amount').element.value).toBe('500')

    await field('ticket-amount').setValue('100')
    expect(field('ticket-quantity').element.value).toBe('0.002')
  })

  it('uses the limit price for a limit order', async () => {
    await field('ticket-type-limit').setValue(true)
    await field('ticket-price').setValue('40000')
    await field('ticket-amount').setValue('100')

    expect(field('ticket-quantity').element.value).toBe('0.0025')
  })

  it('refuses an empty size in the browser without asking nor sending', async () => {
    await field('ticket-buy').trigger('click')

    expect(field('ticket-problems').text()).toBe('Saisissez une quantité ou un montant positif.')
    expect(wrapper.find('[data-testid=confirm-dialog]').exists()).toBe(false)
    expect(posts()).toEqual([])
  })

  it('asks for confirmation, sends what was typed and shows the fill', async () => {
    await field('ticket-quantity').setValue('0,01')
    await field('ticket-buy').trigger('click')
    await flushPromises()

    expect(field('confirm-summary').text()).toBe('Acheter BTC/USDT : 0,01 BTC au marché sur Démo (≈ 500 USDT).')
    expect(posts()).toEqual([])
    await field('confirm-yes').trigger('click')
    await flushPromises()

    expect(JSON.parse(posts()[0][1].body)).toEqual({
      broker: 3, symbol: 'BTC/USDT', side: 'buy', order_type: 'market', quantity: '0.01',
    })
    expect(field('ticket-result').text()).toBe('Achat exécuté : 0,01 BTC à 50 000 USDT (frais 0,5 USDT).')
    expect(field('ticket-result').classes()).toContain('text-success')
  })

  it('sends nothing when the confirmation is cancelled', async () => {
    await field('ticket-amount').setValue('100')
    await field('ticket-sell').trigger('click')
    await flushPromises()
    await field('confirm-no').trigger('click')

    expect(wrapper.find('[data-testid=confirm-dialog]').exists()).toBe(false)
    expect(posts()).toEqual([])
  })

  it('shows the French reason of a refused order', async () => {
    await field('ticket-amount').setValue('100')
    await field('ticket-sell').trigger('click')
    await flushPromises()
    expect(field('confirm-summary').text()).toBe('Vendre BTC/USDT : pour 100 USDT au marché sur Démo (≈ 0,002 BTC).')
    await field('confirm-yes').trigger('click')
    await flushPromises()

    expect(JSON.parse(posts()[0][1].body).amount).toBe('100')
    expect(field('ticket-result').text()).toBe('Fonds insuffisants sur Paper : solde BTC insuffisant')
    expect(field('ticket-result').classes()).toContain('text-danger')
  })

  it('refuses an order below the market minimum before asking', async () => {
    await field('ticket-amount').setValue('4')
    await field('ticket-buy').trigger('click')
    await flushPromises()

    expect(field('ticket-problems').text()).toBe('Montant 4 USDT inférieur au minimum de 5 USDT pour BTC/USDT.')
    expect(wrapper.find('[data-testid=confirm-dialog]').exists()).toBe(false)

    await field('ticket-quantity').setValue('0.000001')
    await field('ticket-buy').trigger('click')
    await flushPromises()

    expect(field('ticket-problems').text()).toContain('Quantité 0,000001 BTC inférieure au minimum de 0,00001 BTC')
    expect(wrapper.find('[data-testid=confirm-dialog]').exists()).toBe(false)
    expect(posts()).toEqual([])
  })

  it('checks the sides of the stop-loss and take-profit of a buy, then sends them', async () => {
    await field('ticket-quantity').setValue('0.01')
    await field('ticket-stop-loss').setValue('55000')
    await field('ticket-take-profit').setValue('40000')
    await field('ticket-buy').trigger('click')
    await flushPromises()

    expect(wrapper.findAll('[data-testid=ticket-problems] li').map((li) => li.text())).toEqual([
      'Le stop-loss (55 000) doit être sous le prix (50 000).',
      'Le take-profit (40 000) doit être au-dessus du prix (50 000).',
    ])
    expect(wrapper.find('[data-testid=confirm-dialog]').exists()).toBe(false)

    // Chaque message part dès que son champ est corrigé, sans nouveau clic.
    await field('ticket-stop-loss').setValue('45000')
    expect(wrapper.findAll('[data-testid=ticket-problems] li').map((li) => li.text())).toEqual([
      'Le take-profit (40 000) doit être au-dessus du prix (50 000).',
    ])
    await field('ticket-take-profit').setValue('60000,5')
    expect(wrapper.find('[data-testid=ticket-problems]').exists()).toBe(false)
    await field('ticket-buy').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-testid=ticket-problems]').exists()).toBe(false)
    expect(field('confirm-summary').text()).toBe(
      'Acheter BTC/USDT : 0,01 BTC au marché sur Démo (≈ 500 USDT) ; stop-loss 45 000 USDT, take-profit 60 000,5 USDT.',
    )
    await field('confirm-yes').trigger('click')
    await flushPromises()

    expect(JSON.parse(posts()[0][1].body)).toEqual({
      broker: 3, symbol: 'BTC/USDT', side: 'buy', order_type: 'market', quantity: '0.01', stop_loss: '45000',
      take_profit: '60000.5',
    })
  })

  it('says a resting limit order was cancelled once it is', async () => {
    await placeRestingLimit()
    expect(field('ticket-result').text()).toBe("Ordre limite placé : 0,01 BTC à 45 000 USDT, en attente d'exécution.")

    await store.cancel(7)
    await flushPromises()

    expect(field('ticket-result').text()).toBe('Ordre limite annulé : 0,01 BTC à 45 000 USDT (rien exécuté).')
    expect(field('ticket-result').classes()).toContain('muted')
  })

  it('follows the pushed fill of the resting order, never an older state', async () => {
    await placeRestingLimit()

    store.receive({ ...resting, status: 'filled', filled_quantity: '0.01', average_price: '45000',
      updated_at: '2026-01-01T10:05:00Z' })
    store.receive({ ...resting, updated_at: '2026-01-01T09:59:00Z' })
    await flushPromises()

    expect(field('ticket-result').text()).toBe('Achat exécuté : 0,01 BTC à 45 000 USDT.')
  })

  it('offers to override a limit refusal only after an explicit confirmation, resending with it', async () => {
    await field('ticket-quantity').setValue('0.05')
    await field('ticket-buy').trigger('click')
    await flushPromises()
    await field('confirm-yes').trigger('click')
    await flushPromises()

    expect(field('ticket-result').text()).toContain('exposition maximale de 1 000')
    await field('ticket-override').trigger('click')
    expect(field('override-summary').text()).toContain('Votre confirmation est enregistrée')
    expect(posts()).toHaveLength(1)
    await field('confirm-yes').trigger('click')
    await flushPromises()

    expect(JSON.parse(posts()[1][1].body)).toEqual({
      broker: 3, symbol: 'BTC/USDT', side: 'buy', order_type: 'market', quantity: '0.05', override_limits: true,
    })
    expect(field('ticket-result').classes()).toContain('text-success')
    expect(wrapper.find('[data-testid=ticket-override]').exists()).toBe(false)
  })
})
