"""Le seul normaliseur de paires : « BTC/USDT », « btcusdt », « BINANCE:BTCUSDT » → la paire unifiée CCXT."""

# Devises de cotation reconnues quand une paire arrive collée (« BTCUSDT ») sans liste de marchés.
QUOTES = ("USDT", "USDC", "FDUSD", "BTC", "ETH", "BNB", "EUR", "USD")
# Les actifs qui valent 1 USD (valorisation du portefeuille, montants affichés à 2 décimales) : la seule liste,
# que le front end reçoit avec la session (`usd_assets`).
USD_ASSETS = frozenset({"USD", "USDT", "USDC", "FDUSD", "BUSD", "DAI", "TUSD", "USDP"})


def clean_symbol(raw: str) -> str:
    """Majuscules, sans espace ni préfixe d'exchange (« BINANCE:BTCUSDT » → « BTCUSDT »)."""
    return str(raw).strip().upper().rsplit(":", 1)[-1]


def market_id(symbol: str) -> str:
    """« BTC/USDT » → « BTCUSDT » (l'identifiant Binance)."""
    return clean_symbol(symbol).replace("/", "")


def unified_symbol(raw: str) -> str | None:
    """« BTCUSDT » ou « btc/usdt » → « BTC/USDT » ; None si la devise de cotation n'est pas reconnue."""
    symbol = clean_symbol(raw)
    if "/" in symbol:
        return symbol
    for quote in QUOTES:
        if symbol.endswith(quote) and len(symbol) > len(quote):
            return f"{symbol[: -len(quote)]}/{quote}"
    return None


def find_market(markets: dict[str, dict], raw: str) -> dict | None:
    """Le marché CCXT de `raw` parmi `markets` : par paire unifiée, puis par identifiant d'exchange."""
    symbol = clean_symbol(raw)
    market = markets.get(symbol)
    if market is not None:
        return market
    wanted = symbol.replace("/", "")
    return next((m for m in markets.values() if str(m.get("id", "")).upper() == wanted), None)
