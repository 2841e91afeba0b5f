// Réponses du backend partagées par les tests des composants brokers.
export const exchanges = [
  { id: 'paper', name: 'Paper', has_sandbox: true, credentials: [] },
  { id: 'binance', name: 'Binance', has_sandbox: true, credentials: ['api_key', 'api_secret'] },
  { id: 'kraken', name: 'Kraken', has_sandbox: false, credentials: ['api_key', 'api_secret'] },
  { id: 'kucoin', name: 'KuCoin', has_sandbox: false, credentials: ['api_key', 'api_secret', 'api_password'] },
]

export const json = (body, status = 200) => new Response(JSON.stringify(body), { status })

/** Faux fetch qui répond depuis `routes` ({"GET /api/...": corps | (options) => Response}). */
export function routeFetch(routes) {
  return async (url, options) => {
    const answer = routes[`${options.method} ${url}`]
    if (answer === undefined) return json({ detail: `Route absente du test : ${options.method} ${url}` }, 404)
    return typeof answer === 'function' ? answer(options) : json(answer)
  }
}
