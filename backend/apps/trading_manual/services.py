"""Lectures du Trading manuel par la porte des exchanges : portefeuille valorisé en USD, dernier prix d'une paire."""
import asyncio
from decimal import Decimal

from django.core.exceptions import ValidationError

from apps.brokers.models import Broker
from apps.brokers.services import nonzero_balances
from apps.core.exceptions import ExchangeError
from apps.core.services.ccxt_manager import ccxt_manager, to_decimal

# Valent 1 USD ; les autres actifs sont valorisés par leur paire USDT, sinon USDC, sinon USD.
STABLECOINS = frozenset({"USD", "USDT", "USDC", "FDUSD", "BUSD", "DAI", "TUSD", "USDP"})
USD_QUOTES = ("USDT", "USDC", "USD")


async def _last_prices(broker: Broker, symbols: list[str]) -> dict[str, Decimal | None]:
    """Dernier prix de chaque paire ; None pour une paire dont l'exchange ne donne pas le prix."""
    tickers = await asyncio.gather(*(ccxt_manager.call(broker, "fetch_ticker", s) for s in symbols),
                                   return_exceptions=True)
    prices = {}
    for symbol, ticker in zip(symbols, tickers):
        if isinstance(ticker, ExchangeError):
            prices[symbol] = None
        elif isinstance(ticker, BaseException):
            raise ticker
        else:
            prices[symbol] = to_decimal(ticker.get("last") or ticker.get("close"))
    return prices


def portfolio(*, broker: Broker) -> dict:
    """{"assets": [{asset, free, used, total, usd_price, usd_value}], "total_usd"} ; lève ExchangeError.

    Un actif sans prix connu a usd_price et usd_value à None et ne compte pas dans le total.
    """
    balances = nonzero_balances(ccxt_manager.run(ccxt_manager.call(broker, "fetch_balance")))
    markets = ccxt_manager.run(ccxt_manager.markets(broker))
    pairs = {asset: next((f"{asset}/{q}" for q in USD_QUOTES if f"{asset}/{q}" in markets), None)
             for asset in balances if asset not in STABLECOINS}
    prices = ccxt_manager.run(_last_prices(broker, [pair for pair in pairs.values() if pair]))
    assets = []
    for asset, amounts in sorted(balances.items()):
        price = Decimal(1) if asset in STABLECOINS else prices.get(pairs[asset])
        assets.append({"asset": asset, **amounts, "usd_price": price,
                       "usd_value": None if price is None else amounts["total"] * price})
    total = sum((a["usd_value"] for a in assets if a["usd_value"] is not None), Decimal(0))
    assets.sort(key=lambda a: a["usd_value"] or Decimal(0), reverse=True)
    return {"assets": assets, "total_usd": total}


def ticker(*, broker: Broker, symbol: str) -> dict:
    """{"symbol", "last", "bid", "ask", "timestamp"} d'une paire du broker ; ValidationError si elle est inconnue."""
    if symbol not in ccxt_manager.run(ccxt_manager.markets(broker)):
        raise ValidationError(f"Paire inconnue sur {broker.name} : {symbol}.")
    data = ccxt_manager.run(ccxt_manager.call(broker, "fetch_ticker", symbol))
    return {"symbol": symbol, "last": to_decimal(data.get("last") or data.get("close")),
            "bid": to_decimal(data.get("bid")), "ask": to_decimal(data.get("ask")), "timestamp": data.get("timestamp")}
