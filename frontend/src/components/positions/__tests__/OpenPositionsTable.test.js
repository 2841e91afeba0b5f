import { mount } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import OpenPositionsTable from '../OpenPositionsTable.vue'

const position = (id, fields = {}) => ({ id, broker: 3, broker_name: 'Démo', symbol: 'BTC/USDT', status: 'open',
  quantity: '0.0099900000000000', entry_price: '50000.000000000000', stop_loss: '45000', take_profit: '60000',
  protection: 'oco', protection_label: "sur l'exchange (OCO)", protection_note: '', ...fields })
let wrapper
const mountTable = (props) => {
  wrapper = mount(OpenPositionsTable, { props, attachTo: document.body })
  return wrapper
}
const cells = (row) => Object.fromEntries(
  ['quantity', 'entry', 'price', 'unrealized', 'stop-loss', 'take-profit', 'protection']
    .map((name) => [name, row.get(`[data-testid=position-${name}]`).text()]),
)

afterEach(() => wrapper.unmount())

describe('OpenPositionsTable', () => {
  it('shows quantity, entry, current price, unrealized P&L, SL, TP and the protection mode', () => {
    mountTable({
      positions: [position(1)],
      marks: { 1: { id: 1, price: '51000', value: '509.49', unrealized_pnl: '9.99', unrealized_pnl_pct: '2.00' } },
    })

    const row = wrapper.get('[data-testid=open-position-row]')
    expect(cells(row)).toEqual({
      'quantity': '0,00999', 'entry': '50 000', 'price': '51 000', 'unrealized': '+9,99 USDT +2,00 %', 'stop-loss': '45 000',
      'take-profit': '60 000', 'protection': "sur l'exchange (OCO)",
    })
    expect(row.get('[data-testid=position-unrealized]').classes()).toContain('text-success')
  })

  it('shows a loss in red, a dash without price, the watch note and a position still opening', () => {
    mountTable({
      positions: [
        position(1, { protection: 'watched', protection_label: 'surveillé par Aristobot',
          protection_note: "L'exchange a refusé l'ordre OCO.", sync_error: 'Erreur de connexion à Binance : timeout' }),
        position(2, { broker: 4, status: 'opening', stop_loss: null, take_profit: null }),
      ],
      marks: {
        1: { id: 1, price: '49000', value: '489.51', unrealized_pnl: '-9.99', unrealized_pnl_pct: '-2' },
        2: { id: 2, price: null, value: null, unrealized_pnl: null, unrealized_pnl_pct: null },
      },
    })

    const [loss, opening] = wrapper.findAll('[data-testid=open-position-row]')
    expect(loss.get('[data-testid=position-unrealized]').text()).toBe('-9,99 USDT -2,00 %')
    expect(loss.get('[data-testid=position-unrealized]').classes()).toContain('text-danger')
    expect(loss.get('[data-testid=position-protection]').text()).toBe(
      "surveillé par Aristobot L'exchange a refusé l'ordre OCO.Erreur de connexion à Binance : timeout",
    )
    expect(loss.get('[data-testid=position-sync-error]').classes()).toContain('text-danger')
    expect(opening.get('[data-testid=position-unrealized]').text()).toBe('—')
    expect(opening.get('[data-testid=position-stop-loss]').text()).toBe('—')
    expect(opening.get('[data-testid=position-status]').text()).toBe('ouverture en cours')
    expect(opening.get('[data-testid=position-close]').attributes('disabled')).toBeDefined()
  })

  it('names the book of each position on one pair and what the reconciler took away from it', () => {
    mountTable({
      positions: [
        position(1, { book: 'manual', book_label: 'trading manuel',
          external_note: 'Base BTC absente du compte Démo (0.03 détenus, 0.025 trouvés) : vendue hors d\'Aristobot.' }),
        position(2, { book: 'activation:7', book_label: 'activation n° 7' }),
      ],
      marks: {},
    })

    const [manual, bot] = wrapper.findAll('[data-testid=open-position-row]')
    expect(manual.get('[data-testid=position-book]').text()).toBe('trading manuel')
    expect(bot.get('[data-testid=position-book]').text()).toBe('activation n° 7')
    expect(manual.get('[data-testid=position-external-note]').text()).toContain('vendue hors d\'Aristobot.')
    expect(bot.find('[data-testid=position-external-note]').exists()).toBe(false)
  })

  it('asks before closing and emits close only after « Clôturer » in the dialog', async () => {
    mountTable({ positions: [position(1)], marks: {} })

    await wrapper.get('[data-testid=position-close]').trigger('click')
    expect(wrapper.get('[data-testid=close-summary]').text()).toBe(
      "Vendre 0,00999 BTC de BTC/USDT au marché sur Démo ; sa protection (sur l'exchange (OCO)) est annulée d'abord.",
    )
    await wrapper.get('[data-testid=confirm-no]').trigger('click')
    expect(wrapper.emitted('close')).toBeUndefined()
    expect(wrapper.find('[data-testid=confirm-dialog]').exists()).toBe(false)

    await wrapper.get('[data-testid=position-close]').trigger('click')
    await wrapper.get('[data-testid=confirm-yes]').trigger('click')
    expect(wrapper.emitted('close')).toEqual([[1]])
    expect(wrapper.find('[data-testid=confirm-dialog]').exists()).toBe(false)
  })

  it('shows and announces the sellable quantity, the rest as an unsellable remainder', async () => {
    mountTable({
      positions: [position(1, { quantity: '0.0038961', sellable_quantity: '0.00389', remainder: '0.0000061', protection: 'none', protection_label: 'aucune' })],
      prices: {},
    })

    const quantity = wrapper.get('[data-testid=position-quantity]')
    expect(quantity.text()).toMatch(/^0,00389\s+reliquat 0,0000061$/)
    await wrapper.get('[data-testid=position-close]').trigger('click')
    expect(wrapper.get('[data-testid=close-summary]').text()).toBe(
      'Vendre 0,00389 BTC de BTC/USDT au marché sur Démo. Reliquat invendable (sous le pas ou le minimum du marché) laissé sur le compte : 0,0000061 BTC.',
    )
  })

  it('says when there is no open position, and can show the broker column', () => {
    mountTable({ positions: [], showBroker: true })

    expect(wrapper.text()).toContain('Aucune position ouverte.')
    expect(wrapper.findAll('th').map((th) => th.text())).toContain('Broker')
  })
})
