import { defineStore } from 'pinia'
import { ref } from 'vue'
import * as riskApi from '../api/risk.js'

// Limites de risque par broker (Mon compte) : {broker, broker_name, limits, reached, overrides, state_error}.
export const useRiskStore = defineStore('risk', () => {
  const overviews = ref({})

  async function load(brokerId) {
    overviews.value = { ...overviews.value, [brokerId]: await riskApi.fetchRiskLimits(brokerId) }
    return overviews.value[brokerId]
  }

  async function save(brokerId, limits) {
    overviews.value = { ...overviews.value, [brokerId]: await riskApi.updateRiskLimits(brokerId, limits) }
    return overviews.value[brokerId]
  }

  return { overviews, load, save }
})
