"""Activer, modifier, suspendre, reprendre, arrêter une stratégie en direct ; « Vendre » sa position."""

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.brokers.models import Broker
from apps.brokers.services import testnet_mode_allows
from apps.core.exceptions import Conflict, ExchangeError, NotFound
from apps.core.french_numbers import french_number
from apps.core.scoping import owned
from apps.core.services.ccxt_manager import ccxt_manager
from apps.core.symbols import unified_symbol
from apps.heartbeat.config import followable_symbol
from apps.heartbeat.followers import symbols_changed
from apps.orders.models import Trade
from apps.orders.services import cancel_trade, refresh_trade
from apps.strategies.models import Strategy
from apps.strategies.services.versions import tested_version
from apps.trading_engine.locks import activation_lock
from apps.trading_engine.models import STOPPED_DATE, ActiveStrategy
from apps.trading_engine.services import holdings
from apps.trading_engine.services.announce import announce_on_commit
from apps.trading_engine.services.selling import sell_position

State = ActiveStrategy.State


def _owned(queryset, user, pk, label: str):
    try:
        found = owned(queryset, user).filter(pk=int(pk)).first()
    except (TypeError, ValueError, OverflowError):
        found = None
    if found is None:
        raise NotFound(f"{label} inconnu(e) : {pk}.")
    return found


def owned_activation(*, user, activation_id) -> ActiveStrategy:
    activations = ActiveStrategy.objects.select_related("strategy", "version", "broker", "user")
    return _owned(activations, user, activation_id, "Activation")


def free_quote(*, broker: Broker, symbol: str) -> Decimal:
    """Solde libre de la devise de cotation de la paire sur le broker (lève ExchangeError)."""
    balance = ccxt_manager.sync.balances(broker).get(symbol.split("/")[1])
    return balance.free if balance else Decimal(0)


def check_amount(*, broker: Broker, symbol: str, amount: Decimal) -> None:
    if amount <= 0:
        raise ValidationError("Le montant doit être positif.")
    free = free_quote(broker=broker, symbol=symbol)
    if amount > free:
        quote = symbol.split("/")[1]
        raise ValidationError(
            f"Montant {french_number(amount)} {quote} supérieur au solde libre du broker "
            f"({french_number(free)} {quote})."
        )


def _check_dates(start: datetime, end: datetime) -> None:
    if end <= start:
        raise ValidationError("La date de fin doit suivre la date de début.")
    if end <= timezone.now():
        raise ValidationError("La date de fin est passée : la stratégie ne tournerait jamais.")


def _symbol(broker: Broker, symbol: str) -> str:
    if broker.is_paper:  # le paper cote les paires que suit le heartbeat
        return followable_symbol(unified_symbol(symbol) or symbol)
    return ccxt_manager.sync.market(broker, symbol).symbol


def activation_create(
    *,
    user,
    strategy_id,
    broker_id,
    symbol: str,
    timeframe: str | None,
    start_date: datetime,
    end_date: datetime,
    initial_amount: Decimal,
) -> ActiveStrategy:
    """Lance une stratégie valide de l'utilisateur sur un de ses brokers ; NotFound, ValidationError, Conflict."""
    strategy = _owned(Strategy.objects, user, strategy_id, "Stratégie")
    broker = _owned(Broker.objects.select_related("user"), user, broker_id, "Broker")
    if not strategy.is_valid:
        raise ValidationError(f"La stratégie « {strategy.name} » n'est pas valide : testez-la avant de l'activer.")
    version = tested_version(strategy=strategy)
    if not testnet_mode_allows(user=user, broker=broker):
        raise ValidationError(
            f"Mode Testnet actif : le broker « {broker.name} » est en production, activation refusée."
        )
    timeframe = timeframe or strategy.timeframe
    if timeframe not in Strategy.Timeframe.values:
        raise ValidationError(f"Unité de temps inconnue : {timeframe}.")
    _check_dates(start_date, end_date)
    symbol = _symbol(broker, symbol)
    check_amount(broker=broker, symbol=symbol, amount=initial_amount)
    activation = ActiveStrategy(
        user=user,
        strategy=strategy,
        version=version,
        broker=broker,
        symbol=symbol,
        timeframe=timeframe,
        start_date=start_date,
        end_date=end_date,
        initial_amount=initial_amount,
        current_balance=initial_amount,
    )
    try:
        with transaction.atomic():
            activation.save()
            transaction.on_commit(symbols_changed)
            announce_on_commit(activation)
    except IntegrityError:
        raise Conflict(
            f"Une stratégie est déjà active sur {symbol} pour le broker « {broker.name} » : arrêtez-la d'abord."
        ) from None
    if broker.is_paper:
        ccxt_manager.sync.markets(broker, reload=True)
    return activation


def _refuse_if_stopped(activation: ActiveStrategy, action: str) -> None:
    if activation.state == State.STOPPED:
        raise Conflict(f"Cette activation est arrêtée : impossible de {action}. Créez-en une nouvelle.")


@transaction.atomic
def activation_update(
    *, activation: ActiveStrategy, end_date: datetime | None = None, initial_amount: Decimal | None = None
) -> ActiveStrategy:
    _refuse_if_stopped(activation, "la modifier")
    if end_date is not None:
        _check_dates(activation.start_date, end_date)
        activation.end_date = end_date
    if initial_amount is not None:
        check_amount(broker=activation.broker, symbol=activation.symbol, amount=initial_amount)
        activation.initial_amount = initial_amount
        activation.current_balance = holdings.balance(activation)
    activation.save()
    announce_on_commit(activation)
    return activation


def activation_switch_version(*, activation: ActiveStrategy) -> ActiveStrategy:
    """Passe l'activation à la version actuelle de sa stratégie, si elle a passé « Tester » (ValidationError sinon) ;
    sous le verrou de l'activation : la décision en cours finit avec l'ancienne version, la suivante prend la
    nouvelle."""
    with activation_lock(activation.pk):
        activation.refresh_from_db()
        _refuse_if_stopped(activation, "changer sa version")
        version = tested_version(strategy=activation.strategy)
        if version.pk == activation.version_id:
            raise Conflict("Cette activation tourne déjà avec la dernière version de sa stratégie.")
        with transaction.atomic():
            activation.version = version
            activation.save(update_fields=["version", "updated_at"])
            announce_on_commit(activation)
    return activation


def activation_suspend(*, activation: ActiveStrategy) -> ActiveStrategy:
    """« Suspendre » : ses achats en cours annulés d'abord, sous le verrou de l'activation (le moteur n'ordonne pas
    pendant ce temps), puis l'état ; la position ouverte garde sa protection."""
    with activation_lock(activation.pk):
        activation.refresh_from_db()
        _refuse_if_stopped(activation, "la suspendre")
        if activation.state == State.SUSPENDED:
            raise Conflict("Cette stratégie est déjà suspendue.")
        notes = cancel_entries(activation)
        with transaction.atomic():
            activation.state = State.SUSPENDED
            activation.save(update_fields=["state", "updated_at"])
            _tell(activation, notes)
            announce_on_commit(activation)
    return activation


def cancel_entries(activation: ActiveStrategy) -> list[str]:
    """Annule ses achats en cours (verrou de l'activation tenu) ; rend un message par achat exécuté entre-temps (la
    position existe). Un achat à l'issue incertaine est d'abord retrouvé chez l'exchange ; encore inconnu : Conflict
    (rien n'est changé, l'utilisateur réessaie)."""
    notes = []
    for trade in holdings.entries_in_flight(activation):
        try:
            if trade.status == Trade.Status.PENDING:
                trade = refresh_trade(trade.pk)
            if trade.status == Trade.Status.PENDING:
                raise Conflict(
                    "Un achat de cette stratégie a une issue encore inconnue chez l'exchange : "
                    "réessayez dans un instant."
                )
            if trade.is_open:
                trade = cancel_trade(trade.pk)
        except ValidationError:  # plus ouvert : exécuté ou annulé entre-temps
            trade = Trade.objects.get(pk=trade.pk)
        except ExchangeError as error:
            raise Conflict(f"Annulation de l'achat en cours impossible : {error.message}") from None
        if trade.executed:
            base = activation.symbol.split("/")[0]
            notes.append(
                f"L'achat de {french_number(trade.filled_quantity)} {base} s'est exécuté avant son annulation : "
                "la position est ouverte."
            )
    return notes


def _tell(activation: ActiveStrategy, notes: list[str]) -> None:
    """Ce que l'annulation n'a pas pu empêcher, montré sur la carte (dernière décision)."""
    if notes:
        activation.last_decision, activation.last_decision_at = " ".join(notes), timezone.now()
        activation.save(update_fields=["last_decision", "last_decision_at", "updated_at"])


@transaction.atomic
def activation_resume(*, activation: ActiveStrategy) -> ActiveStrategy:
    """Reprend une stratégie suspendue ou en erreur ; une activation arrêtée ne reprend pas."""
    _refuse_if_stopped(activation, "la reprendre")
    if activation.state == State.RUNNING:
        raise Conflict("Cette stratégie tourne déjà.")
    activation.state, activation.error_count, activation.last_error = State.RUNNING, 0, ""
    activation.save(update_fields=["state", "error_count", "last_error", "updated_at"])
    announce_on_commit(activation)
    return activation


def activation_sell(*, activation: ActiveStrategy) -> ActiveStrategy:
    """« Vendre » : la position ouverte au marché, tout de suite ; la stratégie continue."""
    _refuse_if_stopped(activation, "vendre")
    held = holdings.live_position(activation)
    if held is None:
        raise Conflict("Aucune position ouverte : rien à vendre.")
    if held.status != held.Status.OPEN:
        raise Conflict(f"Position {held.get_status_display()} : un ordre est en cours, réessayez dans un instant.")
    sell_position(activation=activation, position=held)
    announce_on_commit(activation)
    return refresh_balance(activation=activation)


def activation_stop(*, activation: ActiveStrategy, sell: bool | None = None) -> ActiveStrategy:
    """« Stop » : ses achats en cours annulés d'abord (sous le verrou de l'activation), puis dates au 01.01.01 00:00,
    is_active faux. Avec une position (ou un achat en cours), il faut choisir : `sell` vrai la vend (protection
    retirée avant la vente), faux la laisse ouverte et protégée ; absent, Conflict avec ce qui est en cours."""
    with activation_lock(activation.pk):  # le moteur n'ordonne pas pendant l'arrêt
        activation.refresh_from_db()
        return _stop(activation, sell=sell)


def _stop(activation: ActiveStrategy, *, sell: bool | None) -> ActiveStrategy:
    _refuse_if_stopped(activation, "l'arrêter")
    held = holdings.live_position(activation)
    if held is not None and sell is None:
        in_flight = holdings.in_flight_text(activation)
        if in_flight:
            raise Conflict(
                f"{in_flight[0].upper()}{in_flight[1:]} : il sera annulé avant l'arrêt ; confirmez en disant s'il "
                "faut vendre ce qui serait déjà exécuté."
            )
        raise Conflict(
            f"Un trade est en cours ({french_number(held.quantity)} {activation.symbol}) : "
            "vendez-le d'abord ou confirmez l'arrêt en le laissant ouvert."
        )
    notes = cancel_entries(activation)
    held = holdings.live_position(activation)  # un achat exécuté avant son annulation : la position existe
    if held is not None and sell:
        activation_sell(activation=activation)
        notes = []
    with transaction.atomic():
        activation.start_date = activation.end_date = STOPPED_DATE
        activation.is_active, activation.state = False, State.STOPPED
        activation.save(update_fields=["start_date", "end_date", "is_active", "state", "updated_at"])
        _tell(activation, notes)
        transaction.on_commit(symbols_changed)
        announce_on_commit(activation)
    return activation


def refresh_balance(
    *, activation: ActiveStrategy, announced: bool = True, realized: Decimal | None = None
) -> ActiveStrategy:
    """current_balance = montant initial + P&L réalisé de ses positions (`realized` s'il est déjà lu) ; annoncé
    s'il change (et `announced`)."""
    balance = holdings.balance(activation, realized)
    if balance != activation.current_balance:
        activation.current_balance = balance
        activation.save(update_fields=["current_balance", "updated_at"])
        if announced:
            announce_on_commit(activation)
    return activation


def active_symbols() -> list[str]:
    """Les paires des activations en cours, pour le heartbeat."""
    return list(
        ActiveStrategy.objects.filter(is_active=True).order_by("symbol").values_list("symbol", flat=True).distinct()
    )


def running_now():
    """Les activations qui décident maintenant : en marche et dans leur fenêtre de dates."""
    now = timezone.now()
    return ActiveStrategy.objects.filter(is_active=True, state=State.RUNNING, start_date__lte=now, end_date__gte=now)


def any_running(user_id: int) -> bool:
    return running_now().filter(user_id=user_id).exists()
