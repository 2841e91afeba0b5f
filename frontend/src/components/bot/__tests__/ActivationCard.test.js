import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as api from '../../../api/activeStrategies.js'
import { ApiError } from '../../../api/client.js'
import { useActiveStrategiesStore } from '../../../stores/activeStrategies.js'
import { setUsdAssets } from '../../../format/numbers.js'
import { useAuthStore } from '../../../stores/auth.js'
import ActivationCard from '../ActivationCard.vue'
import { activation, position } from './fixtures.js'

vi.mock('../../../api/activeStrategies.js')
// Les actifs en USD viennent du serveur avec la session (`usd_assets`).
setUsdAssets(['USD', 'USDC', 'USDT'])

let wrapper
let store

async function mountCard(fields = {}) {
  const pinia = createPinia()
  setActivePinia(pinia)
  useAuthStore().user = { id: 1, username: 'alice', display_timezone: 'UTC' }
  store = useActiveStrategiesStore()
  store.receive(activation(1, fields))
  wrapper = mount({
    components: { ActivationCard },
    setup: () => ({ store }),
    template: '<ActivationCard v-for="row in store.activations" :key="row.id" :activation="row" />',
  }, { global: { plugins: [pinia] } })
  await flushPromises()
}

const text = (testid) => wrapper.get(`[data-testid=${testid}]`).text()
const exists = (testid) => wrapper.find(`[data-testid=${testid}]`).exists()
const click = async (testid) => {
  await wrapper.get(`[data-testid=${testid}]`).trigger('click')
  await flushPromises()
}

afterEach(() => {
  wrapper.unmount()
  vi.resetAllMocks()
})

describe('ActivationCard', () => {
  it('shows the state, market, window, balance and P&L', async () => {
    await mountCard()

    expect(text('activation-state')).toBe('En marche')
    expect(text('activation-market')).toBe('BTC/USDT · 1m · Paper trading')
    expect(text('activation-window')).toBe('Du 2026-12-01 09:00 au 2026-12-31 09:00')
    expect(text('activation-balance')).toBe('1 012,50 USDT')
    expect(text('activation-pnl')).toBe('+12,50 USDT (+1,25 %)')
    expect(wrapper.get('[data-testid=activation-pnl]').classes()).toContain('text-success')
    expect(text('bot-no-position')).toBe('Aucune position ouverte.')
    expect(wrapper.get('[data-testid=activation-sell]').attributes('disabled')).toBeDefined()
  })

  it('shows the open position with its stop-loss, take-profit and protection', async () => {
    await mountCard({ position: position() })

    expect(text('bot-position-state')).toBe('Position ouverte')
    expect(text('bot-position-size')).toBe('0,002 BTC à 50 000 USDT')
    expect(text('bot-position-sl')).toBe('49 000')
    expect(text('bot-position-tp')).toBe('52 000')
    expect(text('bot-position-protection')).toBe("Protection : sur l'exchange (OCO)")
  })

  it('colours each of the last trades by its profit or loss', async () => {
    await mountCard({
      pnl: '-3.10',
      recent_trades: [
        position({ id: 61, status: 'closed', realized_pnl: '4.20', realized_pnl_pct: '0.84', exit_reason_label: 'take-profit' }),
        position({ id: 60, status: 'closed', realized_pnl: '-7.30', realized_pnl_pct: '-1.46', exit_reason_label: 'stop-loss' }),
      ],
    })

    const pnls = wrapper.findAll('[data-testid=bot-trade-pnl]')
    expect(pnls.map((cell) => cell.text())).toEqual(['+4,20 (+0,84 %)', '-7,30 (-1,46 %)'])
    expect(pnls.map((cell) => cell.classes())).toEqual([['num', 'text-success'], ['num', 'text-danger']])
    expect(wrapper.findAll('[data-testid=bot-trade-reason]').map((cell) => cell.text())).toEqual(['take-profit', 'stop-loss'])
    expect(wrapper.get('[data-testid=activation-pnl]').classes()).toContain('text-danger')
  })

  it('shows the last error and the live decision', async () => {
    await mountCard({ state: 'error', state_label: 'En erreur', last_error: 'Délai dépassé (2 s).' })
    store.receiveDecision({ active_strategy: 1, action: 'nothing', message: 'Pas de croisement.', at: '2026-12-01T09:15:00Z' })
    await flushPromises()

    expect(text('activation-last-error')).toBe('Dernière erreur : Délai dépassé (2 s).')
    expect(text('activation-decision')).toBe('Dernière décision (2026-12-01 09:15) : Pas de croisement.')
    store.receiveDecision({ active_strategy: 1, action: 'error', message: 'Délai dépassé.', at: '2026-12-01T09:16:00Z' })
    await flushPromises()
    expect(text('activation-decision')).toBe('Dernière décision (2026-12-01 09:16) : Erreur — Délai dépassé.')
    expect(exists('activation-resume')).toBe(true)
  })

  it('sells only after confirmation, and the strategy keeps running', async () => {
    api.sellActiveStrategy.mockResolvedValue(activation(1, { updated_at: '2026-12-01T10:00:00Z' }))
    await mountCard({ position: position() })

    await click('activation-sell')
    expect(text('sell-summary')).toContain('Vendre au marché 0,002 BTC sur Paper trading ?')
    await click('confirm-no')
    expect(api.sellActiveStrategy).not.toHaveBeenCalled()

    await click('activation-sell')
    await click('confirm-yes')
    expect(api.sellActiveStrategy).toHaveBeenCalledWith(1)
    expect(text('bot-no-position')).toBe('Aucune position ouverte.')
    expect(text('activation-state')).toBe('En marche')
  })

  it('suspends a running strategy and resumes a suspended one', async () => {
    api.suspendActiveStrategy.mockResolvedValue(
      activation(1, { state: 'suspended', state_label: 'Suspendue', updated_at: '2026-12-01T10:00:00Z' }),
    )
    api.resumeActiveStrategy.mockResolvedValue(activation(1, { updated_at: '2026-12-01T10:01:00Z' }))
    await mountCard()

    await click('activation-suspend')
    expect(text('activation-state')).toBe('Suspendue')
    await click('activation-resume')
    expect(text('activation-state')).toBe('En marche')
    expect(api.suspendActiveStrategy).toHaveBeenCalledWith(1)
    expect(api.resumeActiveStrategy).toHaveBeenCalledWith(1)
  })

  it('stops without a trade warning when no position is open', async () => {
    api.stopActiveStrategy.mockResolvedValue(
      activation(1, { state: 'stopped', state_label: 'Arrêtée', updated_at: '2026-12-01T10:00:00Z' }),
    )
    await mountCard()

    await click('activation-stop')
    expect(exists('stop-open-trade')).toBe(false)
    expect(wrapper.get('[data-testid=confirm-yes]').text()).toBe('Arrêter')
    await click('confirm-yes')

    expect(api.stopActiveStrategy).toHaveBeenCalledWith(1, undefined)
    expect(text('activation-window')).toBe('Arrêtée le 2026-12-01 10:00')
    expect(exists('activation-stop')).toBe(false)
  })

  it('warns that a trade is open and sells it first unless told not to', async () => {
    api.stopActiveStrategy.mockResolvedValue(activation(1, { state: 'stopped', updated_at: '2026-12-01T10:00:00Z' }))
    await mountCard({ position: position() })

    await click('activation-stop')
    expect(text('stop-open-trade')).toBe('Un trade est en cours : 0,002 BTC achetés à 50 000 USDT.')
    expect(wrapper.get('[data-testid=confirm-yes]').text()).toBe('Vendre et arrêter')
    await click('confirm-yes')
    expect(api.stopActiveStrategy).toHaveBeenLastCalledWith(1, true)
  })

  it('says which buy is in flight when stopping while an entry is still opening', async () => {
    api.stopActiveStrategy.mockResolvedValue(activation(1, { state: 'stopped', updated_at: '2026-12-01T10:00:00Z' }))
    await mountCard({
      position: position({ status: 'opening', quantity: '0', entry_price: null }),
      in_flight: 'un achat de 0,0026 BTC est en cours',
    })

    await click('activation-stop')
    expect(text('stop-open-trade')).toBe("Un achat de 0,0026 BTC est en cours : il sera annulé avant l'arrêt.")
    await click('confirm-yes')
    expect(api.stopActiveStrategy).toHaveBeenLastCalledWith(1, true)
  })

  it('can stop and leave the open position on the broker', async () => {
    api.stopActiveStrategy.mockResolvedValue(activation(1, { state: 'stopped', updated_at: '2026-12-01T10:00:00Z' }))
    await mountCard({ position: position() })

    await click('activation-stop')
    await wrapper.get('[data-testid=stop-sell-first]').setValue(false)
    expect(text('stop-keep-position')).toContain('La position restera ouverte')
    expect(wrapper.get('[data-testid=confirm-yes]').text()).toBe('Arrêter')
    await click('confirm-yes')
    expect(api.stopActiveStrategy).toHaveBeenCalledWith(1, false)
  })

  it('shows the server\'s warning when a trade opened after the dialog was shown', async () => {
    api.stopActiveStrategy.mockRejectedValue(new ApiError(409, 'Un trade est en cours (0,002 BTC/USDT) : vendez-le d\'abord.'))
    await mountCard()

    await click('activation-stop')
    await click('confirm-yes')

    expect(text('activation-action-error')).toBe("Un trade est en cours (0,002 BTC/USDT) : vendez-le d'abord.")
    expect(exists('activation-stop')).toBe(true)
  })

  it('shows the French refusal of an action', async () => {
    api.sellActiveStrategy.mockRejectedValue(new ApiError(409, 'Aucune position ouverte à vendre.'))
    await mountCard({ position: position() })

    await click('activation-sell')
    await click('confirm-yes')

    expect(text('activation-action-error')).toBe('Aucune position ouverte à vendre.')
  })

  it('offers the newer tested version of the strategy, and switches to it', async () => {
    await mountCard({ newer_version: { hash: 'b'.repeat(64), tested: true } })
    api.switchActiveStrategyVersion.mockResolvedValue(
      activation(1, { newer_version: null, updated_at: '2026-12-01T10:00:00Z' }),
    )

    expect(text('activation-newer-version')).toContain('Une version plus récente existe')
    await click('activation-switch-version')

    expect(api.switchActiveStrategyVersion).toHaveBeenCalledWith(1)
    expect(exists('activation-newer-version')).toBe(false)
  })

  it('does not offer a newer version that has not passed « Tester », and shows a refusal', async () => {
    await mountCard({ newer_version: { hash: 'c'.repeat(64), tested: false } })

    expect(text('activation-newer-version')).toContain('pas encore passée par « Tester »')
    expect(wrapper.get('[data-testid=activation-switch-version]').attributes('disabled')).toBeDefined()
    expect(exists('activation-action-error')).toBe(false)
  })

  it('shows the server refusal in French when the version cannot be switched to', async () => {
    await mountCard({ newer_version: { hash: 'd'.repeat(64), tested: true } })
    api.switchActiveStrategyVersion.mockRejectedValue(
      new ApiError(400, "La version actuelle de « Suiveuse » n'a pas passé « Tester » : testez-la avant de l'utiliser."),
    )

    await click('activation-switch-version')

    expect(text('activation-action-error')).toContain("n'a pas passé « Tester »")
  })
})
