import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as brokersApi from '../api/brokers.js'
import { usePreferencesStore } from './preferences.js'

export const useBrokersStore = defineStore('brokers', () => {
  const brokers = ref([])
  const exchanges = ref([])
  const exchangesById = computed(() => Object.fromEntries(exchanges.value.map((e) => [e.id, e])))
  const defaultBroker = computed(() => brokers.value.find((b) => b.is_default) ?? null)

  async function load() {
    brokers.value = await brokersApi.fetchBrokers()
    return brokers.value
  }

  async function loadExchanges() {
    if (!exchanges.value.length) exchanges.value = await brokersApi.fetchExchanges()
    return exchanges.value
  }

  /** Name shown for an exchange id ("binance" → "Binance"). */
  const exchangeName = (id) => exchangesById.value[id]?.name ?? id

  /** Creates or updates (form.id) then reloads the list; rejects with ApiError. */
  async function save(form) {
    const { id, ...fields } = form
    const saved = id ? await brokersApi.updateBroker(id, fields) : await brokersApi.createBroker(fields)
    await load()
    return saved
  }

  async function remove(id) {
    await brokersApi.deleteBroker(id)
    await load()
  }

  /** Makes `id` (or nobody, with null) the default broker through the Mon compte preferences. */
  async function setDefault(id) {
    await usePreferencesStore().save({ default_broker: id })
    await load()
  }

  return {
    brokers,
    exchanges,
    exchangesById,
    defaultBroker,
    load,
    loadExchanges,
    exchangeName,
    save,
    remove,
    setDefault,
    fetchOne: brokersApi.fetchBroker,
    test: brokersApi.testBroker,
    reloadMarkets: brokersApi.reloadMarkets,
  }
})
