"""Paires spot de Binance connues sans réseau : la liste du simulateur hors ligne, et la référence des symboles
suivis tant que les marchés Binance n'ont pas été chargés (aucun broker Binance)."""

_USDT = ("BTC ETH BNB SOL XRP ADA DOGE TRX DOT LINK LTC AVAX ATOM XLM UNI ETC FIL APT NEAR ARB OP INJ SUI SEI TIA "
         "PEPE SHIB AAVE BCH ICP HBAR VET ALGO GRT SAND MANA AXS EGLD THETA FTM RUNE KAVA XTZ EOS NEO ZEC DASH "
         "CHZ ENJ CRV COMP MKR SNX LDO RNDR IMX STX FET WLD JUP PYTH BONK WIF FLOKI TON ENA ORDI").split()
_BTC = "ETH BNB SOL XRP ADA DOGE LTC LINK DOT AVAX ATOM XLM TRX BCH ETC".split()
_ETH = "BNB SOL XRP ADA LTC LINK".split()
_FIAT_AND_STABLE = {"USDC": "BTC ETH BNB SOL XRP DOGE".split(), "FDUSD": "BTC ETH BNB SOL".split(),
                    "EUR": "BTC ETH BNB SOL".split()}

KNOWN_PAIRS = frozenset(
    [f"{base}/USDT" for base in _USDT] + [f"{base}/BTC" for base in _BTC] + [f"{base}/ETH" for base in _ETH]
    + [f"{base}/{quote}" for quote, bases in _FIAT_AND_STABLE.items() for base in bases]
)
