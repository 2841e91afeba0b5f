import { flushPromises, mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import { ApiError } from '../../api/client.js'
import * as strategiesApi from '../../api/strategies.js'
import '../../components/strategies/__tests__/jsdomRange.js'
import { useAuthStore } from '../../stores/auth.js'
import StrategiesView from '../StrategiesView.vue'

vi.mock('../../api/strategies.js')

const TEMPLATE = 'from aristobot.strategies import Strategy\n\n\nclass MaStrategie(Strategy):\n    def should_long(self) -> bool:\n        return False\n'
const row = (id, name, fields = {}) => ({
  id, name, description: '', timeframe: '1h', code: `class S${id}(Strategy):\n    pass\n`, is_valid: false,
  last_tested_at: null, error_message: '', created_at: '2026-12-01T09:00:00Z', updated_at: '2026-12-01T09:00:00Z', ...fields,
})

let wrapper
let router
const byTest = (id) => wrapper.get(`[data-testid=${id}]`)
const rows = () => wrapper.findAll('[data-testid=strategy-row]')
const editorView = () => wrapper.findComponent({ name: 'CodeEditor' }).vm.view()

async function mountView() {
  const pinia = createPinia()
  useAuthStore(pinia).user = { id: 1, username: 'alice', display_timezone: 'Europe/Paris' }
  router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/strategies', name: 'strategies', component: StrategiesView },
      { path: '/mon-compte', name: 'mon-compte', component: { template: '<p>compte</p>' } },
    ],
  })
  router.push('/strategies')
  await router.isReady()
  wrapper = mount({ template: '<RouterView />' }, { global: { plugins: [pinia, router] }, attachTo: document.body })
  await flushPromises()
}

beforeEach(() => {
  vi.resetAllMocks()
  const saved = [
    row(1, 'Croisement', { is_valid: true, last_tested_at: '2026-12-01T10:05:00Z' }),
    row(2, 'RSI', { error_message: 'Ligne 3 : nom inconnu' }),
  ]
  strategiesApi.fetchStrategies.mockResolvedValue(saved.map(({ code: _code, ...rest }) => rest))
  strategiesApi.fetchStrategy.mockImplementation(async (id) => saved.find((strategy) => strategy.id === id))
  strategiesApi.fetchTemplate.mockResolvedValue({ code: TEMPLATE })
  strategiesApi.fetchAssistantStatus.mockResolvedValue({ enabled: false, provider: null, model: null, detail: 'Assistant IA désactivé.' })
  vi.spyOn(window, 'confirm').mockReturnValue(true)
})

afterEach(() => {
  wrapper?.unmount()
  vi.restoreAllMocks()
})

describe('StrategiesView', () => {
  it('lists name, timeframe, valid mark and last test in the user time zone', async () => {
    await mountView()
    expect(rows().map((r) => r.findAll('td').map((td) => td.text()))).toEqual([
      ['Croisement', '1h', '✓', '2026-12-01 11:05'],
      ['RSI', '1h', '✗', '—'],
    ])
  })

  it('creates a strategy from the template and saves it with Ctrl-S', async () => {
    await mountView()
    await byTest('strategy-new').trigger('click')
    await flushPromises()
    expect(byTest('strategy-name-input').element.value).toBe('Nouvelle stratégie')
    expect(editorView().state.doc.toString()).toBe(TEMPLATE)
    expect(byTest('strategy-dirty').text()).toContain('Modifications non enregistrées')

    strategiesApi.createStrategy.mockImplementation(async (fields) => row(3, fields.name, fields))
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 's', ctrlKey: true, cancelable: true }))
    await flushPromises()

    expect(strategiesApi.createStrategy).toHaveBeenCalledWith({ name: 'Nouvelle stratégie', description: '', timeframe: '15m', code: TEMPLATE })
    expect(byTest('strategy-saved').text()).toBe('Stratégie enregistrée.')
    expect(rows().map((r) => r.get('[data-testid=strategy-name]').text())).toEqual(['Croisement', 'Nouvelle stratégie', 'RSI'])
  })

  it('marks the error lines returned by Tester, then clears them when the test passes', async () => {
    await mountView()
    await rows()[1].trigger('click')
    await flushPromises()
    editorView().dispatch({ changes: { from: 0, insert: 'x = (\n' } })
    strategiesApi.validateCode.mockResolvedValue({ ok: false, errors: [{ line: 1, column: 5, message: "'(' jamais fermée" }], class: null, dry_run: null })
    await byTest('strategy-test').trigger('click')
    await flushPromises()

    expect(strategiesApi.validateCode).toHaveBeenCalledWith('x = (\nclass S2(Strategy):\n    pass\n', '1h')
    expect(wrapper.find('.cm-error-line').text()).toBe('x = (')
    expect(byTest('test-error').text()).toBe("Ligne 1, colonne 5 : '(' jamais fermée")

    strategiesApi.validateCode.mockResolvedValue({ ok: true, errors: [], class: 'S2', dry_run: { candles: 500, warmup: 30, decisions: 471, signals: 1, ms: 31, symbol: 'BTC/USDT', generated: false } })
    await byTest('strategy-test').trigger('click')
    await flushPromises()
    expect(wrapper.findAll('.cm-error-line')).toHaveLength(0)
    expect(byTest('test-ok').text()).toBe('Test réussi. Classe S2 : essai à vide sur 500 bougies de BTC/USDT (warmup 30), 471 décisions, 1 signal, 31 ms.')
  })

  it('asks before dropping unsaved changes when opening another strategy', async () => {
    await mountView()
    await rows()[0].trigger('click')
    await flushPromises()
    editorView().dispatch({ changes: { from: 0, insert: '# modifié\n' } })
    window.confirm.mockReturnValue(false)
    await rows()[1].trigger('click')
    await flushPromises()

    expect(window.confirm).toHaveBeenCalledWith('Modifications non enregistrées : les abandonner ?')
    expect(byTest('strategy-name-input').element.value).toBe('Croisement')
  })

  it('blocks leaving the page with unsaved changes unless confirmed, and warns before unload', async () => {
    await mountView()
    await rows()[0].trigger('click')
    await flushPromises()
    editorView().dispatch({ changes: { from: 0, insert: '# modifié\n' } })

    const unload = new Event('beforeunload', { cancelable: true })
    window.dispatchEvent(unload)
    expect(unload.defaultPrevented).toBe(true)

    window.confirm.mockReturnValue(false)
    await router.push('/mon-compte')
    expect(router.currentRoute.value.name).toBe('strategies')
    window.confirm.mockReturnValue(true)
    await router.push('/mon-compte')
    expect(router.currentRoute.value.name).toBe('mon-compte')
  })

  it('deletes only after confirmation, and shows a refusal', async () => {
    await mountView()
    await rows()[1].trigger('click')
    await flushPromises()
    await byTest('strategy-delete').trigger('click')
    expect(byTest('confirm-dialog').text()).toContain('« RSI »')
    await byTest('confirm-no').trigger('click')
    expect(strategiesApi.deleteStrategy).not.toHaveBeenCalled()

    strategiesApi.deleteStrategy.mockRejectedValueOnce(new ApiError(400, 'Stratégie active : arrêtez-la avant de la supprimer.'))
    await byTest('strategy-delete').trigger('click')
    await byTest('confirm-yes').trigger('click')
    await flushPromises()
    expect(byTest('strategies-error').text()).toBe('Stratégie active : arrêtez-la avant de la supprimer.')
    expect(rows()).toHaveLength(2)

    strategiesApi.deleteStrategy.mockResolvedValue(null)
    await byTest('strategy-delete').trigger('click')
    await byTest('confirm-yes').trigger('click')
    await flushPromises()
    expect(strategiesApi.deleteStrategy).toHaveBeenLastCalledWith(2)
    expect(rows()).toHaveLength(1)
    expect(byTest('strategy-none').exists()).toBe(true)
  })

  it('duplicates the open strategy under a new name', async () => {
    await mountView()
    await rows()[0].trigger('click')
    await flushPromises()
    await byTest('strategy-duplicate').trigger('click')
    expect(byTest('strategy-name-input').element.value).toBe('Croisement (copie)')
    expect(editorView().state.doc.toString()).toBe('class S1(Strategy):\n    pass\n')
  })

  it('shows the disabled assistant panel next to the editor', async () => {
    await mountView()
    await rows()[0].trigger('click')
    await flushPromises()
    expect(byTest('assistant-disabled').text()).toContain('Assistant IA désactivé.')
  })
})
