"""Chargement des paires d'un exchange dans la table partagée Market, en fond, un seul à la fois par exchange."""

import asyncio
import logging
from decimal import Decimal

from channels.db import database_sync_to_async
from django.db import transaction

from apps.core.channels import MARKETS_FAILED, MARKETS_LOADED, MARKETS_LOADING, client_event, publish, user_group
from apps.core.exceptions import ExchangeError
from apps.core.services.ccxt_manager import ccxt_manager, exchange_profile
from apps.market_data.models import Market

logger = logging.getLogger("aristobot.markets")

# État de la boucle de la porte uniquement (jamais touché depuis un autre fil).
_running: dict[str, asyncio.Task] = {}
_waiting: dict[str, set[int]] = {}


def _text(value):
    """Nombres CCXT → texte décimal sans exposant ; dictionnaires parcourus ; le reste inchangé."""
    if isinstance(value, dict):
        return {key: _text(item) for key, item in value.items()}
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return format(Decimal(str(value)).normalize(), "f")
    return value


def _fields(market: dict) -> dict:
    return {
        "base": market.get("base") or "",
        "quote": market.get("quote") or "",
        "type": market.get("type") or "spot",
        "active": market.get("active") is not False,
        "precision": _text(market.get("precision") or {}),
        "limits": _text(market.get("limits") or {}),
    }


@transaction.atomic
def save_markets(exchange: str, markets: dict[str, dict]) -> dict[str, int]:
    """Remplace les paires de `exchange` par `markets` ; retourne {added, removed, updated, total}."""
    existing = {m.symbol: m for m in Market.objects.select_for_update().filter(exchange=exchange)}
    incoming = {symbol: _fields(market) for symbol, market in markets.items()}
    added = [Market(exchange=exchange, symbol=s, **fields) for s, fields in incoming.items() if s not in existing]
    changed = []
    for symbol, fields in incoming.items():
        row = existing.get(symbol)
        if row is not None and any(getattr(row, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(row, name, value)
            changed.append(row)
    removed = [symbol for symbol in existing if symbol not in incoming]
    Market.objects.bulk_create(added)
    for row in changed:
        row.save()
    Market.objects.filter(exchange=exchange, symbol__in=removed).delete()
    return {"added": len(added), "removed": len(removed), "updated": len(changed), "total": len(incoming)}


async def _tell(user_ids, kind: str, data: dict) -> None:
    for user_id in user_ids:
        await publish(user_group(user_id), client_event(kind, data))


async def _load(broker, source: str, name: str) -> dict[str, int]:
    failure = None
    try:
        markets = await ccxt_manager.markets(broker, reload=True)
        counts = await database_sync_to_async(save_markets)(source, markets)
        kind, data = MARKETS_LOADED, {"exchange": source, "name": name, **counts}
        logger.info("Paires de %s : %s", source, counts)
    except Exception as exc:
        failure = exc
        error = exc.message if isinstance(exc, ExchangeError) else f"Erreur interne : {exc}"
        logger.warning("Paires de %s non chargées : %s", source, error, exc_info=not isinstance(exc, ExchangeError))
        kind, data = MARKETS_FAILED, {"exchange": source, "name": name, "error": error}
    # Fin du chargement et liste des attendants relevées ensemble, sans attente entre les deux.
    _running.pop(source, None)
    users = _waiting.pop(source, set())
    await _tell(users, kind, data)
    if failure is not None:
        raise failure
    return counts


async def _reload(broker, user_id: int) -> dict[str, int]:
    source = broker.market_source
    name = exchange_profile(broker.exchange)["name"] + (" (testnet)" if source != broker.exchange else "")
    _waiting.setdefault(source, set()).add(user_id)
    task = _running.get(source)
    if task is None:
        task = _running[source] = asyncio.create_task(_load(broker, source, name))
    await _tell([user_id], MARKETS_LOADING, {"exchange": source, "name": name})
    return await asyncio.shield(task)


async def reload_markets(*, broker, user_id: int) -> dict[str, int]:
    """Recharge les paires de l'exchange du broker ; rejoint le chargement en cours pour le même exchange.

    Publie markets_loading puis markets_loaded (ou markets_failed) dans le groupe de l'utilisateur.
    Lève l'ExchangeError du chargement.
    """
    return await ccxt_manager.on_door_loop(_reload(broker, user_id))


def start_markets_reload(*, broker, user_id: int) -> None:
    """Lance `reload_markets` en fond et rend la main tout de suite (vues, enregistrement d'un broker)."""
    ccxt_manager.submit(_reload(broker, user_id))
