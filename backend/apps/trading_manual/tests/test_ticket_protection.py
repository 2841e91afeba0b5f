"""Le ticket du Trading manuel avec stop-loss / take-profit : niveaux vérifiés par le service, position protégée."""

import pytest

from apps.brokers.models import PaperOrder
from apps.orders.models import Position

pytestmark = pytest.mark.django_db(transaction=True)


def ticket(api, broker, **levels):
    body = {"broker": broker.pk, "symbol": "BTC/USDT", "side": "buy", "quantity": "0.01", **levels}
    return api.post("/api/trading/orders/", body, format="json")


@pytest.mark.parametrize(
    "levels, reason",
    [
        ({"stop_loss": "50000"}, "Le stop-loss (50\u202f000) doit être sous le prix (50\u202f000)."),
        (
            {"stop_loss": "51000", "take_profit": "60000"},
            "Le stop-loss (51\u202f000) doit être sous le prix (50\u202f000).",
        ),
        ({"take_profit": "49000"}, "Le take-profit (49\u202f000) doit être au-dessus du prix (50\u202f000)."),
        ({"stop_loss": "beaucoup"}, "Le stop-loss n'est pas un nombre : « beaucoup »."),
    ],
)
def test_levels_on_the_wrong_side_of_the_price_are_refused_in_french(alice_api, paper_broker, candle, levels, reason):
    candle("50000")

    response = ticket(alice_api, paper_broker, **levels)

    assert response.status_code == 400 and response.data["detail"] == reason
    assert not PaperOrder.objects.exists() and not Position.objects.exists()


def test_a_buy_with_levels_opens_a_protected_position(alice_api, paper_broker, candle):
    candle("50000")

    response = ticket(alice_api, paper_broker, stop_loss="45000", take_profit="55000")

    assert response.status_code == 201 and response.data["position"] is not None
    position = Position.objects.get(pk=response.data["position"])
    assert (position.status, position.protection, position.source) == ("open", "oco", "manual")
    assert PaperOrder.objects.filter(status="open").count() == 2
