"""Métriques des positions clôturées sur un jeu fait à la main (réponses connues) : par source, broker,
activation, webhook ; filtres ; CSV égal au tableau ; les brokers de l'utilisateur seulement."""

import csv
import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from apps.brokers.models import Broker
from apps.orders.models import Position
from apps.webhooks.models import Webhook
from testing.activations import activate

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
PERIOD = {"from": "2026-03-01T00:00:00Z", "to": "2026-03-10T00:00:00Z"}


@pytest.fixture
def book(alice):
    spot = Broker.objects.create(user=alice, name="Spot", exchange="paper")
    demo = Broker.objects.create(user=alice, name="Démo", exchange="paper")
    signal = Webhook.objects.create(user=alice, body=b"{}", body_sha256="a", signal={"comment": "RSI 4h"})

    def closed(broker, hours, pnl, *, source="manual", cost="1000", fees="1", symbol="BTC/USDT", **fields):
        position = Position.objects.create(
            user=alice,
            broker=broker,
            symbol=symbol,
            source=source,
            status=Position.Status.CLOSED,
            entry_cost=Decimal(cost),
            sold_quantity=Decimal("0.02"),
            entry_price=Decimal("50000"),
            exit_price=Decimal("50100"),
            exit_reason="signal",
            fees=Decimal(fees),
            realized_pnl=Decimal(pnl),
            closed_at=T0 + timedelta(hours=hours),
            **fields,
        )
        return position

    # Stratégie 7 : +100, -50, +30, -60 → courbe 100, 50, 80, 20 ; baisse maximale 80 depuis le sommet 100.
    for hours, pnl in ((1, "100"), (2, "-50"), (3, "30"), (4, "-60")):
        closed(spot, hours, pnl, source="strategy", active_strategy_id=7)
    closed(demo, 5, "40", source="webhook", webhook=signal)
    closed(demo, 6, "-10", source="webhook", webhook=signal)
    closed(demo, 7, "0.001", source="manual", symbol="ETH/BTC", cost="0.05", fees="0.0001")
    closed(spot, 24 * 20, "999")  # hors période
    return spot, demo


def get(api, path, **params):
    return api.get(f"/api/stats/{path}", {**PERIOD, **params})


def test_summary_gives_known_metrics_per_source_and_never_adds_two_quotes(alice_api, book):
    body = get(alice_api, "summary/").json()

    usdt, btc = sorted(body["overall"], key=lambda row: row["quote"] != "USDT")
    assert (usdt["quote"], usdt["realized_pnl"], usdt["total_trades"]) == ("USDT", "50", 6)
    assert (usdt["winning_trades"], usdt["losing_trades"], usdt["win_rate"]) == (3, 3, "50")
    assert usdt["profit_factor"] == "1.42"  # 170 / 120
    assert usdt["expectancy"] == "8.333333333333333333333333333"
    assert (usdt["avg_win"], usdt["avg_loss"], usdt["best_trade"], usdt["worst_trade"]) == (
        "56.66666666666666666666666667",
        "-40",
        "100",
        "-60",
    )
    assert (usdt["fees"], usdt["realized_pnl_pct"]) == ("6", "0.83")  # 50 / 6000
    assert (btc["quote"], btc["realized_pnl"], btc["total_trades"]) == ("BTC", "0.001", 1)
    by_source = {(row["source"], row["quote"]): row for row in body["source"]}
    assert by_source[("strategy", "USDT")]["realized_pnl"] == "20"
    assert by_source[("webhook", "USDT")]["source_label"] == "webhook"
    assert {row["broker_name"] for row in body["broker"]} == {"Spot", "Démo"}


def test_strategy_and_webhook_rows_carry_their_cumulative_curve_and_drawdown(alice_api, book):
    (strategy,) = get(alice_api, "strategies/").json()
    (webhook,) = get(alice_api, "webhooks/").json()

    assert strategy["active_strategy_id"] == 7
    assert [point["pnl"] for point in strategy["curve"]] == ["100", "50", "80", "20"]
    assert strategy["max_drawdown"] == "-80"
    assert strategy["max_drawdown_pct"] == "-7.27"  # 80 / (1000 + 100)
    assert (webhook["label"], webhook["realized_pnl"], webhook["win_rate"]) == ("RSI 4h", "30", "50")
    assert [point["pnl"] for point in webhook["curve"]] == ["40", "30"]


def test_filters_by_broker_and_period(alice_api, book):
    spot, demo = book

    only_demo = get(alice_api, "summary/", broker=str(demo.pk)).json()["overall"]
    later = get(alice_api, "summary/", **{"from": "2026-03-01T15:30:00Z"}).json()["overall"]
    everything = alice_api.get("/api/stats/summary/", {"from": "2026-01-01T00:00:00Z", "to": "2026-12-31T00:00:00Z"})

    assert {row["quote"]: row["total_trades"] for row in only_demo} == {"USDT": 2, "BTC": 1}
    assert {row["quote"]: row["realized_pnl"] for row in later} == {"USDT": "-30", "BTC": "0.001"}
    assert {row["quote"]: row["total_trades"] for row in everything.json()["overall"]} == {"USDT": 7, "BTC": 1}


def test_the_csv_holds_the_trades_behind_the_table(alice_api, book):
    response = get(alice_api, "trades.csv")
    text = response.content.decode()
    assert text.startswith("\ufeff")  # Excel français : BOM, « ; » et virgule décimale
    rows = list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))
    table = get(alice_api, "summary/").json()["source"]

    assert response["Content-Type"].startswith("text/csv")
    assert len(rows) == sum(row["total_trades"] for row in table) == 7
    for line in table:
        behind = [r for r in rows if r["source"] == line["source"] and r["symbol"].endswith("/" + line["quote"])]
        assert sum(Decimal(r["realized_pnl"].replace(",", ".")) for r in behind) == Decimal(line["realized_pnl"])
    assert {r["webhook_label"] for r in rows if r["source"] == "webhook"} == {"RSI 4h"}


def test_another_users_brokers_stay_out(bob, bob_api, alice_api, book):
    spot, _ = book
    theirs = Broker.objects.create(user=bob, name="Bob", exchange="paper")

    assert get(bob_api, "summary/").json()["overall"] == []
    assert get(bob_api, "strategies/", broker=str(spot.pk)).status_code == 404
    assert get(alice_api, "trades.csv", broker=f"{theirs.pk}").status_code == 404
    assert get(alice_api, "webhooks/", **{"from": "pas une date"}).status_code == 400


def test_filter_by_source_and_strategy_rows_named_after_their_activation(alice, alice_api, book):
    from apps.strategies.models import Strategy

    spot, _ = book
    strategy = Strategy.objects.create(user=alice, name="Croisement", code="x = 1", timeframe="15m")
    activation = activate(
        alice,
        strategy,
        spot,
        timeframe="15m",
        amount="1000",
        start_date=T0,
        end_date=T0 + timedelta(days=30),
        current_balance=0,
    )
    Position.objects.filter(active_strategy_id=7).update(active_strategy_id=activation.pk)

    webhooks_only = get(alice_api, "summary/", source="webhook").json()["overall"]
    (strategy_row,) = get(alice_api, "strategies/").json()
    csv_rows = get(alice_api, "trades.csv", source="strategy").content.decode().strip().splitlines()

    assert [(row["quote"], row["total_trades"], row["realized_pnl"]) for row in webhooks_only] == [("USDT", 2, "30")]
    assert strategy_row["label"] == "Croisement · BTC/USDT · 15m"
    assert len(csv_rows) == 1 + 4
    assert get(alice_api, "summary/", source="bot").status_code == 400
