import { mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { connect, disconnect } from '../../../websocket/socket.js'
import MarketsNotice from '../MarketsNotice.vue'

class MockWebSocket {
  static last = null

  constructor() {
    MockWebSocket.last = this
  }

  close() {}
}

let wrapper

async function receive(type, data) {
  MockWebSocket.last.onmessage({ data: JSON.stringify({ type, data }) })
  await wrapper.vm.$nextTick()
}

beforeEach(() => {
  vi.stubGlobal('WebSocket', MockWebSocket)
  wrapper = mount(MarketsNotice, { global: { plugins: [createPinia()] } })
  connect()
})

afterEach(() => {
  wrapper.unmount()
  disconnect()
  vi.unstubAllGlobals()
})

describe('MarketsNotice', () => {
  it('shows nothing until a loading message arrives', () => {
    expect(wrapper.find('[data-testid=markets-notice]').exists()).toBe(false)
  })

  it('shows the loading then the counts from the user WebSocket', async () => {
    await receive('markets_loading', { exchange: 'binance', name: 'Binance' })
    expect(wrapper.text()).toBe('Chargement des paires de Binance…')

    await receive('markets_loaded', { exchange: 'binance', name: 'Binance', added: 3, removed: 1, updated: 2, total: 4 })
    expect(wrapper.text()).toBe('Paires de Binance : 3 ajoutées, 1 supprimées, 2 mises à jour')
    expect(wrapper.get('[data-testid=markets-notice]').classes()).toContain('text-success')
  })

  it('shows a failed load in red', async () => {
    await receive('markets_failed', { exchange: 'binance', name: 'Binance', error: 'Binance indisponible : timeout' })
    expect(wrapper.text()).toBe('Binance indisponible : timeout')
    expect(wrapper.get('[data-testid=markets-notice]').classes()).toContain('text-danger')
  })
})
