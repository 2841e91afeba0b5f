import { afterEach, describe, expect, it, vi } from 'vitest'
import { fetchActiveStrategies, stopActiveStrategy } from '../activeStrategies.js'

const json = (body) => new Response(JSON.stringify(body), { status: 200 })

afterEach(() => vi.unstubAllGlobals())

describe('active strategies API', () => {
  it('reads the rows of a paginated or plain list', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => json({ count: 1, results: [{ id: 3 }] })))
    expect(await fetchActiveStrategies()).toEqual([{ id: 3 }])

    vi.stubGlobal('fetch', vi.fn(async () => json([{ id: 4 }])))
    expect(await fetchActiveStrategies()).toEqual([{ id: 4 }])
  })

  it('posts Stop with whether to sell the open position first', async () => {
    const fetch = vi.fn(async () => json({ id: 3, state: 'stopped' }))
    vi.stubGlobal('fetch', fetch)

    await stopActiveStrategy(3, true)

    const [url, options] = fetch.mock.calls[0]
    expect([url, options.method, JSON.parse(options.body)]).toEqual(['/api/active-strategies/3/stop/', 'POST', { sell: true }])
  })

  it('posts Stop without a choice when no trade was shown', async () => {
    const fetch = vi.fn(async () => json({ id: 3, state: 'stopped' }))
    vi.stubGlobal('fetch', fetch)

    await stopActiveStrategy(3)

    expect(JSON.parse(fetch.mock.calls[0][1].body)).toEqual({})
  })
})
