// Seul point d'accès HTTP de l'application : les composants n'appellent jamais fetch.

const FIELD_LABELS = {
  username: "Nom d'utilisateur",
  password: 'Mot de passe',
  old_password: 'Ancien mot de passe',
  new_password: 'Nouveau mot de passe',
  theme: 'Thème',
  display_timezone: 'Fuseau horaire',
  default_broker: 'Broker par défaut',
  testnet_mode: 'Mode testnet',
  ai_openrouter_enabled: 'OpenRouter',
  ai_openrouter_key: 'Clé OpenRouter',
  ai_openrouter_model: 'Modèle OpenRouter',
  ai_ollama_enabled: 'Ollama',
  ai_ollama_url: 'URL Ollama',
  ai_ollama_model: 'Modèle Ollama',
  name: 'Nom',
  description: 'Description',
  code: 'Code',
  timeframe: 'Unité de temps',
  request: 'Demande',
  strategy: 'Stratégie',
  broker: 'Broker',
  symbol: 'Paire',
  start_date: 'Date de début',
  end_date: 'Date de fin',
  initial_amount: 'Montant',
}

const STATUS_MESSAGES = {
  400: 'Requête invalide.',
  401: 'Authentification requise.',
  403: 'Accès refusé.',
  404: 'Ressource introuvable.',
  500: 'Erreur interne du serveur.',
  502: 'Serveur injoignable',
  503: 'Serveur injoignable',
  504: 'Serveur injoignable',
}

export class ApiError extends Error {
  /** status vaut 0 pour une panne réseau ; fieldErrors associe à chaque champ ses messages réunis. */
  constructor(status, message, fieldErrors = {}) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.fieldErrors = fieldErrors
  }
}

let unauthorizedHandler = null

/** Appelé avec l'ApiError d'un 401/403 de toute adresse hors /api/auth/. */
export function setUnauthorizedHandler(handler) {
  unauthorizedHandler = handler
}

function messagesOf(value) {
  if (value === null || value === undefined) return []
  if (Array.isArray(value)) return value.flatMap(messagesOf)
  if (typeof value === 'object') return Object.values(value).flatMap(messagesOf)
  return [String(value)]
}

/** Construit une ApiError depuis un corps d'erreur DRF : {"detail": …} ou {"champ": […], "non_field_errors": […]}. */
function buildApiError(status, body) {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    if (typeof body.detail === 'string') return new ApiError(status, body.detail)
    const fieldErrors = {}
    const parts = messagesOf(body.non_field_errors)
    for (const [field, value] of Object.entries(body)) {
      if (field === 'non_field_errors') continue
      fieldErrors[field] = messagesOf(value).join(' ')
      parts.push(`${FIELD_LABELS[field] ?? field} : ${fieldErrors[field]}`)
    }
    if (parts.length) return new ApiError(status, parts.join(' '), fieldErrors)
  }
  const messages = messagesOf(body)
  const fallback = STATUS_MESSAGES[status] ?? `Erreur inattendue (${status}).`
  return new ApiError(status, messages.length ? messages.join(' ') : fallback)
}

function readCookie(name) {
  const prefix = `${name}=`
  const found = document.cookie.split('; ').find((item) => item.startsWith(prefix))
  return found ? decodeURIComponent(found.slice(prefix.length)) : null
}

async function parseBody(response) {
  const text = await response.text()
  if (!text) return null
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

async function send(method, url, data, accept, signal) {
  const headers = { Accept: accept }
  if (data !== undefined) headers['Content-Type'] = 'application/json'
  if (method !== 'GET') {
    // Le jeton tourne à la connexion : on relit le cookie à chaque requête.
    const token = readCookie('csrftoken')
    if (token) headers['X-CSRFToken'] = token
  }
  try {
    return await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      body: data === undefined ? undefined : JSON.stringify(data),
      signal,
    })
  } catch (err) {
    if (err.name === 'AbortError') throw err
    throw new ApiError(0, 'Serveur injoignable')
  }
}

async function failure(url, response) {
  const error = buildApiError(response.status, await parseBody(response))
  const isAuthEndpoint = url.startsWith('/api/auth/')
  if ((response.status === 401 || response.status === 403) && !isAuthEndpoint && unauthorizedHandler) {
    unauthorizedHandler(error)
  }
  return error
}

/** Envoie une requête JSON au backend ; résout avec le corps lu, rejette avec ApiError. */
async function request(method, url, data) {
  const response = await send(method, url, data, 'application/json')
  if (!response.ok) throw await failure(url, response)
  return parseBody(response)
}

/**
 * POST JSON ; appelle onEvent avec chaque ligne de la réponse NDJSON dès qu'elle arrive.
 * Rejette avec ApiError si refusé avant le flux ou coupé pendant ; un abandon (signal) rejette avec
 * l'AbortError.
 */
export async function stream(url, data, onEvent, { signal } = {}) {
  // Le flux en NDJSON ; un refus avant le flux reste du JSON de DRF.
  const response = await send('POST', url, data, 'application/x-ndjson, application/json', signal)
  if (!response.ok) throw await failure(url, response)
  const reader = response.body.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  const emitLines = () => {
    let end
    while ((end = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, end).trim()
      buffer = buffer.slice(end + 1)
      if (line) onEvent(JSON.parse(line))
    }
  }
  for (;;) {
    let chunk
    try {
      chunk = await reader.read()
    } catch (err) {
      if (err.name === 'AbortError') throw err
      throw new ApiError(0, 'Connexion au serveur interrompue')
    }
    if (chunk.done) break
    buffer += decoder.decode(chunk.value, { stream: true })
    emitLines()
  }
  buffer += '\n'
  emitLines()
}

/** Paramètres d'URL d'un filtre ; les valeurs vides (« », null, undefined) sont omises. */
export const queryString = (params) =>
  new URLSearchParams(Object.entries(params).filter(([, value]) => value !== '' && value != null)).toString()

export const get = (url) => request('GET', url)
export const post = (url, data = {}) => request('POST', url, data)
export const put = (url, data) => request('PUT', url, data)
export const del = (url) => request('DELETE', url)
