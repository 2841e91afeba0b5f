"""GET /api/trading/brokers/<id>/portfolio/ et /ticker/ : soldes valorisés en USD, total, dernier prix."""

from decimal import Decimal

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_portfolio_values_each_asset_in_usd_and_totals_them(alice_api, paper_broker, candle):
    candle("50000")
    alice_api.post(
        "/api/trading/orders/",
        {"broker": paper_broker.pk, "symbol": "BTC/USDT", "side": "buy", "quantity": "0.1"},
        format="json",
    )
    candle("52000", minutes_from_now=0)

    response = alice_api.get(f"/api/trading/brokers/{paper_broker.pk}/portfolio/")

    assert response.status_code == 200
    assert response.data["assets"] == [
        {
            "asset": "BTC",
            "free": "0.0999",
            "used": "0",
            "total": "0.0999",
            "usd_price": "52000",
            "usd_value": "5194.8",
        },  # frais d'achat payés en BTC
        {"asset": "USDT", "free": "5000", "used": "0", "total": "5000", "usd_price": "1", "usd_value": "5000"},
    ]
    assert response.data["total_usd"] == "10194.8"


def test_an_asset_without_price_has_no_usd_value_and_is_left_out_of_the_total(alice_api, paper_broker, candle):
    from apps.brokers.models import PaperBalance

    alice_api.get(f"/api/trading/brokers/{paper_broker.pk}/portfolio/")  # solde de départ
    PaperBalance.objects.create(broker=paper_broker, currency="ETH", free=Decimal("2"))

    assets = alice_api.get(f"/api/trading/brokers/{paper_broker.pk}/portfolio/").data

    assert assets["assets"][1] == {
        "asset": "ETH",
        "free": "2",
        "used": "0",
        "total": "2",
        "usd_price": None,
        "usd_value": None,
    }
    assert assets["total_usd"] == "10000"


def test_ticker_gives_the_last_price(alice_api, paper_broker, candle):
    candle("50500")

    response = alice_api.get(f"/api/trading/brokers/{paper_broker.pk}/ticker/", {"symbol": "BTC/USDT"})

    assert response.status_code == 200
    assert (response.data["symbol"], response.data["last"]) == ("BTC/USDT", "50500")


def test_ticker_of_an_unknown_pair_is_400(alice_api, paper_broker):
    response = alice_api.get(f"/api/trading/brokers/{paper_broker.pk}/ticker/", {"symbol": "XRP/EUR"})

    assert response.status_code == 400
    assert response.data["detail"] == "Paire inconnue sur Démo : XRP/EUR."
