// Contrôles du formulaire de backtest dans le navigateur, avant tout envoi ; messages français par champ.
import { TIMEFRAMES } from '../strategies/labels.js'

const PAIR = /^[A-Z0-9]+\/[A-Z0-9]+$/
const DECIMAL = /^\d+(\.\d+)?$/

/**
 * form : {strategy, broker, symbol, timeframe, start, end (ISO UTC ou null), initial_amount, fee} ;
 * now : instant de comparaison (ms). Retourne {champ: message} ; vide si tout va bien.
 */
export function validateBacktest(form, now = Date.now()) {
  const errors = {}
  if (!form.strategy) errors.strategy = 'Choisissez une stratégie.'
  if (!form.broker) errors.broker = 'Choisissez un broker.'
  if (!form.symbol) errors.symbol = 'Choisissez une paire.'
  else if (!PAIR.test(form.symbol)) errors.symbol = 'Paire au format BASE/COTATION, par exemple BTC/USDT.'
  if (!TIMEFRAMES.includes(form.timeframe)) errors.timeframe = 'Choisissez une unité de temps.'
  if (!form.start) errors.start = 'Date de début requise.'
  if (!form.end) errors.end = 'Date de fin requise.'
  else if (Date.parse(form.end) > now) errors.end = 'La date de fin ne peut pas être dans le futur.'
  else if (form.start && Date.parse(form.end) <= Date.parse(form.start)) {
    errors.end = 'La date de fin doit suivre la date de début.'
  }
  const amount = String(form.initial_amount ?? '').trim()
  if (!DECIMAL.test(amount) || Number(amount) <= 0) errors.initial_amount = 'Montant de départ : un nombre positif (ex. 10000).'
  const fee = String(form.fee ?? '').trim()
  if (fee && (!DECIMAL.test(fee) || Number(fee) >= 0.1)) {
    errors.fee = 'Frais : une fraction de 0 à 0.1 exclu (0.001 = 0,1 %).'
  }
  return errors
}
