import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import RiskLimits from '../RiskLimits.vue'
import { json, routeFetch } from './fixtures.js'

const OFF = {
  max_daily_loss: null, max_daily_loss_pct: null, max_drawdown_pct: null, max_exposure: null,
  max_symbol_exposure: null, max_open_positions: null, cooldown_losses: null, cooldown_minutes: null,
  cooldown_scope: 'account',
}
const overview = (limits, reached = [], overrides = []) => ({
  broker: 2, broker_name: 'Démo', limits: { ...OFF, ...limits }, reached, overrides, state_error: '',
})
const reach = { id: 5, limit: 'daily_loss', label: 'perte maximale du jour', scope: '', figures: {},
  message: 'Limite atteinte : perte maximale du jour de 100 (perte du jour : 120).',
  reached_at: '2026-01-01T10:00:00Z', until: '2026-01-02T00:00:00Z' }
let fetchMock
let wrapper
const field = (id) => wrapper.get(`[data-testid=${id}]`)
const puts = () => fetchMock.mock.calls.filter(([, o]) => o.method === 'PUT')

async function mountWith(routes) {
  fetchMock = vi.fn(routeFetch(routes))
  vi.stubGlobal('fetch', fetchMock)
  wrapper = mount(RiskLimits, { props: { brokerId: 2 }, global: { plugins: [createPinia()] } })
  await flushPromises()
}

afterEach(() => {
  wrapper.unmount()
  vi.unstubAllGlobals()
})

describe('RiskLimits', () => {
  beforeEach(async () => {
    await mountWith({
      'GET /api/brokers/2/risk/': overview({ max_daily_loss: '1500.5', max_open_positions: 3 }, [reach]),
      'PUT /api/brokers/2/risk/': (options) => json(overview(JSON.parse(options.body))),
    })
  })

  it('shows the saved limits in French numbers, empty when off, and the reached limits', () => {
    expect(field('risk-max_daily_loss').element.value).toBe('1\u202f500,5')
    expect(field('risk-max_open_positions').element.value).toBe('3')
    expect(field('risk-max_exposure').element.value).toBe('')
    expect(field('risk-reached').text()).toContain('perte maximale du jour de 100 (')
  })

  it('sends typed numbers as decimal text, counts as numbers and empty fields as null', async () => {
    await field('risk-max_exposure').setValue('2 000,75')
    await field('risk-max_daily_loss').setValue('')
    await field('risk-cooldown_losses').setValue('2')
    await field('risk-cooldown_minutes').setValue('30')
    await field('risk-cooldown_scope').setValue('source')
    await field('risk-save').trigger('click')
    await flushPromises()

    expect(JSON.parse(puts()[0][1].body)).toEqual({
      ...OFF,
      max_exposure: '2000.75',
      max_open_positions: 3,
      cooldown_losses: 2,
      cooldown_minutes: 30,
      cooldown_scope: 'source',
    })
    expect(field('risk-saved').text()).toBe('Limites enregistrées.')
    expect(field('risk-state').text()).toBe('Aucune limite atteinte.')
  })
})

describe('RiskLimits refused', () => {
  it('shows the French refusal of the server', async () => {
    await mountWith({
      'GET /api/brokers/2/risk/': overview({}),
      'PUT /api/brokers/2/risk/': () => json({ max_drawdown_pct: ['Assurez-vous que cette valeur est inférieure ou égale à 100.'] }, 400),
    })
    await field('risk-max_drawdown_pct').setValue('150')
    await field('risk-save').trigger('click')
    await flushPromises()

    expect(field('risk-error').text()).toContain('inférieure ou égale à 100')
    expect(wrapper.find('[data-testid=risk-saved]').exists()).toBe(false)
  })
})
