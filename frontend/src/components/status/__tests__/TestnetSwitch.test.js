import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { usePreferencesStore } from '../../../stores/preferences.js'
import TestnetSwitch from '../TestnetSwitch.vue'

let wrapper
let fetchMock

beforeEach(() => {
  const pinia = createPinia()
  usePreferencesStore(pinia).preferences = { theme: 'dark', display_timezone: 'UTC', testnet_mode: false }
  fetchMock = vi.fn(async (url, options) => new Response(JSON.stringify({ theme: 'dark', display_timezone: 'UTC',
    ...JSON.parse(options.body) }), { status: 200 }))
  vi.stubGlobal('fetch', fetchMock)
  wrapper = mount(TestnetSwitch, { global: { plugins: [pinia] } })
})

afterEach(() => {
  wrapper.unmount()
  vi.unstubAllGlobals()
})

describe('TestnetSwitch', () => {
  it('saves the Testnet mode and shows it', async () => {
    expect(wrapper.get('[data-testid=testnet-label]').text()).toBe('Production')

    await wrapper.get('[data-testid=testnet-switch]').setValue(true)
    await flushPromises()

    expect(fetchMock).toHaveBeenCalledWith('/api/accounts/preferences/', expect.objectContaining({ method: 'PUT' }))
    expect(JSON.parse(fetchMock.mock.calls[0][1].body)).toEqual({ testnet_mode: true })
    expect(wrapper.get('[data-testid=testnet-label]').text()).toBe('Mode Testnet')
  })
})
