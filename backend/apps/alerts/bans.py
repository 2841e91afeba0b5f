"""Un exchange qui bannit cette machine (HTTP 418, trop de requêtes) : une alerte à chaque utilisateur qui y a un
broker, une seule par bannissement (clé : l'exchange et l'heure du début), même si plusieurs processus le voient."""

from datetime import datetime

from django.db import connections
from django.utils import timezone

from apps.alerts.events import emit
from apps.brokers.models import Broker


def on_exchange_ban(exchange_id: str, name: str, testnet: bool, until: datetime) -> None:
    try:
        _alert_owners(exchange_id, name, testnet, until)
    finally:
        connections.close_all()  # appelé dans un fil de la porte des exchanges : sa connexion ne reste pas ouverte


def _alert_owners(exchange_id: str, name: str, testnet: bool, until: datetime) -> None:
    where = f"{name} (testnet)" if testnet else name
    text = (
        f"{where} a suspendu l'accès de cette machine (trop de requêtes) jusqu'à {until:%H:%M:%S} UTC : "
        "aucun ordre ni lecture sur cet exchange d'ici là, la protection des positions par Aristobot attend."
    )
    key = f"exchange-ban-{exchange_id}{'-testnet' if testnet else ''}-{timezone.now():%Y%m%d%H}"
    owners = Broker.objects.filter(exchange=exchange_id, is_testnet=testnet).values_list("user_id", flat=True)
    for user_id in sorted(set(owners)):
        emit(
            kind="exchange_banned",
            user_id=user_id,
            text=text,
            data={"exchange": exchange_id, "testnet": testnet, "until": until.isoformat()},
            key=key,
        )
