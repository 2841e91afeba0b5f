"""Ce que détient une activation : ses positions (apps.orders, `active_strategy_id`), l'ouverte et les closes."""

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, Subquery, Sum

from apps.core.french_numbers import french_number
from apps.orders.models import Position, Trade
from apps.trading_engine.models import MONEY, ActiveStrategy

SELL_MARK = "-vendre-"
BALANCE_STEP = Decimal(1).scaleb(-MONEY["decimal_places"])
LIVE_TRADE = (Trade.Status.PENDING, *Trade.OPEN_STATUSES)


def client_order_id(activation_id: int, candle_ms: int) -> str:
    """L'identifiant de l'ordre décidé sur une bougie : une vague rejouée ou un redémarrage n'en passe pas un second."""
    return f"strategy-{activation_id}-{candle_ms}"


def sell_order_id(activation_id: int, now_ms: int) -> str:
    return f"strategy-{activation_id}{SELL_MARK}{now_ms}"


def activation_positions(activation: ActiveStrategy):
    return Position.objects.filter(user_id=activation.user_id, active_strategy_id=activation.pk)


def live_position(activation: ActiveStrategy) -> Position | None:
    """La position en cours de l'activation (en ouverture, ouverte ou en clôture), ou None."""
    return (
        activation_positions(activation)
        .filter(status__in=Position.LIVE_STATUSES)
        .select_related("broker", "user")
        .first()
    )


def closed_positions(activation: ActiveStrategy):
    return activation_positions(activation).filter(status=Position.Status.CLOSED).order_by("-closed_at", "-id")


def balance(activation: ActiveStrategy, realized: Decimal | None = None) -> Decimal:
    """Son solde : montant initial + P&L réalisé de ses positions closes (`realized` s'il est déjà lu), arrondi vers
    le bas au pas de `current_balance` (8 décimales) : tel qu'enregistré, jamais plus que le vrai."""
    realized = realized_pnl(activation) if realized is None else realized
    return (activation.initial_amount + realized).quantize(BALANCE_STEP, rounding=ROUND_FLOOR)


def realized_pnl(activation: ActiveStrategy) -> Decimal:
    return realized_pnls([activation]).get(activation.pk, Decimal(0))


def realized_pnls(activations) -> dict[int, Decimal]:
    """Le P&L réalisé de chaque activation (ses positions closes), en une requête ; absente : aucune close."""
    closed = Position.objects.filter(active_strategy_id__in=[a.pk for a in activations], status=Position.Status.CLOSED)
    totals = closed.order_by().values("active_strategy_id").annotate(total=Sum("realized_pnl"))
    return {row["active_strategy_id"]: row["total"] for row in totals}


@dataclass(frozen=True)
class EntryState:
    running: bool  # active et en marche
    held: str | None  # le statut de sa position en cours, ou None
    balance: Decimal  # son solde (`balance`)


def entry_state(activation: ActiveStrategy) -> EntryState:
    """Avant un achat, en une requête : l'activation est-elle en marche, détient-elle une position, quel est son
    solde (montant initial + P&L réalisé de ses positions closes)."""
    positions = Position.objects.filter(user_id=OuterRef("user_id"), active_strategy_id=OuterRef("pk"))
    closed = positions.filter(status=Position.Status.CLOSED).order_by().values("active_strategy_id")
    row = (
        ActiveStrategy.objects.filter(pk=activation.pk)
        .annotate(
            running=ExpressionWrapper(
                Q(is_active=True, state=ActiveStrategy.State.RUNNING), output_field=BooleanField()
            ),
            held=Subquery(positions.filter(status__in=Position.LIVE_STATUSES).values("status")[:1]),
            realized=Subquery(closed.annotate(total=Sum("realized_pnl")).values("total")),
        )
        .values("running", "held", "realized")
        .first()
    )
    if row is None:
        return EntryState(running=False, held=None, balance=Decimal(0))
    return EntryState(row["running"], row["held"], balance(activation, row["realized"] or Decimal(0)))


def live_positions(activations) -> dict[int, Position]:
    """La position en cours de chaque activation qui en a une, en une requête."""
    found = Position.objects.filter(
        active_strategy_id__in=[a.pk for a in activations], status__in=Position.LIVE_STATUSES
    ).select_related("broker", "user")
    return {position.active_strategy_id: position for position in found}


def live_trade_ids(positions) -> list[int]:
    """Les ordres encore en cours de ces positions (achat pas encore exécuté, jambes de protection sur paper) :
    relus avant chaque décision ; les jambes sur un exchange le sont chaque minute par le réconciliateur."""
    positions = list(positions)
    if not positions:
        return []
    paper = [p.pk for p in positions if p.broker.is_paper]
    exchange = [p.pk for p in positions if not p.broker.is_paper]
    trades = Trade.objects.filter(status__in=LIVE_TRADE).filter(
        Q(position_id__in=paper) | Q(position_id__in=exchange, role=Trade.Role.ORDER)
    )
    return list(trades.order_by("pk").values_list("pk", flat=True))


def entries_in_flight(activation: ActiveStrategy) -> list[Trade]:
    """Ses achats encore en cours (envoyés, pas exécutés en entier) : annulés par « Suspendre » et « Stop »."""
    return list(
        Trade.objects.filter(
            active_strategy_id=activation.pk, role=Trade.Role.ORDER, side=Trade.Side.BUY, status__in=LIVE_TRADE
        ).order_by("pk")
    )


def in_flight_text(activation: ActiveStrategy) -> str | None:
    """« un achat de 0,0026 BTC est en cours » (dialogue de « Stop »), ou None sans achat en cours."""
    entries = entries_in_flight(activation)
    if not entries:
        return None
    base = activation.symbol.split("/")[0]
    quantity = sum((trade.quantity or Decimal(0)) - trade.filled_quantity for trade in entries)
    return f"un achat de {french_number(quantity)} {base} est en cours"
