"""Un ordre manuel exécuté, une position clôturée, un ordre refusé : le message français arrive dans la cloche, au
faux Telegram et au serveur SMTP local, selon les canaux choisis ; rien chez bob."""

import pytest

from apps.alerts.models import AlertDelivery
from apps.alerts.tests.conftest import ALICE_CHAT
from apps.core.channels import ORDER, client_event, publish_sync, user_group
from apps.core.services.ccxt_manager import ccxt_manager
from apps.orders.models import Trade
from apps.orders.serializers import TradeSerializer

pytestmark = pytest.mark.django_db(transaction=True)
ALICE_MAIL = "alice@example.com"


def order(api, broker, side, quantity):
    return api.post(
        "/api/trading/orders/",
        {"broker": broker.pk, "symbol": "BTC/USDT", "side": side, "order_type": "market", "quantity": quantity},
        format="json",
    )


def test_a_fill_then_a_close_reach_the_bell_telegram_and_email(
    alice_linked, alice_api, bob_api, paper_broker, candle, telegram, smtp, drain
):
    candle("50000")
    assert order(alice_api, paper_broker, "buy", "0.01").status_code == 201
    candle("55000", minutes_from_now=0)
    assert order(alice_api, paper_broker, "sell", "0.00999").status_code == 201

    drain()

    fill = telegram.wait_for_message(ALICE_CHAT, "Achat exécuté")
    assert fill.startswith("Achat exécuté : 0,01 BTC/USDT sur Démo à 50\u202f000")
    closed = telegram.wait_for_message(ALICE_CHAT, "Position clôturée")
    assert "P&L" in closed and "raison : clôture manuelle" in closed
    assert smtp.wait_for(ALICE_MAIL, "Achat exécuté")["subject"] == "Aristobot : Ordre exécuté"
    assert smtp.wait_for(ALICE_MAIL, "Position clôturée")["subject"] == "Aristobot : Position clôturée (P&L et raison)"
    # Position ouverte : dans la cloche seulement (canaux par défaut)
    assert not [text for text in telegram.messages_to(ALICE_CHAT) if "Position ouverte" in text]
    bell = alice_api.get("/api/alerts/").data
    kinds = [alert["kind"] for alert in bell["results"]]
    assert {"order_filled", "position_opened", "position_closed"} <= set(kinds) and bell["unread"] == len(kinds)
    assert kinds.count("order_filled") == 2  # l'achat et la vente, une alerte chacun
    assert bob_api.get("/api/alerts/").data == {"unread": 0, "results": []}


def test_a_refused_order_is_sent_with_its_reason(alice_linked, alice_api, paper_broker, candle, telegram, smtp, drain):
    candle("50000")
    assert order(alice_api, paper_broker, "buy", "1000").status_code == 502  # 50 M USDT : refusé par l'exchange

    drain()

    refused = telegram.wait_for_message(ALICE_CHAT, "refusé")
    assert refused.startswith("Achat refusé (BTC/USDT sur Démo) : ")
    assert smtp.wait_for(ALICE_MAIL, "Achat refusé")["subject"] == "Aristobot : Ordre refusé ou en échec"


def test_a_channel_turned_off_in_mon_compte_gets_nothing(
    alice_linked, alice_api, paper_broker, candle, telegram, smtp, drain
):
    response = alice_api.put("/api/alerts/settings/", {"channels": {"order_filled": ["app", "email"]}}, format="json")
    assert response.status_code == 200
    assert next(k for k in response.data["kinds"] if k["kind"] == "order_filled")["channels"] == ["app", "email"]
    candle("50000")
    order(alice_api, paper_broker, "buy", "0.01")

    drain()

    smtp.wait_for(ALICE_MAIL, "Achat exécuté")
    assert telegram.messages_to(ALICE_CHAT) == []
    assert list(AlertDelivery.objects.values_list("channel", "status")) == [("email", "sent")]


def test_the_same_event_is_recorded_once_even_when_announced_again(
    alice_linked, alice_api, paper_broker, candle, drain, telegram
):
    candle("50000")
    trade_id = order(alice_api, paper_broker, "buy", "0.01").data["id"]
    # une relecture republie le même Trade exécuté
    message = client_event(ORDER, dict(TradeSerializer(Trade.objects.get(pk=trade_id)).data))
    publish_sync(user_group(alice_linked.pk), message)
    drain()
    drain()

    telegram.wait_for_message(ALICE_CHAT, "Achat exécuté")
    assert len([text for text in telegram.messages_to(ALICE_CHAT) if "Achat exécuté" in text]) == 1


def test_an_order_whose_answer_is_lost_is_sent_as_uncertain(
    alice_linked, alice_api, settings, fake_binance, make_broker, telegram, drain
):
    broker = make_broker(alice_linked)
    settings.CCXT_TIMEOUT_MS = 300
    ccxt_manager.run(ccxt_manager.markets(broker))
    fake_binance.delay = 0.6

    response = alice_api.post(
        "/api/trading/orders/",
        {
            "broker": broker.pk,
            "symbol": "BTC/USDT",
            "side": "buy",
            "order_type": "limit",
            "quantity": "0.01",
            "price": "60000",
        },
        format="json",
    )
    drain()

    assert response.data["status"] == "pending"
    uncertain = telegram.wait_for_message(ALICE_CHAT, "incertaine")
    assert uncertain.startswith(f"Achat à l'issue incertaine (BTC/USDT sur {broker.name}) : ")
