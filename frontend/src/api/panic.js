import { get, post } from './client.js'

/** Entrées arrêtées et dernière passe : {halts, last_run}. */
export const fetchPanicState = () => get('/api/panic/')
/** Ce que « Tout couper » fera, par broker (`brokerId` null : tous) :
 * {scope, brokers, activations, orders, positions, halts}. */
export const fetchPanicPreview = (brokerId = null) =>
  get(brokerId === null ? '/api/panic/preview/' : `/api/panic/preview/?broker=${brokerId}`)
/** « Tout couper » ; résout avec la passe et son rapport ({started: false} : une passe était déjà en cours). */
export const cutEverything = (brokerId = null) => post('/api/panic/', { broker: brokerId })
/** « Reprendre les entrées » (d'un broker, ou de tous). */
export const resumeEntries = (brokerId = null) => post('/api/panic/resume/', { broker: brokerId })
