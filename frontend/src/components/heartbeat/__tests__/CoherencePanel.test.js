import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { useStatusStore } from '../../../stores/status.js'
import CoherencePanel from '../CoherencePanel.vue'

let pinia

beforeEach(() => {
  pinia = createPinia()
  setActivePinia(pinia)
})

describe('CoherencePanel', () => {
  it('lists the gaps with what is done about them, and clears when coherent', async () => {
    const status = useStatusStore()
    status.apply({
      heartbeat: { active: true, active_for: 10, coherent: false, gaps: 1, last_message_at: '2024-03-02T00:00:00+00:00' },
      coherence: {
        since: '2024-03-01T23:57:00+00:00',
        starting: [],
        backfilling: ['ETH/USDT'],
        gaps: [{
          symbol: 'BTC/USDT', start: '2024-03-01T23:53:00+00:00', end: '2024-03-01T23:56:00+00:00', minutes: 4,
          reason: 'missing',
        }],
      },
    })
    const wrapper = mount(CoherencePanel, { global: { plugins: [pinia] } })
    expect(wrapper.get('[data-testid=coherence-state]').text()).toBe('Non cohérent')
    expect(wrapper.findAll('[data-testid=coherence-reason]').map((p) => p.text())).toEqual([
      'Non cohérent depuis 2024-03-01 23:57.', 'Rattrapage en cours : ETH/USDT.', '1 trou(s) dans les bougies 1m.',
    ])
    const cells = wrapper.get('[data-testid=coherence-gap]').findAll('td').map((td) => td.text())
    expect(cells).toEqual([
      'BTC/USDT', '2024-03-01 23:53', '2024-03-01 23:56', '4', 'absentes chez Binance : ne peuvent pas être comblées',
    ])

    status.heartbeatCoherent = true
    status.coherence = { since: null, starting: [], backfilling: [], gaps: [] }
    await wrapper.vm.$nextTick()
    expect(wrapper.get('[data-testid=coherence-state]').text()).toBe('Cohérent')
    expect(wrapper.find('[data-testid=coherence-gaps]').exists()).toBe(false)
  })
})
