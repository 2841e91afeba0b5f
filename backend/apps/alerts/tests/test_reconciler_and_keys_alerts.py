"""Ce que le réconciliateur trouve (achat orphelin, base vendue hors d'Aristobot) et un exchange qui refuse les clés :
une alerte lisible au propriétaire du broker, une seule par anomalie (et par version des clés)."""

import time
from decimal import Decimal

import pytest

from apps.alerts.models import AlertEvent
from apps.core.exceptions import AuthenticationFailed
from apps.core.services.ccxt_manager import ccxt_manager
from apps.orders import positions
from apps.orders.models import Position
from apps.orders.reconciler import reconcile

pytestmark = pytest.mark.django_db(transaction=True)


def texts(user, kind: str) -> list[str]:
    return list(AlertEvent.objects.filter(user=user, kind=kind).order_by("pk").values_list("text", flat=True))


def wait_for_texts(user, kind: str, count: int, seconds: float = 10) -> list[str]:
    deadline = time.monotonic() + seconds
    while len(found := texts(user, kind)) < count:
        assert time.monotonic() < deadline, f"{count} alertes {kind} attendues : {found}"
        time.sleep(0.1)
    return found


def test_a_sale_outside_aristobot_is_reported_with_what_the_reconciler_changed(
    alice, bob, fake_binance, make_broker, place
):
    broker = make_broker(alice)
    place(alice, broker, quantity=Decimal("0.01"), stop_loss=Decimal("45000"))

    fake_binance.balances["BTC"] = [Decimal("0.004"), Decimal(0)]  # 0,006 BTC vendus à la main
    reconcile()
    reconcile()  # rien de neuf : pas de seconde alerte

    [shrunk] = texts(alice, "reconciler_anomaly")
    assert shrunk.startswith(
        "Réconciliation de Binance principal : Base BTC absente du compte Binance principal (0.01 détenus, "
        "0.004 trouvés) : vendue hors d'Aristobot."
    )
    assert "0.006 BTC retirés de la position BTC/USDT" in shrunk
    assert shrunk.endswith("reste 0.004 BTC, protection reposée.")

    fake_binance.balances["BTC"] = [Decimal(0), Decimal(0)]  # tout le reste est parti
    reconcile()

    closed = texts(alice, "reconciler_anomaly")[1]
    assert "0.004 BTC retirés de la position BTC/USDT" in closed and closed.endswith("position clôturée (externe).")
    assert Position.objects.get().status == Position.Status.CLOSED
    assert len(texts(alice, "reconciler_anomaly")) == 2
    assert not AlertEvent.objects.filter(user=bob).exists()


def test_a_buy_left_without_position_is_reported_once_as_an_orphan(
    alice, fake_binance, make_broker, monkeypatch, place
):
    broker = make_broker(alice)
    monkeypatch.setattr(positions, "follow", lambda trade: None)  # le processus s'arrête après l'exécution
    trade = place(alice, broker, quantity=Decimal("0.01"), stop_loss=Decimal("45000"), take_profit=Decimal("56000"))
    monkeypatch.undo()

    reconcile()
    reconcile()

    assert texts(alice, "reconciler_anomaly") == [
        f"Réconciliation de Binance principal : achat n° {trade.pk} exécuté sans position (arrêt entre l'exécution "
        "et le suivi). Position BTC/USDT ouverte pour 0.01, protection : sur l'exchange (OCO)."
    ]


def test_refused_keys_alert_the_owner_once_per_version_of_the_keys(alice, bob, fake_binance, make_broker):
    broker = make_broker(alice)
    fake_binance.invalid_key = True

    for _ in range(2):
        with pytest.raises(AuthenticationFailed):
            ccxt_manager.sync.balances(broker)
    [refused] = wait_for_texts(alice, "broker_auth_failed", 1)
    assert refused.startswith("Binance principal refuse les clés d'API : Erreur de connexion à Binance")
    assert "Invalid API-key" in refused and refused.endswith("À corriger dans Mon compte.")

    broker.save()  # clés ressaisies (toujours refusées) : nouvelle version, nouvelle alerte
    with pytest.raises(AuthenticationFailed):
        ccxt_manager.sync.balances(broker)
    wait_for_texts(alice, "broker_auth_failed", 2)
    assert len(texts(alice, "broker_auth_failed")) == 2
    assert not AlertEvent.objects.filter(user=bob).exists()
