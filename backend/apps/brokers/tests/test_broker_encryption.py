"""Les clés sont chiffrées au repos : la ligne en base ne contient aucun texte en clair."""

import pytest
from django.db import connection

from apps.brokers.models import Broker

pytestmark = pytest.mark.django_db


def test_database_row_holds_no_plaintext(alice):
    broker = Broker.objects.create(
        user=alice,
        name="Kucoin",
        exchange="kucoin",
        api_key="PLAIN-KEY-123",
        api_secret="PLAIN-SECRET-456",
        api_password="PLAIN-PASS-789",
    )

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM brokers_broker WHERE id = %s", [broker.pk])
        row = " ".join(str(value) for value in cursor.fetchone())

    for plaintext in ("PLAIN-KEY-123", "PLAIN-SECRET-456", "PLAIN-PASS-789"):
        assert plaintext not in row
    assert row.count("gAAAAA") == 3  # jetons Fernet
    reloaded = Broker.objects.get(pk=broker.pk)
    assert (reloaded.api_key, reloaded.api_secret, reloaded.api_password) == (
        "PLAIN-KEY-123",
        "PLAIN-SECRET-456",
        "PLAIN-PASS-789",
    )


def test_admin_list_never_shows_secrets(alice, admin_client):
    Broker.objects.create(
        user=alice, name="Binance", exchange="binance", api_key="ADMIN-KEY-1", api_secret="ADMIN-SEC-2"
    )

    page = admin_client.get("/admin/brokers/broker/").content.decode()

    assert "Binance" in page
    assert "ADMIN-KEY-1" not in page and "ADMIN-SEC-2" not in page
