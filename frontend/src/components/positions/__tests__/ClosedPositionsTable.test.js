import { mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, describe, expect, it } from 'vitest'
import { setUsdAssets } from '../../../format/numbers.js'
import { useAuthStore } from '../../../stores/auth.js'
import ClosedPositionsTable from '../ClosedPositionsTable.vue'

const closed = (id, fields = {}) => ({ id, broker: 3, broker_name: 'Démo', symbol: 'BTC/USDT', status: 'closed',
  quantity: '0.00999', entry_price: '50000', exit_price: '44995.123456789', exit_reason: 'stop_loss',
  exit_reason_label: 'stop-loss', fees: '0.9494999992', realized_pnl: '-50.9482', realized_pnl_pct: '-10.19',
  source_label: 'manuel', closed_at: '2026-01-01T10:05:00Z', sold_quantity: '0.00999', ...fields })
let wrapper
// Les actifs en USD viennent du serveur avec la session (`usd_assets`).
setUsdAssets(['USD', 'USDC', 'USDT'])

afterEach(() => wrapper.unmount())

describe('ClosedPositionsTable', () => {
  it('shows the exit, its reason, the fees and the realized P&L of each closed position', () => {
    const pinia = createPinia()
    useAuthStore(pinia).user = { id: 1, username: 'alice', display_timezone: 'UTC' }
    wrapper = mount(ClosedPositionsTable, {
      props: { positions: [closed(1), closed(2, { exit_reason_label: 'take-profit', realized_pnl: '99.9',
        realized_pnl_pct: '20' })] },
      global: { plugins: [pinia] },
    })

    const [loss, gain] = wrapper.findAll('[data-testid=closed-position-row]')
    expect(loss.findAll('td').map((td) => td.text())).toEqual([
      '2026-01-01 10:05', 'BTC/USDT', '0,00999', '50 000', '44 995,123', 'stop-loss', '0,95 USDT',
      '-50,95 USDT -10,19 %', 'manuel',
    ])
    expect(loss.get('[data-testid=closed-position-pnl]').classes()).toContain('text-danger')
    expect(gain.get('[data-testid=closed-position-pnl]').text()).toBe('+99,90 USDT +20,00 %')
    expect(gain.get('[data-testid=closed-position-pnl]').classes()).toContain('text-success')
  })

  it('shows the quantity sold (summed by the server), since a closed position holds nothing', () => {
    const pinia = createPinia()
    useAuthStore(pinia).user = { id: 1, username: 'alice', display_timezone: 'UTC' }
    wrapper = mount(ClosedPositionsTable, {
      props: { positions: [closed(1, { quantity: '0', sold_quantity: '0.00999' })] },
      global: { plugins: [pinia] },
    })

    expect(wrapper.get('[data-testid=closed-position-quantity]').text()).toBe('0,00999')
  })
})
