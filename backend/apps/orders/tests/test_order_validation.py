"""Demandes invalides : un Trade refusé (rejected) avec la raison en français, jamais d'exception ni d'envoi."""

from decimal import Decimal

import pytest

from apps.orders.models import Trade

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    "fields, error",
    [
        ({}, "Indiquez une seule taille d'ordre : une quantité, un montant ou un pourcentage."),
        (
            {"quantity": Decimal("0.01"), "amount": Decimal("100")},
            "Indiquez une seule taille d'ordre : une quantité, un montant ou un pourcentage.",
        ),
        ({"quantity": Decimal("-1")}, "La quantité doit être un nombre positif."),
        ({"amount": "douze"}, "Le montant n'est pas un nombre : « douze »."),
        ({"percent": Decimal("150")}, "Le pourcentage doit être compris entre 0 et 100."),
        ({"quantity": Decimal("Infinity")}, "La quantité est hors limites : « Infinity »."),
        ({"order_type": "limit", "quantity": Decimal("0.01")}, "Un ordre limite demande un prix."),
        ({"order_type": "stop", "quantity": Decimal("0.01")}, "Type d'ordre inconnu : « stop » (market ou limit)."),
        ({"side": "hold", "quantity": Decimal("0.01")}, "Sens inconnu : « hold » (buy ou sell)."),
        ({"symbol": "DOGE/EUR", "quantity": Decimal("1")}, "Paire inconnue sur Binance principal : DOGE/EUR."),
        (
            {"quantity": Decimal("0.01"), "stop_loss": Decimal("51000")},
            "Le stop-loss (51\u202f000) doit être sous le prix (50\u202f000).",
        ),
        (
            {"side": "sell", "quantity": Decimal("0.01"), "take_profit": Decimal("52000")},
            "Le take-profit (52\u202f000) doit être sous le prix (50\u202f000).",
        ),
        (
            {"quantity": Decimal("0.01"), "client_order_id": "espaces interdits"},
            "Identifiant client invalide : 1 à 36 caractères parmi lettres, chiffres et . _ : / -.",
        ),
    ],
)
def test_invalid_request_is_a_rejected_trade_and_nothing_is_sent(binance_broker, fake_binance, order, fields, error):
    trade = order(binance_broker, **fields)

    trade.refresh_from_db()
    assert (trade.status, trade.error) == (Trade.Status.REJECTED, error)
    assert fake_binance.count("/api/v3/order") == 0


def test_unknown_source_is_refused(alice, binance_broker, fake_binance, place):
    trade = place(alice, binance_broker, quantity=Decimal("0.01"), source="martien")

    assert (trade.status, trade.error) == (Trade.Status.REJECTED, "Origine d'ordre inconnue : « martien ».")


def test_stop_loss_and_take_profit_are_recorded_with_the_order(binance_broker, fake_binance, order):
    trade = order(binance_broker, quantity=Decimal("0.01"), stop_loss=Decimal("48000"), take_profit=Decimal("55000"))

    trade.refresh_from_db()
    assert trade.status == Trade.Status.FILLED
    assert (trade.stop_loss, trade.take_profit) == (Decimal("48000"), Decimal("55000"))


def test_a_market_order_with_a_price_is_refused(binance_broker, fake_binance, order):
    trade = order(binance_broker, quantity=Decimal("0.01"), price=Decimal("1"))

    assert trade.status == Trade.Status.REJECTED
    assert trade.error == "Un prix n'a de sens que pour un ordre limite : retirez-le ou passez un ordre limite."
    assert fake_binance.count("/api/v3/order") == 0
