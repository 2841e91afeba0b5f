from channels.db import database_sync_to_async

from apps.brokers.models import Broker


@database_sync_to_async
def all_brokers() -> list[Broker]:
    """Tous les brokers de tous les utilisateurs (préchargement du moteur)."""
    return list(Broker.objects.all())
