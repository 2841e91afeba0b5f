import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { useStatusStore } from '../../../stores/status.js'
import StatusBar from '../StatusBar.vue'

let pinia

beforeEach(() => {
  pinia = createPinia()
  setActivePinia(pinia)
})

const mountBar = () => mount(StatusBar, { global: { plugins: [pinia] } })

describe('StatusBar', () => {
  it('shows "—" and "déconnecté" before any data', () => {
    const wrapper = mountBar()
    expect(wrapper.get('[data-testid=strategy-live]').text()).toBe('—')
    expect(wrapper.get('[data-testid=heartbeat-coherent]').text()).toBe('—')
    const dot = wrapper.get('[data-testid=heartbeat-dot]')
    expect(dot.classes()).not.toContain('on')
    expect(dot.classes()).not.toContain('off')
    const wsState = wrapper.get('[data-testid=ws-state]')
    expect(wsState.text()).toBe('déconnecté')
    expect(wsState.classes()).toContain('text-danger')
  })

  it('renders the received status', async () => {
    const wrapper = mountBar()
    useStatusStore().apply({
      strategy_live: true,
      heartbeat: { active: false, active_for: 0, coherent: false, gaps: 1, last_message_at: '2024-03-02T00:00:00+00:00' },
      coherence: {
        since: '2024-03-01T23:57:00+00:00',
        starting: [],
        backfilling: [],
        gaps: [{ symbol: 'BTC/USDT', start: '2024-03-01T23:53:00Z', end: '2024-03-01T23:56:00Z', minutes: 4, reason: 'missing' }],
      },
    })
    await wrapper.vm.$nextTick()
    expect(wrapper.get('[data-testid=strategy-live]').text()).toBe('oui')
    expect(wrapper.get('[data-testid=heartbeat-dot]').classes()).toContain('off')
    const coherent = wrapper.get('[data-testid=heartbeat-coherent]')
    expect(coherent.text()).toBe('Non cohérent')
    expect(coherent.classes()).toContain('text-danger')
    expect(coherent.attributes('title')).toBe([
      'Non cohérent depuis 2024-03-01 23:57.',
      '1 trou(s) dans les bougies 1m.',
      'Flux coupé : les minutes manquantes seront rattrapées à la reconnexion (24 h au plus).',
      'BTC/USDT : 4 min, du 2024-03-01 23:53 au 2024-03-01 23:56, absentes chez Binance : ne peuvent pas être comblées',
    ].join('\n'))
  })

  it('shows the clock offset with an exchange only when the server reports one', async () => {
    const wrapper = mountBar()
    expect(wrapper.find('[data-testid=clock-offset]').exists()).toBe(false)
    useStatusStore().clock = 'Horloge du PC en retard de 10,0 s sur Binance (compensé)'
    await wrapper.vm.$nextTick()
    expect(wrapper.get('[data-testid=clock-offset]').text()).toBe('Horloge du PC en retard de 10,0 s sur Binance (compensé)')
  })

  it('is neutral while the heartbeat starts', async () => {
    const wrapper = mountBar()
    useStatusStore().apply({
      heartbeat: { active: true, active_for: 10, coherent: true, gaps: 0, last_message_at: '2024-03-02T00:00:00+00:00' },
      coherence: { since: null, starting: ['BTC/USDT'], backfilling: [], gaps: [] },
    })
    await wrapper.vm.$nextTick()
    const coherent = wrapper.get('[data-testid=heartbeat-coherent]')
    expect(coherent.text()).toBe('Démarrage…')
    expect(coherent.classes()).not.toContain('text-danger')
    expect(coherent.attributes('title')).toBe('Premier rattrapage des bougies : BTC/USDT.')
  })

  it('shows "limite atteinte" for each broker with a reached limit, the reasons in its title', async () => {
    const wrapper = mountBar()
    expect(wrapper.find('[data-testid=risk-reached]').exists()).toBe(false)
    useStatusStore().risk = [
      { broker: 2, broker_name: 'Démo', limits: ['perte maximale du jour'], messages: ['Limite atteinte : perte.', 'Autre.'] },
    ]
    await wrapper.vm.$nextTick()

    const reached = wrapper.get('[data-testid=risk-reached]')
    expect(reached.text()).toBe('Démo : limite atteinte')
    expect(reached.attributes('title')).toBe('Limite atteinte : perte.\nAutre.')
  })
})
