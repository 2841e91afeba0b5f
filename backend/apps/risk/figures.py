"""Les chiffres que les limites comparent, lus en base (positions, ordres ouverts, instantanés de solde) et aux
derniers prix de l'exchange (par sa porte). Montants en devise de cotation ; valeur du compte en USD (instantanés)."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from apps.brokers.models import Broker
from apps.core.services.ccxt_manager import ccxt_manager
from apps.orders.models import Position, Trade
from apps.stats.models import BalanceSnapshot

ZERO = Decimal(0)


def zone_of(user) -> ZoneInfo:
    return ZoneInfo(user.display_timezone or "UTC")


def day_bounds(user, now: datetime) -> tuple[datetime, datetime]:
    """Début du jour et du suivant (minuit dans le fuseau de l'utilisateur), en UTC."""
    zone = zone_of(user)
    today = now.astimezone(zone).date()
    start = datetime.combine(today, time(0), tzinfo=zone)
    return start, datetime.combine(today + timedelta(days=1), time(0), tzinfo=zone)


@dataclass
class Holdings:
    """Les positions vivantes du broker et ses achats encore ouverts (non exécutés) : ce qui est engagé."""

    positions: list[Position]
    open_buys: list[Trade]
    prices: dict[str, Decimal | None] = field(default_factory=dict)

    def price(self, symbol: str, fallback: Decimal | None) -> Decimal:
        return self.prices.get(symbol) or fallback or ZERO

    def exposure_by_symbol(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = {}
        for position in self.positions:
            value = position.quantity * self.price(position.symbol, position.entry_price)
            totals[position.symbol] = totals.get(position.symbol, ZERO) + value
        for trade in self.open_buys:
            rest = max((trade.quantity or ZERO) - trade.filled_quantity, ZERO)
            totals[trade.symbol] = totals.get(trade.symbol, ZERO) + rest * (trade.price or ZERO)
        return totals

    def open_books(self) -> set[tuple[str, str]]:
        """(paire, livre) des positions ouvertes, et des achats ouverts qui en ouvriront une."""
        return {(p.symbol, p.book) for p in self.positions} | {(t.symbol, t.book) for t in self.open_buys}

    def open_pnl(self) -> Decimal:
        """P&L des positions vivantes : réalisé (ventes partielles) et latent au dernier prix."""
        total = ZERO
        for position in self.positions:
            held_cost = (
                position.entry_cost * (position.bought_quantity - position.sold_quantity) / position.bought_quantity
                if position.bought_quantity
                else ZERO
            )
            price = self.price(position.symbol, position.entry_price)
            total += position.realized_pnl + position.quantity * price - held_cost
        return total


def holdings(broker: Broker, *, with_prices: bool, extra_symbol: str | None = None) -> Holdings:
    positions = list(Position.objects.filter(broker=broker, status__in=Position.LIVE_STATUSES))
    open_buys = list(
        Trade.objects.filter(broker=broker, side=Trade.Side.BUY, status__in=Trade.OPEN_STATUSES, role=Trade.Role.ORDER)
    )
    found = Holdings(positions=positions, open_buys=open_buys)
    if with_prices:
        symbols = {p.symbol for p in positions} | ({extra_symbol} if extra_symbol else set())
        if symbols:
            found.prices = ccxt_manager.sync.last_prices(broker, sorted(symbols))
    return found


def realized_since(broker: Broker, since: datetime) -> Decimal:
    """P&L réalisé des positions clôturées depuis `since`."""
    closed = Position.objects.filter(broker=broker, status=Position.Status.CLOSED, closed_at__gte=since)
    return sum((p.realized_pnl for p in closed), ZERO)


def value_at(broker: Broker, moment: datetime) -> Decimal | None:
    """Valeur du compte à `moment` : le dernier instantané d'avant, sinon le premier d'après ; None sans instantané."""
    snapshots = BalanceSnapshot.objects.filter(broker=broker)
    before = snapshots.filter(taken_at__lte=moment).order_by("-taken_at").first()
    snapshot = before or snapshots.filter(taken_at__gt=moment).order_by("taken_at").first()
    return snapshot.total_usd if snapshot else None


def peak_and_current(broker: Broker) -> tuple[Decimal, Decimal] | None:
    """Sommet de la valeur du compte et sa dernière valeur, d'après les instantanés ; None sans instantané."""
    snapshots = BalanceSnapshot.objects.filter(broker=broker)
    latest = snapshots.order_by("-taken_at", "-id").first()
    if latest is None:
        return None
    peak = snapshots.order_by("-total_usd").values_list("total_usd", flat=True).first()
    return peak, latest.total_usd


def losing_streak_end(broker: Broker, *, count: int, book: str | None) -> datetime | None:
    """Clôture de la dernière position si les `count` dernières clôturées (du livre, ou du compte) ont toutes perdu."""
    closed = Position.objects.filter(broker=broker, status=Position.Status.CLOSED, closed_at__isnull=False)
    if book is not None:
        closed = closed.filter(book=book)
    last = list(closed.order_by("-closed_at", "-id").values_list("realized_pnl", "closed_at")[:count])
    if len(last) < count or any(pnl >= 0 for pnl, _ in last):
        return None
    return last[0][1]


def recent_books(broker: Broker, since: datetime) -> list[str]:
    """Livres dont une position a été clôturée depuis `since` (la pause par source ne peut viser qu'eux)."""
    closed = Position.objects.filter(broker=broker, status=Position.Status.CLOSED, closed_at__gte=since)
    return sorted(set(closed.values_list("book", flat=True)))
