"""GET /api/markets/ : table partagée, filtres exchange / devise de cotation / recherche, pagination."""

import pytest

from apps.market_data.models import Market

pytestmark = pytest.mark.django_db


@pytest.fixture
def markets():
    for exchange, symbol in [
        ("binance", "BTC/USDT"),
        ("binance", "ETH/USDT"),
        ("binance", "ETH/USDC"),
        ("binance", "SOL/BTC"),
        ("kucoin", "BTC/USDT"),
    ]:
        base, quote = symbol.split("/")
        Market.objects.create(exchange=exchange, symbol=symbol, base=base, quote=quote)


def _symbols(response):
    return [(m["exchange"], m["symbol"]) for m in response.data["results"]]


def test_filters_by_exchange_quote_and_search(alice_api, markets):
    assert _symbols(alice_api.get("/api/markets/?exchange=binance&quote=usdt")) == [
        ("binance", "BTC/USDT"),
        ("binance", "ETH/USDT"),
    ]
    assert _symbols(alice_api.get("/api/markets/?search=eth")) == [("binance", "ETH/USDC"), ("binance", "ETH/USDT")]
    assert _symbols(alice_api.get("/api/markets/?quote=USDT&exchange=kucoin")) == [("kucoin", "BTC/USDT")]


def test_pages(alice_api, markets):
    first = alice_api.get("/api/markets/?page_size=2").data
    third = alice_api.get("/api/markets/?page_size=2&page=3").data

    assert first["count"] == 5 and len(first["results"]) == 2 and first["next"]
    assert [m["symbol"] for m in third["results"]] == ["BTC/USDT"] and third["next"] is None


def test_every_user_sees_the_same_shared_table(alice_api, bob_api, markets):
    assert alice_api.get("/api/markets/").data == bob_api.get("/api/markets/").data
