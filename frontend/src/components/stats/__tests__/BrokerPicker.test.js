import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import BrokerPicker from '../BrokerPicker.vue'

const brokers = [{ id: 1, name: 'Spot' }, { id: 2, name: 'Démo' }, { id: 3, name: 'Futures' }]
const picker = (modelValue) => mount(BrokerPicker, { props: { brokers, modelValue } })
const emitted = (wrapper) => wrapper.emitted('update:modelValue').at(-1)[0]

describe('BrokerPicker', () => {
  it('picks one broker from all, adds another, and comes back to all', async () => {
    const all = picker([])
    expect(all.get('[data-testid=stats-broker-all]').element.checked).toBe(true)
    await all.get('[data-testid=stats-broker-2]').setValue(true)
    expect(emitted(all)).toEqual([2])

    const two = picker([2])
    await two.get('[data-testid=stats-broker-3]').setValue(true)
    expect(emitted(two)).toEqual([2, 3])
    await two.get('[data-testid=stats-broker-2]').setValue(false)
    expect(emitted(two)).toEqual([])
    await two.get('[data-testid=stats-broker-all]').setValue(true)
    expect(emitted(two)).toEqual([])
  })

  it('ticking every broker means all', async () => {
    const wrapper = picker([1, 2])
    await wrapper.get('[data-testid=stats-broker-3]').setValue(true)

    expect(emitted(wrapper)).toEqual([])
  })
})
