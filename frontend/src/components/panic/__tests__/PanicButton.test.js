import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as api from '../../../api/panic.js'
import { ApiError } from '../../../api/client.js'
import { subscribe } from '../../../websocket/socket.js'
import PanicButton from '../PanicButton.vue'

vi.mock('../../../api/panic.js')
vi.mock('../../../websocket/socket.js', () => ({ subscribe: vi.fn(() => () => {}) }))

const brokerRow = (id, name, counts) => ({ id, name, position_list: [], ...counts })
const PREVIEW = {
  scope: 'tous les brokers',
  activations: 2,
  orders: 5,
  positions: 3,
  halts: [],
  brokers: [
    brokerRow(1, 'Démo', { activations: 2, orders: 4, positions: 2 }),
    brokerRow(2, 'Binance', { activations: 0, orders: 1, positions: 1 }),
  ],
}
const RUN = {
  id: 9,
  started: true,
  status: 'done',
  status_label: 'terminé',
  scope: 'tous les brokers',
  report: {
    text: 'Tout couper (tous les brokers) : 2 activation(s) suspendue(s), 1 ordre(s) annulé(s), 2 position(s) vendue(s) au marché ; entrées des webhooks arrêtées. Reste 1 : Ordre n° 7 (achat limite BTC/USDT) sur Binance : annulation refusée : Internal error',
    done: ['Activation SMA (BTC/USDT, Démo) suspendue.'],
    left: ['Ordre n° 7 (achat limite BTC/USDT) sur Binance : annulation refusée : Internal error'],
    counts: { activations: 2, orders: 1, positions: 2 },
  },
}

let wrapper

async function mountButton(halts = []) {
  api.fetchPanicState.mockResolvedValue({ halts, last_run: null })
  wrapper = mount(PanicButton)
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

describe('PanicButton', () => {
  it('lists what will happen per broker before anything is cut', async () => {
    api.fetchPanicPreview.mockResolvedValue(PREVIEW)
    await mountButton()
    expect(exists('panic-dialog')).toBe(false)

    await click('panic-button')

    expect(api.fetchPanicPreview).toHaveBeenCalledWith(null)
    expect(text('panic-plan')).toContain('Suspendre 2 activation(s)')
    expect(text('panic-plan')).toContain("annuler 5 ordre(s) d'Aristobot")
    expect(text('panic-plan')).toContain("vendre au marché 3 position(s) d'Aristobot, leurs quantités seules")
    const cells = wrapper.findAll('[data-testid=panic-broker-2] td').map((cell) => cell.text())
    expect(cells).toEqual(['Binance', '0', '1', '1'])
    expect(api.cutEverything).not.toHaveBeenCalled()

    await click('panic-cancel')
    expect(exists('panic-dialog')).toBe(false)
    expect(api.cutEverything).not.toHaveBeenCalled()
  })

  it('cuts one broker after confirmation and shows the report with what is left', async () => {
    api.fetchPanicPreview.mockResolvedValue(PREVIEW)
    api.cutEverything.mockResolvedValue(RUN)
    await mountButton()
    await click('panic-button')
    api.fetchPanicPreview.mockResolvedValue({ ...PREVIEW, brokers: [PREVIEW.brokers[1]] })
    await wrapper.get('[data-testid=panic-broker]').setValue('2')
    await flushPromises()
    expect(api.fetchPanicPreview).toHaveBeenLastCalledWith(2)
    expect(wrapper.findAll('[data-testid=panic-broker] option').map((o) => o.text())).toEqual([
      'Tous les brokers',
      'Démo',
      'Binance',
    ])
    api.fetchPanicState.mockResolvedValue({ halts: [{ id: 1, broker: 2, broker_name: 'Binance' }], last_run: RUN })

    await click('panic-confirm')

    expect(api.cutEverything).toHaveBeenCalledWith(2)
    expect(text('panic-summary')).toMatch(/^Tout couper \(tous les brokers\) : 2 activation\(s\) suspendue\(s\)/)
    expect(text('panic-left')).toBe('Ordre n° 7 (achat limite BTC/USDT) sur Binance : annulation refusée : Internal error')
    expect(exists('panic-resume')).toBe(true)
    await click('panic-close')
    expect(exists('panic-dialog')).toBe(false)
  })

  it('says when a cut is already running and shows API errors', async () => {
    api.fetchPanicPreview.mockResolvedValue(PREVIEW)
    api.cutEverything.mockResolvedValueOnce({ ...RUN, started: false, status: 'running', report: {} })
    await mountButton()
    await click('panic-button')
    await click('panic-confirm')
    expect(text('panic-running')).toBe("Une passe est déjà en cours (tous les brokers) : rien n'a été relancé.")

    await click('panic-close')
    api.fetchPanicPreview.mockRejectedValue(new ApiError(503, 'Serveur injoignable'))
    await click('panic-button')
    expect(text('panic-error')).toBe('Serveur injoignable')
    expect(wrapper.get('[data-testid=panic-confirm]').attributes('disabled')).toBeDefined()
  })

  it('resumes entries when they are halted', async () => {
    await mountButton([{ id: 1, broker: null, broker_name: 'tous les brokers' }])
    api.resumeEntries.mockResolvedValue({ resumed: 1, halts: [] })

    expect(wrapper.get('[data-testid=panic-resume]').attributes('title')).toBe('Entrées arrêtées : tous les brokers')
    await click('panic-resume')

    expect(api.resumeEntries).toHaveBeenCalledWith(null)
    expect(exists('panic-resume')).toBe(false)
  })

  it('shows the halt when a cut ran elsewhere (Telegram)', async () => {
    await mountButton()
    expect(exists('panic-resume')).toBe(false)
    const [type, onReport] = subscribe.mock.calls.at(-1)
    api.fetchPanicState.mockResolvedValue({ halts: [{ id: 2, broker: null, broker_name: 'tous les brokers' }] })

    await onReport({ id: 4, status: 'done' })
    await flushPromises()

    expect(type).toBe('cut_report')
    expect(exists('panic-resume')).toBe(true)
  })
})
