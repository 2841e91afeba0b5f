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

  /** Nom affiché d'un exchange (« binance » → « Binance »). */
  const exchangeName = (id) => exchangesById.value[id]?.name ?? id

  /** Crée ou modifie (form.id) puis recharge la liste ; rejette avec ApiError. */
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

  /** Fait de `id` (ou de personne, avec null) le broker par défaut, via les préférences de Mon compte. */
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
    revealKeys: brokersApi.revealKeys,
    reloadMarkets: brokersApi.reloadMarkets,
  }
})
