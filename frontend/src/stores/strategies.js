import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as strategiesApi from '../api/strategies.js'

export const DEFAULT_TIMEFRAME = '15m'
const FIELDS = ['name', 'description', 'timeframe', 'code']

const pick = (strategy) => Object.fromEntries(FIELDS.map((field) => [field, strategy[field] ?? '']))
const byName = (a, b) => a.name.localeCompare(b.name, 'fr')

// Page Stratégies : la liste, la stratégie ouverte (brouillon + dernière version enregistrée), le dernier test.
export const useStrategiesStore = defineStore('strategies', () => {
  const strategies = ref([])
  const draft = ref(null) // {id | null, name, description, timeframe, code}
  const saved = ref(null) // dernière version enregistrée du brouillon (null : jamais enregistré)
  const testResult = ref(null) // {ok, errors, class, dry_run, recorded}

  const dirty = computed(
    () => draft.value !== null
      && (saved.value === null || FIELDS.some((field) => draft.value[field] !== saved.value[field])),
  )
  const current = computed(() => strategies.value.find((row) => row.id === draft.value?.id) ?? null)
  const errors = computed(() => testResult.value?.errors ?? [])

  function edit(id, fields) {
    draft.value = { id, ...fields }
    saved.value = id === null ? null : { ...fields }
    testResult.value = null
  }

  function upsert(row) {
    strategies.value = [...strategies.value.filter((shown) => shown.id !== row.id), row].sort(byName)
  }

  function freeName(base) {
    const names = new Set(strategies.value.map((row) => row.name))
    let name = base
    for (let n = 2; names.has(name); n += 1) name = `${base} ${n}`
    return name
  }

  async function load() {
    strategies.value = (await strategiesApi.fetchStrategies()).sort(byName)
  }

  /** Ouvre une stratégie enregistrée ; son code vient du détail (la liste peut l'omettre). */
  async function open(id) {
    const row = await strategiesApi.fetchStrategy(id)
    upsert(row)
    edit(id, pick(row))
  }

  async function createFromTemplate() {
    const { code } = await strategiesApi.fetchTemplate()
    edit(null, { name: freeName('Nouvelle stratégie'), description: '', timeframe: DEFAULT_TIMEFRAME, code })
  }

  function duplicate() {
    edit(null, { ...pick(draft.value), name: freeName(`${draft.value.name} (copie)`) })
  }

  function discard() {
    if (saved.value) draft.value = { id: draft.value.id, ...saved.value }
    else draft.value = null
  }

  /** Enregistre le brouillon (POST si nouveau, sinon PUT) ; rejette avec ApiError (nom pris…). */
  async function save() {
    const fields = pick(draft.value)
    const row = draft.value.id === null
      ? await strategiesApi.createStrategy(fields)
      : await strategiesApi.updateStrategy(draft.value.id, fields)
    upsert(row)
    draft.value = { id: row.id, ...pick(row) }
    saved.value = pick(row)
    return row
  }

  /** Supprime une stratégie enregistrée ; le serveur peut refuser (stratégie active) avec une ApiError. */
  async function remove(id) {
    await strategiesApi.deleteStrategy(id)
    strategies.value = strategies.value.filter((row) => row.id !== id)
    if (draft.value?.id === id) draft.value = saved.value = testResult.value = null
  }

  /**
   * « Tester » : une stratégie enregistrée et inchangée est testée par le serveur, qui y note le résultat ;
   * sinon le code de l'éditeur est seulement vérifié (rien n'est noté avant l'enregistrement).
   */
  async function test() {
    const recorded = draft.value.id !== null && !dirty.value
    const { code } = draft.value
    const result = recorded
      ? await strategiesApi.testStrategy(draft.value.id)
      : await strategiesApi.validateCode(code, draft.value.timeframe)
    testResult.value = { ...result, recorded }
    if (recorded) upsert(await strategiesApi.fetchStrategy(draft.value.id))
    return testResult.value
  }

  return {
    strategies,
    draft,
    saved,
    testResult,
    dirty,
    current,
    errors,
    load,
    open,
    createFromTemplate,
    duplicate,
    discard,
    save,
    remove,
    test,
  }
})
