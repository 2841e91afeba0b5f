// Seul formateur des nombres affichés : quantités et prix à 8 décimales au plus, valeurs en USD à 2 décimales.
// Les nombres de l'API sont du texte décimal : arrondis en texte, sans passer par un float.

export const CRYPTO_DECIMALS = 8
export const USD_DECIMALS = 2
// Mêmes stablecoins que la valorisation du serveur (valeur 1 USD).
export const USD_ASSETS = ['USD', 'USDT', 'USDC', 'FDUSD', 'BUSD', 'DAI', 'TUSD', 'USDP']

const PLAIN = /^([+-]?)(\d*)(?:\.(\d*))?$/

function plainText(value) {
  if (value === null || value === undefined || value === '') return null
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null
    return value.toFixed(20).replace(/\.?0+$/, '') || '0'
  }
  const text = String(value).trim()
  if (PLAIN.test(text) && /\d/.test(text)) return text
  const number = Number(text)
  return text !== '' && Number.isFinite(number) ? plainText(number) : null
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

/**
 * Quantité, solde, prix ou frais : au plus `decimals` décimales (8 par défaut), zéros finaux retirés,
 * sans exposant ni séparateur de milliers. « — » pour une valeur absente ou illisible.
 */
export function formatAmount(value, decimals = CRYPTO_DECIMALS) {
  const text = plainText(value)
  if (text === null) return '—'
  const { sign, whole, fraction } = rounded(text, decimals)
  const trimmed = fraction.replace(/0+$/, '')
  return `${sign}${whole}${trimmed ? `.${trimmed}` : ''}`
}

/** Valeur en USD : toujours 2 décimales (« 9781.85 »). */
export function formatUsd(value) {
  const text = plainText(value)
  if (text === null) return '—'
  const { sign, whole, fraction } = rounded(text, USD_DECIMALS)
  return `${sign}${whole}.${fraction}`
}

export const isUsdAsset = (asset) => USD_ASSETS.includes(String(asset ?? '').toUpperCase())

/** Montant exprimé en `asset` : 2 décimales pour un stablecoin USD, sinon 8 au plus. */
export function formatMoney(value, asset) {
  return isUsdAsset(asset) ? formatUsd(value) : formatAmount(value)
}

/** Montant signé (« +12.50 », « -3.20 ») pour un gain ou une perte. */
export function formatSigned(value, asset) {
  const shown = formatMoney(value, asset)
  return shown === '—' || shown.startsWith('-') || /^0(\.0*)?$/.test(shown) ? shown : `+${shown}`
}

/** Pourcentage signé à 2 décimales (« +1.25 % »). */
export function formatPercent(value) {
  const shown = formatUsd(value)
  if (shown === '—') return shown
  return `${shown.startsWith('-') || shown === '0.00' ? '' : '+'}${shown} %`
}

/** Estimation calculée en float (ticket) : `digits` chiffres significatifs au plus, sans exposant ni zéros finaux. */
export function formatNumber(value, digits = 8) {
  if (value === null || value === undefined || value === '' || !Number.isFinite(Number(value))) return '—'
  const number = Number(Number(value).toPrecision(digits))
  return number.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 12 })
}
