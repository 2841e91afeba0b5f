import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as strategiesApi from '../../api/strategies.js'
import { ApiError } from '../../api/client.js'
import { useStrategiesStore } from '../strategies.js'

vi.mock('../../api/strategies.js')

const row = (id, name, fields = {}) => ({
  id, name, description: '', timeframe: '1h', code: `class S${id}(Strategy):\n    pass\n`,
  is_valid: false, last_tested_at: null, error_message: '', ...fields,
})

let store

beforeEach(async () => {
  vi.resetAllMocks()
  setActivePinia(createPinia())
  // La liste de l'API ne porte pas le code ; le détail, si.
  strategiesApi.fetchStrategies.mockResolvedValue([row(2, 'Zèbre'), row(1, 'Alpha')].map(({ code: _code, ...rest }) => rest))
  strategiesApi.fetchStrategy.mockImplementation(async (id) => row(id, id === 1 ? 'Alpha' : 'Zèbre'))
  strategiesApi.fetchTemplate.mockResolvedValue({ code: 'class MaStrategie(Strategy):\n    pass\n' })
  store = useStrategiesStore()
  await store.load()
})

describe('strategies store', () => {
  it('lists by name and opens a strategy, code included, unchanged', async () => {
    expect(store.strategies.map((s) => s.name)).toEqual(['Alpha', 'Zèbre'])
    await store.open(2)
    expect(store.draft).toMatchObject({ id: 2, name: 'Zèbre', timeframe: '1h', code: row(2).code })
    expect(store.dirty).toBe(false)
  })

  it('is dirty once a field changes, and clean again after discard', async () => {
    await store.open(1)
    store.draft.code += '# modif\n'
    expect(store.dirty).toBe(true)
    store.discard()
    expect(store.dirty).toBe(false)
    expect(store.draft.code).toBe(row(1).code)
  })

  it('starts a new strategy from the template with a free name, unsaved', async () => {
    strategiesApi.fetchStrategies.mockResolvedValue([row(1, 'Nouvelle stratégie')])
    await store.load()
    await store.createFromTemplate()
    expect(store.draft).toEqual({
      id: null, name: 'Nouvelle stratégie 2', description: '', timeframe: '15m',
      code: 'class MaStrategie(Strategy):\n    pass\n',
    })
    expect(store.dirty).toBe(true)
  })

  it('creates with POST then updates with PUT', async () => {
    await store.createFromTemplate()
    strategiesApi.createStrategy.mockResolvedValue(row(7, 'Nouvelle stratégie', { code: store.draft.code }))
    await store.save()
    expect(strategiesApi.createStrategy).toHaveBeenCalledWith(expect.objectContaining({ name: 'Nouvelle stratégie' }))
    expect(store.draft.id).toBe(7)
    expect(store.dirty).toBe(false)
    expect(store.strategies.map((s) => s.id)).toEqual([1, 7, 2])

    store.draft.description = 'Croisement'
    strategiesApi.updateStrategy.mockResolvedValue(row(7, 'Nouvelle stratégie', { description: 'Croisement', code: store.draft.code }))
    await store.save()
    expect(strategiesApi.updateStrategy).toHaveBeenCalledWith(7, expect.objectContaining({ description: 'Croisement' }))
    expect(store.dirty).toBe(false)
  })

  it('keeps the draft dirty when saving is refused', async () => {
    await store.open(1)
    store.draft.name = 'Zèbre'
    strategiesApi.updateStrategy.mockRejectedValue(new ApiError(400, 'Nom : Ce nom existe déjà.'))
    await expect(store.save()).rejects.toThrow('Nom : Ce nom existe déjà.')
    expect(store.dirty).toBe(true)
  })

  it('duplicates the open strategy as a new, unsaved copy', async () => {
    await store.open(1)
    store.duplicate()
    expect(store.draft).toMatchObject({ id: null, name: 'Alpha (copie)', code: row(1).code })
    expect(store.saved).toBe(null)
  })

  it('tests a saved, unchanged strategy on the server and refreshes its row', async () => {
    await store.open(1)
    strategiesApi.testStrategy.mockResolvedValue({ ok: true, errors: [], class: 'S1', dry_run: { candles: 500, signals: 3, ms: 40 } })
    strategiesApi.fetchStrategy.mockResolvedValue(row(1, 'Alpha', { is_valid: true, last_tested_at: '2026-12-01T10:00:00Z' }))
    await store.test()
    expect(strategiesApi.testStrategy).toHaveBeenCalledWith(1)
    expect(strategiesApi.validateCode).not.toHaveBeenCalled()
    expect(store.testResult.recorded).toBe(true)
    expect(store.current.is_valid).toBe(true)
  })

  it('only validates edited code, and exposes its errors', async () => {
    await store.open(1)
    store.draft.code = 'class S1(Strategy)\n'
    const errors = [{ line: 1, column: 18, message: 'Syntaxe invalide' }]
    strategiesApi.validateCode.mockResolvedValue({ ok: false, errors, class: null, dry_run: null })
    await store.test()
    expect(strategiesApi.validateCode).toHaveBeenCalledWith('class S1(Strategy)\n', '1h')
    expect(strategiesApi.testStrategy).not.toHaveBeenCalled()
    expect(store.errors).toEqual(errors)
    expect(store.testResult.recorded).toBe(false)
  })

  it('removes a deleted strategy and closes it', async () => {
    await store.open(2)
    strategiesApi.deleteStrategy.mockResolvedValue(null)
    await store.remove(2)
    expect(store.strategies.map((s) => s.id)).toEqual([1])
    expect(store.draft).toBe(null)
  })

  it('keeps a strategy the server refuses to delete', async () => {
    await store.open(2)
    strategiesApi.deleteStrategy.mockRejectedValue(new ApiError(400, 'Stratégie active : arrêtez-la avant de la supprimer.'))
    await expect(store.remove(2)).rejects.toThrow('Stratégie active')
    expect(store.strategies).toHaveLength(2)
    expect(store.draft.id).toBe(2)
  })
})
