"""Un exchange qui ne répond plus ne bloque pas une requête : au-delà du délai global de la porte, 504 en français
(sans ce délai, la réponse arriverait après les 5 s du faux Binance, en 200)."""

import pytest

from apps.core.services.ccxt_manager import ccxt_manager

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_hung_exchange_gives_a_french_504_within_the_global_timeout(
    settings, alice, alice_api, fake_binance, make_broker
):
    broker = make_broker(alice)
    ccxt_manager.sync.markets(broker)  # instance prête : seule la lecture des soldes reste à faire
    settings.CCXT_TIMEOUT_MS, settings.CCXT_RETRIES, settings.EXCHANGE_CALL_TIMEOUT_SECONDS = 60_000, 0, 1
    fake_binance.delay = 5

    response = alice_api.get(f"/api/trading/brokers/{broker.pk}/portfolio/")

    assert response.status_code == 504
    assert response.json() == {
        "detail": "L'exchange ne répond pas à temps : pas de réponse après 1 s",
        "code": "ExchangeTimeout",
    }
