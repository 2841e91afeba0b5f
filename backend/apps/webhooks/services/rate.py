"""Débit des livraisons par jeton : WEBHOOK_RATE_PER_MINUTE par minute d'horloge, compté par un seul UPSERT
atomique (plusieurs fils de réception à la fois ne dépassent jamais la limite)."""

from datetime import datetime, timedelta

from django.db import connection

from apps.webhooks.models import WebhookRateWindow

REFUSED_BODY_BYTES = 1024  # d'une livraison refusée, on garde le début seulement

_UPSERT = f"""
    INSERT INTO {WebhookRateWindow._meta.db_table} (user_id, minute, deliveries) VALUES (%s, %s, %s)
    ON CONFLICT (user_id, minute)
    DO UPDATE SET deliveries = {WebhookRateWindow._meta.db_table}.deliveries + EXCLUDED.deliveries
    RETURNING deliveries
"""


def reserve(counts: dict[int, int], now: datetime) -> dict[int, int]:
    """Compte `counts[user_id]` livraisons de plus dans la minute de `now` ; retourne, par utilisateur, combien
    en avaient déjà été comptées avant elles cette minute (la livraison n° k du lot passe si avant + k < limite)."""
    minute = now.replace(second=0, microsecond=0)
    before = {}
    with connection.cursor() as cursor:
        for user_id, count in sorted(counts.items()):
            cursor.execute(_UPSERT, [user_id, minute, count])
            before[user_id] = cursor.fetchone()[0] - count
    if 0 in before.values():  # une minute neuve : les anciennes s'effacent
        WebhookRateWindow.objects.filter(minute__lt=minute - timedelta(minutes=5)).delete()
    return before
