"""Les règles des limites : ce qui est atteint sur un broker, et ce qu'une entrée dépasserait.

Un message nomme la limite et ses chiffres. Une limite « atteinte » (perte du jour, baisse, pause, exposition ou
nombre de positions au plafond) refuse toute entrée ; l'exposition et le nombre de positions refusent aussi
l'entrée qui les ferait dépasser."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from apps.brokers.models import Broker
from apps.core.french_numbers import french_number
from apps.orders import books
from apps.risk import figures
from apps.risk.models import Limit, RiskLimits

ZERO = Decimal(0)
HUNDRED = Decimal(100)
PRICED = ("max_daily_loss", "max_daily_loss_pct", "max_exposure", "max_symbol_exposure")


@dataclass(frozen=True)
class Entry:
    """L'achat à contrôler : sa paire, son livre et sa valeur estimée en devise de cotation."""

    symbol: str
    book: str
    quantity: Decimal
    price: Decimal | None  # prix limite ; None : dernier prix


@dataclass(frozen=True)
class Breach:
    limit: str
    message: str
    figures: dict
    scope: str = ""
    until: datetime | None = None


@dataclass(frozen=True)
class Assessment:
    reached: list[Breach]  # limites atteintes sur le broker
    refused: list[Breach]  # ce qui refuse l'entrée (vide sans entrée ou si elle passe)


def cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def amount(value: Decimal) -> str:
    """Chiffre d'une atteinte (API, texte décimal à point) arrondi au centime."""
    return format(cents(value), "f")


def plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def say(value: Decimal) -> str:
    """Dans un message : à la française, au centime (« 1 099,5 »)."""
    return french_number(cents(value))


def say_exact(value: Decimal) -> str:
    """Une limite saisie, dans un message : à la française, telle quelle."""
    return french_number(value)


def moment(value: datetime, user) -> str:
    return value.astimezone(figures.zone_of(user)).strftime("%Y-%m-%d %H:%M")


def _loss(limits: RiskLimits, broker: Broker, held: figures.Holdings, now: datetime) -> list[Breach]:
    if limits.max_daily_loss is None and limits.max_daily_loss_pct is None:
        return []
    user = broker.user
    start, tomorrow = figures.day_bounds(user, now)
    loss = -(figures.realized_since(broker, start) + held.open_pnl())
    found = []
    since = f"depuis {moment(start, user)}, fuseau {figures.zone_of(user).key}"
    numbers = {"loss": amount(loss), "day_start": start.isoformat()}
    if limits.max_daily_loss is not None and loss >= limits.max_daily_loss:
        message = (
            f"Limite atteinte : perte maximale du jour de {say(limits.max_daily_loss)} (perte du jour, réalisée "
            f"et latente : {say(loss)} {since}). Nouvelles entrées refusées jusqu'à {moment(tomorrow, user)}."
        )
        found.append(Breach(Limit.DAILY_LOSS, message, {**numbers, "max": plain(limits.max_daily_loss)}, "", tomorrow))
    start_value = figures.value_at(broker, start) if limits.max_daily_loss_pct is not None else None
    if start_value and start_value > 0:
        share = loss / start_value * HUNDRED
        if share >= limits.max_daily_loss_pct:
            message = (
                f"Limite atteinte : perte maximale du jour de {say_exact(limits.max_daily_loss_pct)} % "
                f"(perte du jour : {say(loss)}, soit {say(share)} % des {say(start_value)} USD du début de journée, "
                f"{since}). "
                f"Nouvelles entrées refusées jusqu'à {moment(tomorrow, user)}."
            )
            extra = {
                "max": plain(limits.max_daily_loss_pct),
                "percent": amount(share),
                "start_value": plain(start_value),
            }
            found.append(Breach(Limit.DAILY_LOSS_PCT, message, {**numbers, **extra}, "", tomorrow))
    return found


def _drawdown(limits: RiskLimits, broker: Broker) -> list[Breach]:
    values = figures.peak_and_current(broker) if limits.max_drawdown_pct is not None else None
    if not values or values[0] <= 0:
        return []
    peak, current = values
    fall = (peak - current) / peak * HUNDRED
    if fall < limits.max_drawdown_pct:
        return []
    message = (
        f"Limite atteinte : baisse maximale de {say_exact(limits.max_drawdown_pct)} % depuis le sommet du compte "
        f"(sommet {say(peak)} USD, valeur {say(current)} USD : baisse de {say(fall)} %)."
    )
    numbers = {
        "max": plain(limits.max_drawdown_pct),
        "peak": plain(peak),
        "value": plain(current),
        "fall": amount(fall),
    }
    return [Breach(Limit.DRAWDOWN, message, numbers)]


def _cooldown_for(limits: RiskLimits, broker: Broker, book: str | None, now: datetime) -> Breach | None:
    end = figures.losing_streak_end(broker, count=limits.cooldown_losses, book=book)
    if end is None:
        return None
    until = end + timedelta(minutes=limits.cooldown_minutes)
    if until <= now:
        return None
    who = "sur tout le compte" if book is None else f"pour {books.label(book)}"
    message = (
        f"Limite atteinte : pause de {limits.cooldown_minutes} min après {limits.cooldown_losses} positions "
        f"perdantes d'affilée {who}. Nouvelles entrées refusées jusqu'à {moment(until, broker.user)}."
    )
    numbers = {"losses": limits.cooldown_losses, "minutes": limits.cooldown_minutes, "until": until.isoformat()}
    return Breach(Limit.COOLDOWN, message, numbers, book or "", until)


def _cooldowns(limits: RiskLimits, broker: Broker, now: datetime) -> list[Breach]:
    if not (limits.cooldown_losses and limits.cooldown_minutes):
        return []
    if limits.cooldown_scope == RiskLimits.Scope.ACCOUNT:
        scopes = [None]
    else:
        scopes = figures.recent_books(broker, now - timedelta(minutes=limits.cooldown_minutes))
    return [breach for book in scopes if (breach := _cooldown_for(limits, broker, book, now))]


def _entry_cooldown(limits: RiskLimits, broker: Broker, entry: Entry, now: datetime) -> list[Breach]:
    if not (limits.cooldown_losses and limits.cooldown_minutes):
        return []
    book = None if limits.cooldown_scope == RiskLimits.Scope.ACCOUNT else entry.book
    breach = _cooldown_for(limits, broker, book, now)
    return [breach] if breach else []


def _exposure_text(limit: Decimal, held: Decimal, adding: Decimal | None, where: str) -> str:
    if adding is None:
        return f"exposition maximale de {say(limit)}{where} (positions et achats ouverts : {say(held)})"
    return (
        f"exposition maximale de {say(limit)}{where} (déjà {say(held)}, cet achat {say(adding)} : {say(held + adding)})"
    )


def _exposure(limits: RiskLimits, held: figures.Holdings, entry: Entry | None, value: Decimal | None):
    """(atteintes, refus de l'entrée) pour l'exposition totale et par paire."""
    reached, refused = [], []
    by_symbol = held.exposure_by_symbol()
    total = sum(by_symbol.values(), ZERO)
    if limits.max_exposure is not None:
        cap = limits.max_exposure
        numbers = {"max": plain(cap), "exposure": amount(total)}
        if total >= cap:
            reached.append(
                Breach(Limit.EXPOSURE, f"Limite atteinte : {_exposure_text(cap, total, None, '')}.", numbers)
            )
        if entry is not None and total + value > cap:
            text = f"Limite dépassée par cet achat : {_exposure_text(cap, total, value, '')}."
            refused.append(Breach(Limit.EXPOSURE, text, {**numbers, "order": amount(value)}))
    if limits.max_symbol_exposure is not None:
        cap = limits.max_symbol_exposure
        for symbol, exposure in sorted(by_symbol.items()):
            if exposure >= cap:
                text = f"Limite atteinte : {_exposure_text(cap, exposure, None, f' sur {symbol}')}."
                reached.append(
                    Breach(Limit.SYMBOL_EXPOSURE, text, {"max": plain(cap), "exposure": amount(exposure)}, symbol)
                )
        if entry is not None:
            exposure = by_symbol.get(entry.symbol, ZERO)
            if exposure + value > cap:
                text = (
                    f"Limite dépassée par cet achat : {_exposure_text(cap, exposure, value, f' sur {entry.symbol}')}."
                )
                numbers = {"max": plain(cap), "exposure": amount(exposure), "order": amount(value)}
                refused.append(Breach(Limit.SYMBOL_EXPOSURE, text, numbers, entry.symbol))
    return reached, refused


def _open_positions(limits: RiskLimits, held: figures.Holdings, entry: Entry | None):
    if limits.max_open_positions is None:
        return [], []
    cap, count = limits.max_open_positions, len(held.open_books())
    numbers = {"max": cap, "open": count}
    reached = []
    if count >= cap:
        reached.append(
            Breach(
                Limit.OPEN_POSITIONS,
                f"Limite atteinte : {cap} positions ouvertes au plus (ouvertes : {count}).",
                numbers,
            )
        )
    if entry is None or (entry.symbol, entry.book) in held.open_books() or count + 1 <= cap:
        return reached, []
    text = (
        f"Limite atteinte : {cap} positions ouvertes au plus (ouvertes : {count}) : cet achat en ouvrirait une de plus."
    )
    return reached, [Breach(Limit.OPEN_POSITIONS, text, numbers)]


def assess(limits: RiskLimits | None, broker: Broker, now: datetime, entry: Entry | None = None) -> Assessment:
    if limits is None:
        return Assessment([], [])
    priced = any(getattr(limits, name) is not None for name in PRICED)
    held = figures.holdings(broker, with_prices=priced, extra_symbol=entry.symbol if entry else None)
    value, unpriced = None, []
    if entry is not None:
        price = entry.price or held.prices.get(entry.symbol)
        value = entry.quantity * (price or ZERO)
        if not price and (limits.max_exposure is not None or limits.max_symbol_exposure is not None):
            text = f"Exposition non vérifiable : aucun dernier prix connu pour {entry.symbol}."
            unpriced = [Breach(Limit.EXPOSURE, text, {"symbol": entry.symbol})]
    blocking = [*_loss(limits, broker, held, now), *_drawdown(limits, broker)]
    cooldowns = _cooldowns(limits, broker, now)
    exposure_reached, exposure_refused = _exposure(limits, held, entry, value)
    count_reached, count_refused = _open_positions(limits, held, entry)
    refused = []
    if entry is not None:
        refused = [
            *blocking,
            *_entry_cooldown(limits, broker, entry, now),
            *unpriced,
            *exposure_refused,
            *count_refused,
        ]
    return Assessment([*blocking, *cooldowns, *exposure_reached, *count_reached], refused)
