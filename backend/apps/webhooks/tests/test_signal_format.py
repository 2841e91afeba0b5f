"""Le format des signaux : ce qui est accepté, et la raison en français de chaque refus."""

import json
from decimal import Decimal

import pytest

from apps.webhooks.signal import InvalidSignal, Signal, parse_signal


def parse(**fields) -> Signal:
    return parse_signal(json.dumps(fields).encode())


@pytest.mark.parametrize(
    "symbol, expected",
    [
        ("BTCUSDT", "BTCUSDT"),
        ("BTC/USDT", "BTC/USDT"),
        ("BINANCE:BTCUSDT", "BTCUSDT"),
        (" btc/usdt ", "BTC/USDT"),
    ],
)
def test_the_three_symbol_spellings_are_accepted(symbol, expected):
    assert parse(action="buy", symbol=symbol, quantity="0.01").symbol == expected


def test_numbers_are_decimals_never_floats():
    signal = parse_signal(
        b'{"action": "buy", "symbol": "BTCUSDT", "quantity": 0.1, "order_type": "limit",'
        b' "price": 50000.10, "stop_loss": "48000", "take_profit": 55000}'
    )

    assert signal.quantity == Decimal("0.1") and isinstance(signal.quantity, Decimal)
    assert (signal.price, signal.stop_loss, signal.take_profit) == (
        Decimal("50000.10"),
        Decimal("48000"),
        Decimal("55000"),
    )
    assert Signal.from_json(signal.to_json()) == signal
    assert signal.to_json()["price"] == "50000.10"


def test_a_full_signal_keeps_every_field():
    signal = parse(
        action="SELL",
        symbol="ETHUSDT",
        broker="Binance principal",
        amount=100,
        order_type="Market",
        id=42,
        comment="sortie RSI",
    )

    assert (signal.action, signal.side, signal.order_type) == ("sell", "sell", "market")
    assert (signal.broker, signal.amount, signal.id, signal.comment) == (
        "Binance principal",
        Decimal(100),
        "42",
        "sortie RSI",
    )


def test_broker_may_be_an_id():
    assert parse(action="buy", symbol="BTCUSDT", percent=10, broker=7).broker == 7


def test_close_sells_the_whole_free_balance_by_default():
    signal = parse(action="close", symbol="BTCUSDT")

    assert (signal.side, signal.percent, signal.quantity) == ("sell", Decimal(100), None)


def test_close_may_give_a_part():
    assert parse(action="close", symbol="BTCUSDT", percent=50).percent == Decimal(50)


@pytest.mark.parametrize(
    "body, reason",
    [
        (b"", "Message vide : le signal doit être un objet JSON."),
        (b"acheter BTC", "Message non JSON : erreur de syntaxe ligne 1, colonne 1 (Expecting value)."),
        (
            b'{"action": "buy",}',
            "Message non JSON : erreur de syntaxe ligne 1, colonne 18 (Expecting property name enclosed in double "
            "quotes).",
        ),
        (b"\xff\xfe", "Message illisible : le corps n'est pas du texte UTF-8."),
        (b'["buy"]', 'Le signal doit être un objet JSON : {"action": …, "symbol": …}.'),
        (b'{"action": "buy", "symbol": "BTCUSDT", "quantity": NaN}', "Nombre invalide dans le message : NaN."),
        (b"[" * 100_000, "Message JSON trop imbriqué."),
    ],
)
def test_unreadable_bodies(body, reason):
    with pytest.raises(InvalidSignal) as refused:
        parse_signal(body)
    assert str(refused.value) == reason


@pytest.mark.parametrize(
    "fields, reason",
    [
        ({"symbol": "BTCUSDT", "quantity": 1}, "« action » manquante : buy, sell ou close."),
        (
            {"action": "hold", "symbol": "BTCUSDT", "quantity": 1},
            "Action inconnue : « hold » (attendu buy, sell ou close).",
        ),
        (
            {"action": "{{strategy.order.action}}", "symbol": "BTCUSDT", "quantity": 1},
            "« action » contient une variable TradingView non remplacée : {{strategy.order.action}}.",
        ),
        ({"action": "buy", "quantity": 1}, "« symbol » manquant (ex. BTCUSDT, BTC/USDT ou BINANCE:BTCUSDT)."),
        (
            {"action": "buy", "symbol": "BTC USDT", "quantity": 1},
            "Paire illisible : BTC USDT (ex. BTCUSDT, BTC/USDT ou BINANCE:BTCUSDT).",
        ),
        (
            {"action": "buy", "symbol": "BTCUSDT"},
            "Taille manquante : quantity (en base), amount (en cotation) ou percent (du solde).",
        ),
        (
            {"action": "buy", "symbol": "BTCUSDT", "quantity": 1, "amount": 100},
            "Une seule taille à la fois : quantity, amount reçus (quantity, amount ou percent).",
        ),
        (
            {"action": "buy", "symbol": "BTCUSDT", "quantity": -1},
            "« quantity » doit être un nombre positif (reçu : -1).",
        ),
        (
            {"action": "buy", "symbol": "BTCUSDT", "quantity": "0,01"},
            "« quantity » doit être un nombre positif (reçu : 0,01).",
        ),
        (
            {"action": "buy", "symbol": "BTCUSDT", "quantity": True},
            "« quantity » doit être un nombre positif (reçu : true).",
        ),
        (
            {"action": "buy", "symbol": "BTCUSDT", "percent": 150},
            "« percent » doit être compris entre 0 et 100 (reçu : 150).",
        ),
        (
            {"action": "buy", "symbol": "BTCUSDT", "quantity": 1, "order_type": "stop"},
            "Type d'ordre inconnu : « stop » (attendu market ou limit).",
        ),
        (
            {"action": "buy", "symbol": "BTCUSDT", "quantity": 1, "order_type": "limit"},
            "Un ordre limit demande « price ».",
        ),
        (
            {"action": "buy", "symbol": "BTCUSDT", "quantity": 1, "price": 50000},
            '« price » ne sert qu\'aux ordres limit : ajoutez "order_type": "limit" ou retirez-le.',
        ),
        (
            {"action": "buy", "symbol": "BTCUSDT", "quantity": 1, "qty": 2},
            "Champ inconnu : qty (champs acceptés : action, symbol, broker, quantity, amount, percent, order_type, "
            "price, "
            "stop_loss, take_profit, id, comment).",
        ),
        (
            {"action": "buy", "symbol": "BTCUSDT", "quantity": 1, "id": "x" * 101},
            "« id » trop long (101 caractères, 100 au plus).",
        ),
    ],
)
def test_invalid_signals_say_what_to_fix(fields, reason):
    with pytest.raises(InvalidSignal) as refused:
        parse(**fields)
    assert str(refused.value) == reason
