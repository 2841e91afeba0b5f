"""Le monde de « Tout couper » : ce qu'Aristobot tient encore pour un utilisateur ; le faux Telegram, le serveur SMTP
local et le worker des alertes (ceux des tests d'alertes)."""

from apps.alerts.tests.conftest import alice_linked, drain, smtp, telegram  # noqa: F401 (fixtures partagées)
from apps.orders.models import Position, Trade

LIVE_TRADE = (Trade.Status.PENDING, *Trade.OPEN_STATUSES)


def aristobot_left(user) -> tuple[int, int]:
    """(ordres d'Aristobot encore ouverts, positions d'Aristobot encore en cours) de `user`."""
    orders = Trade.objects.filter(user=user, status__in=LIVE_TRADE).count()
    positions = Position.objects.filter(user=user, status__in=Position.LIVE_STATUSES).count()
    return orders, positions
