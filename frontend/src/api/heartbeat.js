import { get, put } from './client.js'

export const fetchHeartbeatConfig = () => get('/api/heartbeat/config/')
export const saveHeartbeatSymbols = (symbols) => put('/api/heartbeat/config/', { symbols })
export const fetchLatestCandles = () => get('/api/heartbeat/candles/latest/')
