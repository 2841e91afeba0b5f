"""L'écart d'horloge entre ce PC et chaque exchange, mesuré par la porte (le processus qui appelle l'exchange) et
gardé dans Redis pour la barre de statut du processus web. Seul un écart de plus d'une seconde est gardé : plus
petit, il n'y a rien à dire ; plus grand, CCXT le compense mais l'utilisateur doit le savoir (horloge Windows)."""

import json
import logging

import redis
import redis.asyncio
from django.conf import settings

logger = logging.getLogger("aristobot.exchanges")

KEY_PREFIX = "aristobot:exchange-clock:"
SHOWN_ABOVE_MS = 1000
KEPT_SECONDS = 3 * 3600  # remesuré chaque heure : une mesure plus vieille ne dit plus rien


async def record(key: str, name: str, offset_ms: int) -> None:
    """`offset_ms` : heure du PC moins heure de l'exchange (CCXT options["timeDifference"])."""
    client = redis.asyncio.Redis.from_url(settings.REDIS_URL, socket_timeout=3, socket_connect_timeout=3)
    try:
        if abs(offset_ms) > SHOWN_ABOVE_MS:
            value = json.dumps({"name": name, "offset_ms": offset_ms})
            await client.set(KEY_PREFIX + key, value, ex=KEPT_SECONDS)
        else:
            await client.delete(KEY_PREFIX + key)
    except redis.RedisError as error:
        logger.warning("Écart d'horloge avec %s non enregistré : %s", name, error)
    finally:
        await client.aclose()


def notice() -> str | None:
    """« Horloge du PC en retard de 10,0 s sur Binance (compensé) » pour le plus grand écart gardé, sinon None."""
    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=3, socket_connect_timeout=3)
    try:
        keys = list(client.scan_iter(match=KEY_PREFIX + "*", count=100))
        values = client.mget(keys) if keys else []
    except redis.RedisError:
        return None
    finally:
        client.close()
    measures = [json.loads(value) for value in values if value]
    if not measures:
        return None
    worst = max(measures, key=lambda measure: abs(measure["offset_ms"]))
    seconds = f"{abs(worst['offset_ms']) / 1000:.1f}".replace(".", ",")
    direction = "en avance" if worst["offset_ms"] > 0 else "en retard"
    return f"Horloge du PC {direction} de {seconds} s sur {worst['name']} (compensé)"
