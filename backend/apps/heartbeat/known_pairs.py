"""Paires spot de Binance connues sans réseau : la liste du simulateur hors ligne, et la référence des symboles
suivis tant que les marchés Binance n'ont pas été chargés (aucun broker Binance)."""

# Bases cotées en USDT, les plus échangées d'abord (le banc du heartbeat en prend les N premières).
USDT_BASES = [
    "BTC",
    "ETH",
    "BNB",
    "SOL",
    "XRP",
    "ADA",
    "DOGE",
    "TRX",
    "DOT",
    "LINK",
    "LTC",
    "AVAX",
    "ATOM",
    "XLM",
    "UNI",
    "ETC",
    "FIL",
    "APT",
    "NEAR",
    "ARB",
    "OP",
    "INJ",
    "SUI",
    "SEI",
    "TIA",
    "PEPE",
    "SHIB",
    "AAVE",
    "BCH",
    "ICP",
    "HBAR",
    "VET",
    "ALGO",
    "GRT",
    "SAND",
    "MANA",
    "AXS",
    "EGLD",
    "THETA",
    "FTM",
    "RUNE",
    "KAVA",
    "XTZ",
    "EOS",
    "NEO",
    "ZEC",
    "DASH",
    "CHZ",
    "ENJ",
    "CRV",
    "COMP",
    "MKR",
    "SNX",
    "LDO",
    "RNDR",
    "IMX",
    "STX",
    "FET",
    "WLD",
    "JUP",
    "PYTH",
    "BONK",
    "WIF",
    "FLOKI",
    "TON",
    "ENA",
    "ORDI",
]
_BTC = ["ETH", "BNB", "SOL", "XRP", "ADA", "DOGE", "LTC", "LINK", "DOT", "AVAX", "ATOM", "XLM", "TRX", "BCH", "ETC"]
_ETH = ["BNB", "SOL", "XRP", "ADA", "LTC", "LINK"]
_FIAT_AND_STABLE = {
    "USDC": ["BTC", "ETH", "BNB", "SOL", "XRP", "DOGE"],
    "FDUSD": ["BTC", "ETH", "BNB", "SOL"],
    "EUR": ["BTC", "ETH", "BNB", "SOL"],
}

KNOWN_PAIRS = frozenset(
    [f"{base}/USDT" for base in USDT_BASES]
    + [f"{base}/BTC" for base in _BTC]
    + [f"{base}/ETH" for base in _ETH]
    + [f"{base}/{quote}" for quote, bases in _FIAT_AND_STABLE.items() for base in bases]
)
