"""GET /api/stats/balance/ : la dernière valeur par période, calculée en base ; les trous restent des trous ;
les brokers de l'utilisateur seulement."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from apps.brokers.models import Broker
from apps.stats.models import BalanceSnapshot

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def accounts(alice):
    spot = Broker.objects.create(user=alice, name="Spot", exchange="paper")
    demo = Broker.objects.create(user=alice, name="Démo", exchange="paper")

    def snap(broker, minutes, total):
        BalanceSnapshot.objects.create(
            broker=broker, taken_at=T0 + timedelta(minutes=minutes), reason="hourly", total_usd=Decimal(total)
        )

    snap(spot, 0, "1000")
    snap(spot, 30, "1010")  # même heure : la dernière compte
    snap(spot, 60, "1020")
    # 12:00 manque pour spot : moteur arrêté
    snap(spot, 180, "990")
    snap(demo, 60, "500")
    snap(demo, 120, "505")
    snap(demo, 180, "510")
    return spot, demo


def query(api, **params):
    base = {"from": "2026-03-01T09:00:00Z", "to": "2026-03-01T14:00:00Z", "interval": "1h"}
    return api.get("/api/stats/balance/", {**base, **params})


def test_series_take_the_last_value_of_each_hour_and_keep_gaps(alice_api, accounts):
    spot, demo = accounts

    body = query(alice_api).json()

    by_name = {series["name"]: series for series in body["brokers"]}
    assert [(p["time"][11:16], p["total_usd"]) for p in by_name["Spot"]["points"]] == [
        ("10:00", "1010"),
        ("11:00", "1020"),
        ("12:00", None),
        ("13:00", "990"),
    ]
    assert by_name["Spot"]["change"] == {"usd": "-20", "pct": "-1.98"}
    assert [p["total_usd"] for p in by_name["Démo"]["points"]] == ["500", "505", "510"]  # depuis son premier
    # Total : spot seul à 10 h (démo pas encore suivi), trou à 12 h (spot manque).
    assert [p["total_usd"] for p in body["total"]["points"]] == ["1010", "1520", None, "1500"]
    assert body["total"]["change"]["usd"] == "490"


def test_filter_by_broker_and_day_interval_in_the_user_zone(alice, alice_api, accounts):
    spot, _ = accounts
    alice.display_timezone = "Europe/Paris"
    alice.save(update_fields=["display_timezone"])

    body = query(alice_api, broker=str(spot.pk), interval="1d").json()

    assert [series["name"] for series in body["brokers"]] == ["Spot"]
    (point,) = body["brokers"][0]["points"]
    assert (point["time"], point["total_usd"]) == ("2026-02-28T23:00:00Z", "990")  # minuit à Paris


def test_another_users_broker_is_404_and_bad_input_is_refused_in_french(bob, bob_api, alice_api, accounts):
    spot, _ = accounts
    theirs = Broker.objects.create(user=bob, name="Bob", exchange="paper")

    assert query(alice_api, broker=f"{spot.pk},{theirs.pk}").status_code == 404
    assert query(bob_api).json()["brokers"] == [
        {"broker": theirs.pk, "name": "Bob", "points": [], "change": {"usd": None, "pct": None}}
    ]
    bad_interval = query(alice_api, interval="5m")
    assert bad_interval.status_code == 400 and "Intervalle inconnu" in str(bad_interval.json())
    reversed_dates = query(alice_api, **{"from": "2026-03-02T00:00:00Z", "to": "2026-03-01T00:00:00Z"})
    assert reversed_dates.status_code == 400 and "précéder" in str(reversed_dates.json())
    assert query(alice_api, broker="abc").status_code == 400
