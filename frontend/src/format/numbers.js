// Le seul formateur des nombres affichés, à la française : milliers séparés par une espace fine insécable,
// virgule décimale. Prix au pas de prix du marché (8 chiffres significatifs sans lui), quantités au pas de
// quantité (8 décimales au plus sans lui), valeurs en USD et pourcentages à 2 décimales.
// Les nombres de l'API sont du texte décimal : arrondis en texte, sans passer par un float.

import { shallowRef } from 'vue'

export const CRYPTO_DECIMALS = 8
export const USD_DECIMALS = 2
// Les actifs qui valent 1 USD : la liste du serveur (session, `usd_assets`), posée par le store auth.
const usdAssets = shallowRef(new Set())
const GROUP = '\u202f'

const PLAIN = /^([+-]?)(\d*)(?:\.(\d*))?$/

const EXPONENT = /^([+-]?)(\d*)(?:\.(\d*))?e([+-]?\d+)$/i

/** « 1.5e-3 » → « 0.0015 » en déplaçant la virgule dans le texte, sans float. */
function withoutExponent(text) {
  const [, sign, whole = '', fraction = '', exponent] = text.match(EXPONENT)
  const digits = whole + fraction
  const point = whole.length + Number(exponent)
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`
}

function plainText(value) {
  if (value === null || value === undefined || value === '') return null
  if (typeof value === 'number' && !Number.isFinite(value)) return null
  const text = String(value).trim()
  if (PLAIN.test(text) && /\d/.test(text)) return text
  return EXPONENT.test(text) && /\d/.test(text) ? withoutExponent(text) : null
}

/** Arrondi au plus proche (moitié vers le haut) à `decimals` décimales d'un texte décimal : {sign, whole, fraction}. */
function rounded(text, decimals) {
  const [, sign, rawWhole, rawFraction = ''] = text.match(PLAIN)
  const digits = (rawWhole || '0') + rawFraction.padEnd(decimals, '0').slice(0, decimals)
  let kept = BigInt(digits)
  if (Number(rawFraction[decimals] ?? 0) >= 5) kept += 1n
  const all = kept.toString().padStart(decimals + 1, '0')
  const whole = all.slice(0, all.length - decimals)
  const fraction = all.slice(all.length - decimals)
  const zero = kept === 0n
  return { sign: sign === '-' && !zero ? '-' : '', whole, fraction }
}

const grouped = (whole) => whole.replace(/\B(?=(\d{3})+(?!\d))/g, GROUP)

/** Texte français d'une valeur arrondie : `fixed` garde les zéros finaux, sinon ils sont retirés. */
function french(value, decimals, { fixed = false } = {}) {
  const text = plainText(value)
  if (text === null) return '—'
  const { sign, whole, fraction } = rounded(text, decimals)
  const shown = fixed ? fraction : fraction.replace(/0+$/, '')
  return `${sign}${grouped(whole)}${shown ? `,${shown}` : ''}`
}

/** Nombre de décimales d'un pas de marché (« 0.001 », 0.001 ou 1e-8) ; null sans pas lisible. */
export function stepDecimals(step) {
  const text = plainText(step)
  if (text === null || Number(text) <= 0) return null
  const fraction = text.split('.')[1]?.replace(/0+$/, '') ?? ''
  return fraction.length
}

/** Décimales montrant `significant` chiffres significatifs d'un texte décimal (8 au plus). */
function significantDecimals(text, significant) {
  const [, , whole = '', fraction = ''] = text.match(PLAIN)
  const integer = whole.replace(/^0+/, '')
  if (integer) return Math.max(0, Math.min(CRYPTO_DECIMALS, significant - integer.length))
  const leadingZeros = fraction.length - fraction.replace(/^0+/, '').length
  return Math.min(CRYPTO_DECIMALS, leadingZeros + significant)
}

/**
 * Quantité, solde ou frais : au pas `step` du marché s'il est connu, sinon `decimals` décimales au plus
 * (8 par défaut) ; zéros finaux retirés. « — » pour une valeur absente ou illisible.
 */
export function formatAmount(value, decimals = CRYPTO_DECIMALS) {
  return french(value, decimals)
}

/** Quantité au pas de quantité du marché (« 0.00001 ») ; 8 décimales au plus sans lui. */
export function formatQuantity(value, step) {
  return french(value, stepDecimals(step) ?? CRYPTO_DECIMALS)
}

/** Prix au pas de prix du marché ; sans lui, 8 chiffres significatifs (un prix moyen n'affiche pas son bruit). */
export function formatPrice(value, tick) {
  const text = plainText(value)
  if (text === null) return '—'
  const decimals = stepDecimals(tick)
  return decimals === null ? french(text, significantDecimals(text, 8)) : french(text, decimals, { fixed: true })
}

/** Valeur en USD : toujours 2 décimales (« 9 781,85 »). */
export function formatUsd(value) {
  return french(value, USD_DECIMALS, { fixed: true })
}

/** La liste du serveur ; réactive : un affichage déjà calculé suit son arrivée. */
export function setUsdAssets(assets) {
  usdAssets.value = new Set((assets ?? []).map((asset) => String(asset).toUpperCase()))
}

export const isUsdAsset = (asset) => usdAssets.value.has(String(asset ?? '').toUpperCase())

/** Montant exprimé en `asset` : 2 décimales pour un stablecoin USD, sinon 8 au plus. */
export function formatMoney(value, asset) {
  return isUsdAsset(asset) ? formatUsd(value) : formatAmount(value)
}

const isZero = (shown) => /^0(,0*)?$/.test(shown)

/** Montant signé (« +12,50 », « -3,20 ») pour un gain ou une perte. */
export function formatSigned(value, asset) {
  const shown = formatMoney(value, asset)
  return shown === '—' || shown.startsWith('-') || isZero(shown) ? shown : `+${shown}`
}

/** Pourcentage à 2 décimales (« 12,35 % ») ; signed : « +1,25 % » pour un gain. */
export function formatPct(value, { signed = false } = {}) {
  const shown = french(value, USD_DECIMALS, { fixed: true })
  if (shown === '—') return shown
  return `${signed && !shown.startsWith('-') && !isZero(shown) ? '+' : ''}${shown} %`
}

/** Ratio ou statistique : `digits` décimales au plus (2 par défaut), zéros finaux retirés. */
export function formatNumber(value, digits = 2) {
  return french(value, digits)
}

/** Estimation calculée en float (ticket) : `digits` chiffres significatifs au plus. */
export function formatEstimate(value, digits = 8) {
  if (value === null || value === undefined || value === '' || !Number.isFinite(Number(value))) return '—'
  const number = Number(value)
  return french(number, significantDecimals(plainText(number), digits))
}

/** Signe d'un gain pour la couleur : 'text-success', 'text-danger' ou ''. */
export function gainClass(value) {
  const text = plainText(value)
  if (text === null || Number(text) === 0) return ''
  return Number(text) > 0 ? 'text-success' : 'text-danger'
}

/** Saisie d'un nombre : « 0,5 », « 0.5 », « 1 000,5 » → « 1000.5 » (texte décimal pour l'API). */
export function parseDecimalInput(text) {
  return String(text ?? '').trim().replace(/[\s\u00a0\u202f]/g, '').replace(',', '.')
}
