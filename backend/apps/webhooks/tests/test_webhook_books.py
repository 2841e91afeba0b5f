"""Une source de webhook tient son livre (issue 22) : sur la même paire qu'une position manuelle et qu'une autre
source, son achat ouvre sa propre position, son `close` ne vend que la sienne, Statistiques les sépare."""

from decimal import Decimal

import pytest

from apps.orders import books
from apps.orders.models import Position, Trade

pytestmark = pytest.mark.django_db(transaction=True)


def live(book: str) -> Position:
    return Position.objects.get(book=book, status__in=Position.LIVE_STATUSES)


def test_each_webhook_source_and_the_manual_book_hold_their_own_position(
    alice, alice_api, alice_token, paper_for, deliver, drain, place
):
    broker = paper_for(alice)
    place(alice, broker, quantity=Decimal("0.1"), stop_loss=Decimal("45000"))
    for comment, quantity in (("tv-btc", "0.02"), ("autre", "0.03")):
        deliver(
            alice_token,
            {"action": "buy", "symbol": "BTCUSDT", "quantity": quantity, "stop_loss": "44000", "comment": comment},
        )
    drain()

    manual, tv, other = live(books.MANUAL), live(books.webhook("tv-btc")), live(books.webhook("autre"))
    assert [p.quantity for p in (manual, tv, other)] == [Decimal("0.0999"), Decimal("0.01998"), Decimal("0.02997")]
    assert {p.source for p in (tv, other)} == {"webhook"} and manual.source == "manual"
    stops = Trade.objects.filter(role="stop_loss", status="open")
    assert sorted((t.position_id, t.quantity) for t in stops) == sorted(
        [(manual.pk, Decimal("0.0999")), (tv.pk, Decimal("0.01998")), (other.pk, Decimal("0.02997"))]
    )

    deliver(alice_token, {"action": "close", "symbol": "BTCUSDT", "comment": "tv-btc"})
    drain()

    tv.refresh_from_db()
    manual.refresh_from_db()
    other.refresh_from_db()
    assert (tv.status, tv.exit_reason) == ("closed", "webhook")
    assert (manual.status, manual.quantity, other.status, other.quantity) == (
        "open",
        Decimal("0.0999"),
        "open",
        Decimal("0.02997"),
    )
    (sale,) = Trade.objects.filter(side="sell", role="", status="filled")
    assert (sale.book, sale.filled_quantity) == (books.webhook("tv-btc"), Decimal("0.01998"))
    assert Trade.objects.filter(position=manual, role="stop_loss", status="open").get().quantity == Decimal("0.0999")

    summary = alice_api.get("/api/stats/summary/").json()
    assert [(row["source"], row["total_trades"]) for row in summary["source"]] == [("webhook", 1)]
    (row,) = alice_api.get("/api/stats/webhooks/").json()
    assert (row["label"], row["realized_pnl"]) == ("tv-btc", format(tv.realized_pnl.normalize(), "f"))
