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
    const status = useStatusStore()
    status.strategyLive = true
    status.heartbeatActive = false
    status.heartbeatCoherent = false
    status.heartbeatGaps = 2
    await wrapper.vm.$nextTick()
    expect(wrapper.get('[data-testid=strategy-live]').text()).toBe('oui')
    expect(wrapper.get('[data-testid=heartbeat-dot]').classes()).toContain('off')
    const coherent = wrapper.get('[data-testid=heartbeat-coherent]')
    expect(coherent.text()).toBe('Non cohérent')
    expect(coherent.attributes('title')).toBe('2 trou(s) détecté(s)')
  })
})
