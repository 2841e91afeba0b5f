"""Les fils de la réception des webhooks : un petit nombre fixe, chacun avec sa connexion PostgreSQL gardée.

Sous Daphne, une vue ordinaire prend un fil neuf par requête, donc une connexion neuve : une rafale de 200 alertes
ouvrait 200 connexions (au-delà de max_connections : 500). Ici WEBHOOK_RECEIVE_THREADS fils servent toutes les
livraisons ; la rafale attend son tour quelques millisecondes au lieu d'échouer. 0 = dans le fil de la requête
(tests : la transaction du test reste visible).
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection

_pool: ThreadPoolExecutor | None = None


def _with_fresh_connection(function, *args):
    if connection.connection is not None and not connection.is_usable():
        connection.close()  # base redémarrée : reconnexion
    return function(*args)


async def in_receiving_pool(function, *args):
    """Exécute `function(*args)` (ORM synchrone) dans un fil de la réception et retourne son résultat."""
    global _pool
    if not settings.WEBHOOK_RECEIVE_THREADS:
        return await sync_to_async(function)(*args)
    if _pool is None:
        _pool = ThreadPoolExecutor(settings.WEBHOOK_RECEIVE_THREADS, thread_name_prefix="webhook-reception")
    return await asyncio.get_running_loop().run_in_executor(_pool, _with_fresh_connection, function, *args)
