"""Valeur en USD du portefeuille d'un broker, par la porte des exchanges : lue par le Trading manuel et par les
instantanés de solde (Statistiques), utilisable par les ordres et les brokers."""

from decimal import Decimal

from apps.brokers.models import Broker
from apps.core.services.ccxt_manager import ccxt_manager
from apps.core.symbols import USD_ASSETS

# Les USD_ASSETS valent 1 USD ; les autres actifs sont valorisés par leur paire USDT, sinon USDC, sinon USD.
USD_QUOTES = ("USDT", "USDC", "USD")


def portfolio(*, broker: Broker) -> dict:
    """{"assets": [{asset, free, used, total, usd_price, usd_value}], "total_usd"} ; lève ExchangeError.

    Un actif sans prix connu a usd_price et usd_value à None et ne compte pas dans le total.
    """
    return ccxt_manager.run(valued_portfolio(broker))


async def valued_portfolio(broker: Broker) -> dict:
    """`portfolio`, pour le code asynchrone (le moteur prend ses instantanés de solde ainsi)."""
    balances = await ccxt_manager.balances(broker)
    markets = await ccxt_manager.markets(broker)
    pairs = {
        asset: next((f"{asset}/{q}" for q in USD_QUOTES if f"{asset}/{q}" in markets), None)
        for asset in balances
        if asset not in USD_ASSETS
    }
    prices = await ccxt_manager.last_prices(broker, [pair for pair in pairs.values() if pair])
    assets = []
    for asset, balance in sorted(balances.items()):
        price = Decimal(1) if asset in USD_ASSETS else prices.get(pairs[asset])
        assets.append(
            {
                "asset": asset,
                "free": balance.free,
                "used": balance.used,
                "total": balance.total,
                "usd_price": price,
                "usd_value": None if price is None else balance.total * price,
            }
        )
    total = sum((a["usd_value"] for a in assets if a["usd_value"] is not None), Decimal(0))
    assets.sort(key=lambda a: a["usd_value"] or Decimal(0), reverse=True)
    return {"assets": assets, "total_usd": total}
