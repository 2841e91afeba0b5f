import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError, stream } from '../client.js'

// Réponse dont le corps arrive en morceaux, coupés n'importe où (même au milieu d'une ligne).
function chunkedResponse(pieces, { fail = false } = {}) {
  const encoder = new TextEncoder()
  const queue = [...pieces]
  const body = new ReadableStream({
    pull(controller) {
      if (queue.length) controller.enqueue(encoder.encode(queue.shift()))
      else if (fail) controller.error(new TypeError('network error'))
      else controller.close()
    },
  })
  return new Response(body, { status: 200, headers: { 'Content-Type': 'application/x-ndjson' } })
}

let fetchMock

beforeEach(() => {
  fetchMock = vi.fn()
  vi.stubGlobal('fetch', fetchMock)
  document.cookie = 'csrftoken=jeton'
})

afterEach(() => {
  vi.unstubAllGlobals()
  document.cookie = 'csrftoken=; expires=Thu, 01 Jan 1970 00:00:00 GMT'
})

describe('stream', () => {
  it('calls onEvent once per NDJSON line, lines split across chunks included', async () => {
    fetchMock.mockResolvedValue(
      chunkedResponse(['{"type":"start"}\n{"type":"delta","te', 'xt":"Bon"}\n', '{"type":"delta","text":"jour"}\n{"type":"done"}']),
    )
    const events = []
    await stream('/api/strategies/assistant/', { request: 'x' }, (event) => events.push(event))

    expect(events).toEqual([{ type: 'start' }, { type: 'delta', text: 'Bon' }, { type: 'delta', text: 'jour' }, { type: 'done' }])
    const [, options] = fetchMock.mock.calls[0]
    expect(options.method).toBe('POST')
    expect(options.headers['X-CSRFToken']).toBe('jeton')
    expect(options.headers.Accept).toBe('application/x-ndjson, application/json') // DRF refuse 406 sans JSON
    expect(JSON.parse(options.body)).toEqual({ request: 'x' })
  })

  it('rejects with the French detail when refused before streaming', async () => {
    fetchMock.mockResolvedValue(new Response(JSON.stringify({ detail: 'Assistant IA désactivé.' }), { status: 400 }))
    const error = await stream('/api/strategies/assistant/', {}, () => {}).catch((err) => err)
    expect(error).toBeInstanceOf(ApiError)
    expect(error.message).toBe('Assistant IA désactivé.')
  })

  it('says the connection was cut when the body breaks mid-stream', async () => {
    fetchMock.mockResolvedValue(chunkedResponse(['{"type":"start"}\n'], { fail: true }))
    const events = []
    const error = await stream('/api/x/', {}, (event) => events.push(event)).catch((err) => err)
    expect(events).toEqual([{ type: 'start' }])
    expect(error.message).toBe('Connexion au serveur interrompue')
  })

  it('reports an unreachable server in French', async () => {
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'))
    const error = await stream('/api/x/', {}, () => {}).catch((err) => err)
    expect(error.message).toBe('Serveur injoignable')
  })
})
