"""Le grand livre pur : l'état d'un livre depuis ses seules exécutions, et la réduction des livres d'une base au
solde du compte. Propriété sur des entrelacements aléatoires d'achats et de ventes de plusieurs sources."""

from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from apps.orders import books
from apps.orders.ledger import Fill, Holding, book_from_fills, shrink_plan


def test_a_book_from_its_fills_with_fees_in_base_and_in_quote():
    state = book_from_fills(
        [
            Fill("buy", D("1"), D("100"), base_fee=D("0.001")),
            Fill("sell", D("0.5"), D("120"), quote_fee=D("0.06")),
        ]
    )
    assert (state.bought, state.sold, state.quantity) == (D("0.999"), D("0.5"), D("0.499"))
    assert (state.entry_price, state.entry_cost, state.exit_price) == (D("100"), D("100"), D("120"))
    assert state.proceeds == D("59.94")
    assert state.realized_pnl == D("59.94") - D("100") * D("0.5") / D("0.999")


def test_a_sale_beyond_the_book_counts_only_for_its_share_and_external_base_is_deducted():
    state = book_from_fills([Fill("buy", D("1"), D("100")), Fill("sell", D("2"), D("110"))])
    assert (state.sold, state.quantity, state.proceeds, state.realized_pnl) == (D("1"), D("0"), D("110"), D("10"))
    assert book_from_fills([Fill("buy", D("1"), D("100"))], external=D("0.3")).quantity == D("0.7")


def test_the_shrink_plan_takes_manual_first_then_webhooks_then_activations_newest_first():
    holdings = [
        Holding("act", (books.shrink_rank(books.activation(1)), 0), D("1")),
        Holding("hook", (books.shrink_rank(books.webhook("tv")), 0), D("1")),
        Holding("manual-old", (books.shrink_rank(books.MANUAL), -1), D("1")),
        Holding("manual-new", (books.shrink_rank(books.MANUAL), -2), D("0.5")),
    ]
    assert shrink_plan(holdings, D("1.7")) == {"manual-new": D("0.5"), "manual-old": D("1"), "hook": D("0.3")}
    assert shrink_plan(holdings, D("3.49"), tolerance=D("0.01")) == {}  # poussière


SOURCES = [books.MANUAL, books.webhook("tv"), books.activation(7)]
step = st.tuples(
    st.sampled_from(SOURCES),
    st.sampled_from(["buy", "sell", "sell_outside"]),
    st.decimals(min_value=D("0.001"), max_value=D("5"), places=3),
    st.decimals(min_value=D("1"), max_value=D("1000"), places=2),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(step, max_size=40))
def test_books_never_hold_more_than_the_account_and_each_pnl_comes_from_its_own_fills(steps):
    """Achats et ventes de trois sources (une vente au plus de ce que le compte détient), et des ventes faites
    hors d'Aristobot ; après la passe du réconciliateur (shrink_plan), la somme des livres ≤ le compte, et le P&L
    de chaque livre est celui de ses seules exécutions."""
    fills = {source: [] for source in SOURCES}
    account = D(0)
    external = dict.fromkeys(SOURCES, D(0))
    for source, kind, quantity, price in steps:
        if kind == "buy":
            fills[source].append(Fill("buy", quantity, price, quote_fee=quantity * price / 1000))
            account += quantity
            continue
        quantity = min(quantity, account)
        if quantity <= 0:
            continue
        account -= quantity
        if kind == "sell":
            fills[source].append(Fill("sell", quantity, price, quote_fee=quantity * price / 1000))
        held = {s: book_from_fills(fills[s], external[s]).quantity for s in SOURCES}
        rank = {s: (books.shrink_rank(s),) for s in SOURCES}
        for key, take in shrink_plan([Holding(s, rank[s], held[s]) for s in SOURCES], account).items():
            external[key] += take

    states = {s: book_from_fills(fills[s], external[s]) for s in SOURCES}
    assert sum(state.quantity for state in states.values()) <= account
    for source in SOURCES:
        alone = book_from_fills(fills[source])  # ses seules exécutions, sans les autres livres
        assert states[source].realized_pnl == alone.realized_pnl
        assert states[source].quantity <= alone.quantity
