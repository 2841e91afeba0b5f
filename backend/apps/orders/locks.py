"""Verrou d'une paire sur un broker (apps.core.advisory_lock) : un seul ordre, une seule mise à jour de position et de
protection à la fois sur la paire, toutes sources confondues, entre les processus (serveur, worker, moteur).

Pris par les entrées publiques du service d'ordres (apps.orders.services, positions.close, le réconciliateur) ; les
autres apps ne le prennent jamais elles-mêmes. Réentrant dans une même connexion (un service qui en appelle un autre).
"""

import zlib

from apps.core.advisory_lock import advisory_lock


def _key(symbol: str) -> int:
    return zlib.crc32(symbol.encode()) - 2**31  # entier signé 32 bits


def symbol_lock(broker_id: int, symbol: str):
    return advisory_lock(broker_id, _key(symbol))  # identifiants de broker positifs : espace propre aux paires
