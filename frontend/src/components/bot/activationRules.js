// Contrôles du formulaire d'activation côté navigateur (le serveur contrôle à nouveau) et corps envoyé.
import { parseNumber } from '../trading/orderMath.js'

/** Problèmes en français du formulaire ; `start` et `end` sont des instants ISO (null : non saisis). */
export function validateActivation({ strategy, broker, symbol, timeframe, start, end, amount }, now = Date.now()) {
  const problems = []
  if (!strategy) problems.push('Choisissez une stratégie valide.')
  if (!broker) problems.push('Choisissez un broker.')
  if (!symbol) problems.push('Choisissez une paire.')
  if (!timeframe) problems.push('Choisissez une unité de temps.')
  if (!start) problems.push('Indiquez la date de début.')
  if (!end) problems.push('Indiquez la date de fin.')
  else if (start && Date.parse(end) <= Date.parse(start)) problems.push('La date de fin doit suivre la date de début.')
  else if (Date.parse(end) <= now) problems.push('La date de fin est déjà passée.')
  if (!(parseNumber(amount) > 0)) problems.push('Saisissez un montant positif (ex. 100 ou 100,5).')
  return problems
}

/** Corps de POST /api/active-strategies/ ; le montant part tel que saisi (virgule → point). */
export const activationBody = ({ strategy, broker, symbol, timeframe, start, end, amount }) => ({
  strategy,
  broker,
  symbol,
  timeframe,
  start_date: start,
  end_date: end,
  initial_amount: amount.trim().replace(',', '.'),
})
