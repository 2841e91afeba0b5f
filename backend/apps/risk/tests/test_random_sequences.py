"""Propriété : des suites aléatoires d'achats et de ventes de plusieurs sources (manuel, activation, webhook), à des
prix aléatoires, sur l'exchange paper. Aucun achat qui dépasserait une limite n'atteint l'exchange (compté à la
frontière : ses ordres paper), un achat qui n'en dépasse aucune passe, et aucune vente n'est jamais refusée."""

from datetime import timedelta
from decimal import Decimal
from itertools import count

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.brokers.models import Broker, PaperOrder
from apps.market_data.models import Candle
from apps.orders import books
from apps.orders.models import Position, Trade
from apps.risk.models import RiskLimits

pytestmark = pytest.mark.django_db(transaction=True)

SYMBOLS = ("BTC/USDT", "ETH/USDT")
BASE_PRICE = {"BTC/USDT": Decimal("50000"), "ETH/USDT": Decimal("2000")}
SOURCES = (("manual", books.MANUAL), ("strategy", books.activation(1)), ("webhook", books.webhook("tv")))
_names = count()

limits_st = st.fixed_dictionaries(
    {
        "max_exposure": st.sampled_from([None, Decimal("300"), Decimal("900")]),
        "max_symbol_exposure": st.sampled_from([None, Decimal("400")]),
        "max_open_positions": st.sampled_from([None, 1, 2]),
        "max_daily_loss": st.sampled_from([None, Decimal("3"), Decimal("15")]),
        "cooldown": st.booleans(),
    }
)
step_st = st.one_of(
    st.tuples(
        st.just("buy"),
        st.integers(0, 2),
        st.sampled_from(SYMBOLS),
        st.sampled_from(["50", "120", "250", "500"]),  # montant en USDT
    ),
    st.tuples(st.just("sell"), st.integers(0, 2), st.sampled_from(SYMBOLS), st.just("")),
    st.tuples(
        st.just("price"), st.integers(0, 2), st.sampled_from(SYMBOLS), st.sampled_from(["0.9", "0.97", "1", "1.05"])
    ),
)


def set_price(symbol: str, price: Decimal) -> None:
    open_time = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=1)
    Candle.objects.update_or_create(
        exchange="binance",
        symbol=symbol,
        timeframe="1m",
        open_time=open_time,
        defaults={
            "close_time": open_time + timedelta(seconds=59.999),
            **dict.fromkeys(("open", "high", "low", "close"), price),
            "volume": Decimal(1),
        },
    )


def expected_refusal(broker: Broker, limits: RiskLimits, symbol: str, book: str, value: Decimal, prices) -> bool:
    """L'oracle du test, écrit à part : cet achat dépasserait-il une limite ?"""
    live = list(Position.objects.filter(broker=broker, status__in=Position.LIVE_STATUSES))
    exposure = {s: sum((p.quantity * prices[s] for p in live if p.symbol == s), Decimal(0)) for s in SYMBOLS}
    closed = list(Position.objects.filter(broker=broker, status="closed").order_by("-closed_at", "-id"))
    open_pnl = sum(
        (p.realized_pnl + p.quantity * prices[p.symbol] - p.entry_cost * p.quantity / p.bought_quantity for p in live),
        Decimal(0),
    )
    loss = -(sum((p.realized_pnl for p in closed), Decimal(0)) + open_pnl)
    books_open = {(p.symbol, p.book) for p in live}
    return any(
        [
            limits.max_exposure is not None and sum(exposure.values()) + value > limits.max_exposure,
            limits.max_symbol_exposure is not None and exposure[symbol] + value > limits.max_symbol_exposure,
            limits.max_open_positions is not None
            and (symbol, book) not in books_open
            and len(books_open) + 1 > limits.max_open_positions,
            limits.max_daily_loss is not None and loss >= limits.max_daily_loss,
            limits.cooldown_losses is not None and len(closed) >= 2 and all(p.realized_pnl < 0 for p in closed[:2]),
        ]
    )


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(config=limits_st, steps=st.lists(step_st, min_size=3, max_size=9))
def test_no_breaching_entry_reaches_the_exchange_and_no_exit_is_refused(alice, exchange_door, place, config, steps):
    broker = Broker.objects.create(user=alice, name=f"Propriété {next(_names)}", exchange="paper")
    cooldown = config.pop("cooldown")
    limits = RiskLimits.objects.create(
        user=alice,
        broker=broker,
        cooldown_losses=2 if cooldown else None,
        cooldown_minutes=60 if cooldown else None,
        **config,
    )
    prices = dict(BASE_PRICE)
    for symbol in SYMBOLS:
        set_price(symbol, prices[symbol])
    allowed_buys = 0
    for action, source_index, symbol, figure in steps:
        source, book = SOURCES[source_index]
        if action == "price":
            prices[symbol] = BASE_PRICE[symbol] * Decimal(figure)
            set_price(symbol, prices[symbol])
        elif action == "buy":
            quantity = (Decimal(figure) / prices[symbol]).quantize(Decimal("0.0001"))
            breach = expected_refusal(broker, limits, symbol, book, quantity * prices[symbol], prices)
            sent_before = PaperOrder.objects.filter(broker=broker, side="buy").count()
            trade = place(alice, broker, symbol=symbol, quantity=quantity, source=source, book=book)
            sent = PaperOrder.objects.filter(broker=broker, side="buy").count() - sent_before
            if breach:
                assert (trade.status, sent) == (Trade.Status.REJECTED, 0), trade.error
                assert trade.error.startswith("Entrée refusée par les limites de risque.")
            else:
                assert (trade.status, sent) == (Trade.Status.FILLED, 1), trade.error
                allowed_buys += 1
        else:
            position = Position.objects.filter(broker=broker, symbol=symbol, book=book, status="open").first()
            if position is None:
                continue
            trade = place(alice, broker, "sell", symbol=symbol, quantity=position.quantity, source=source, book=book)
            assert trade.status == Trade.Status.FILLED, trade.error
    assert Trade.objects.filter(broker=broker, side="buy").exclude(status="rejected").count() == allowed_buys
