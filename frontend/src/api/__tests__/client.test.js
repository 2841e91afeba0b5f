import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError, get, post, put, setUnauthorizedHandler } from '../client.js'

function jsonResponse(status, body) {
  return new Response(body === undefined ? '' : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  })
}

let fetchMock

beforeEach(() => {
  fetchMock = vi.fn()
  vi.stubGlobal('fetch', fetchMock)
})

afterEach(() => {
  vi.unstubAllGlobals()
  setUnauthorizedHandler(null)
  document.cookie = 'csrftoken=; expires=Thu, 01 Jan 1970 00:00:00 GMT'
})

async function rejection(promise) {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected a rejection')
}

describe('requests', () => {
  it('sends JSON with same-origin credentials and returns the parsed body', async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, { theme: 'light' }))
    const body = await put('/api/accounts/preferences/', { theme: 'light' })
    expect(body).toEqual({ theme: 'light' })
    const [url, options] = fetchMock.mock.calls[0]
    expect(url).toBe('/api/accounts/preferences/')
    expect(options.method).toBe('PUT')
    expect(options.credentials).toBe('same-origin')
    expect(options.headers['Content-Type']).toBe('application/json')
    expect(JSON.parse(options.body)).toEqual({ theme: 'light' })
  })

  it('sets X-CSRFToken from the cookie on non-GET, re-reading it each time', async () => {
    fetchMock.mockImplementation(async () => jsonResponse(200, {}))
    document.cookie = 'csrftoken=first-token'
    await post('/api/auth/login/', { username: 'alice', password: 'x' })
    document.cookie = 'csrftoken=rotated-token'
    await post('/api/auth/logout/')
    expect(fetchMock.mock.calls[0][1].headers['X-CSRFToken']).toBe('first-token')
    expect(fetchMock.mock.calls[1][1].headers['X-CSRFToken']).toBe('rotated-token')
  })

  it('does not send the CSRF header nor a body on GET', async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, { strategy_live: false }))
    document.cookie = 'csrftoken=abc'
    await get('/api/status/')
    const options = fetchMock.mock.calls[0][1]
    expect(options.headers['X-CSRFToken']).toBeUndefined()
    expect(options.body).toBeUndefined()
  })
})

describe('errors', () => {
  it('uses "detail" as the message', async () => {
    fetchMock.mockResolvedValue(jsonResponse(400, { detail: "Nom d'utilisateur ou mot de passe incorrect." }))
    const error = await rejection(post('/api/auth/login/', {}))
    expect(error).toBeInstanceOf(ApiError)
    expect(error.status).toBe(400)
    expect(error.message).toBe("Nom d'utilisateur ou mot de passe incorrect.")
  })

  it('builds a French message from DRF field and non-field errors', async () => {
    fetchMock.mockResolvedValue(
      jsonResponse(400, {
        non_field_errors: ['Un seul assistant IA peut être activé.'],
        new_password: ['Ce mot de passe est trop court.', 'Ce mot de passe est trop courant.'],
        unknown_field: ['Valeur invalide.'],
      }),
    )
    const error = await rejection(post('/api/auth/change-password/', {}))
    expect(error.message).toBe(
      'Un seul assistant IA peut être activé. '
      + 'Nouveau mot de passe : Ce mot de passe est trop court. Ce mot de passe est trop courant. '
      + 'unknown_field : Valeur invalide.',
    )
    expect(error.fieldErrors).toEqual({
      new_password: 'Ce mot de passe est trop court. Ce mot de passe est trop courant.',
      unknown_field: 'Valeur invalide.',
    })
  })

  it('falls back to a status message when the body is not JSON', async () => {
    fetchMock.mockResolvedValue(new Response('<h1>Server Error</h1>', { status: 500 }))
    const error = await rejection(get('/api/status/'))
    expect(error.status).toBe(500)
    expect(error.message).toBe('Erreur interne du serveur.')
  })

  it('reports a network failure as "Serveur injoignable"', async () => {
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'))
    const error = await rejection(get('/api/status/'))
    expect(error.status).toBe(0)
    expect(error.message).toBe('Serveur injoignable')
  })

  it('calls the unauthorized handler on 401/403 outside the auth endpoints only', async () => {
    const handler = vi.fn()
    setUnauthorizedHandler(handler)
    fetchMock.mockImplementation(async () => jsonResponse(403, { detail: 'Authentification requise.' }))

    await rejection(get('/api/accounts/preferences/'))
    expect(handler).toHaveBeenCalledTimes(1)
    expect(handler.mock.calls[0][0].status).toBe(403)

    await rejection(post('/api/auth/change-password/', {}))
    expect(handler).toHaveBeenCalledTimes(1)
  })
})
