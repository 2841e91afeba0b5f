"""Ce que le moteur fait d'une décision : l'ordre (service d'ordres), puis l'état de l'activation et ses messages.

Fonctions synchrones, appelées par le cycle (`cycle.py`) dans les fils du moteur (`threads.py`), une activation
par fil. Chaque décision est notée (`Decision`, une par activation et bougie) : prise (`claim`) avant le runner,
finie (`_record`) avec son issue ; une décision prise mais pas finie (moteur tué, base perdue) est reprise.
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from apps.core.exceptions import Conflict, ExchangeError
from apps.core.french_numbers import french_number
from apps.core.services.ccxt_manager import ccxt_manager
from apps.orders.models import Position, Trade
from apps.orders.request import OrderRequest
from apps.orders.services import close_position, place_order, refresh_trade
from apps.trading_engine.funds import WaveFunds
from apps.trading_engine.locks import activation_lock
from apps.trading_engine.models import ActiveStrategy, Decision
from apps.trading_engine.sends import Ticket
from apps.trading_engine.services import holdings
from apps.trading_engine.services.activations import refresh_balance
from apps.trading_engine.services.announce import announce, announce_decision

logger = logging.getLogger("aristobot.engine")

ERRORS_BEFORE_STOP = 3
STOPPED_MEANWHILE = "Stratégie arrêtée ou suspendue entre-temps : aucun ordre."
State = ActiveStrategy.State


@dataclass(frozen=True)
class Context:
    """Ce que reçoit la stratégie : solde (cotation) et position ouverte (forme du runner) ou None ; `waiting` dit
    pourquoi ne pas décider (un ordre de la position est encore en cours)."""

    balance: Decimal
    position: dict | None
    held: Position | None
    waiting: str | None = None


@dataclass(frozen=True)
class Claimed:
    """Les décisions de la vague : `done`, déjà prises (à ne pas refaire) ; `sent`, reprises dont l'ordre est déjà
    parti (identifiant client de la bougie) : finies depuis cet ordre, sans redécider."""

    done: set[tuple[int, datetime]]
    sent: dict[tuple[int, datetime], Trade]


def claim(turns: list[tuple[ActiveStrategy, datetime, int]]) -> Claimed:
    """Prend la décision de chaque (activation, ouverture de la bougie, ouverture en ms) : notée `pending` si elle
    est nouvelle ; une décision `pending` laissée par un moteur interrompu est reprise (essai de plus)."""
    if not turns:
        return Claimed(set(), {})
    wanted = {(activation.pk, at): (activation, ms) for activation, at, ms in turns}
    found = Q()
    for activation_id, at in wanted:
        found |= Q(activation_id=activation_id, candle_at=at)
    rows = Decision.objects.filter(found).values_list("activation_id", "candle_at", "state")
    existing = {(activation_id, at): state for activation_id, at, state in rows}
    Decision.objects.bulk_create(
        [
            Decision(activation_id=key[0], candle_at=key[1], version_id=wanted[key][0].version_id)
            for key in wanted
            if key not in existing
        ],
        ignore_conflicts=True,
    )
    resumed = [key for key, state in existing.items() if state == Decision.State.PENDING]
    sent = {}
    for key in resumed:
        activation, ms = wanted[key]
        Decision.objects.filter(activation_id=key[0], candle_at=key[1]).update(attempts=F("attempts") + 1)
        trade = (
            Trade.objects.filter(user_id=activation.user_id, client_order_id=holdings.client_order_id(key[0], ms))
            .select_related("broker")
            .first()
        )
        if trade is not None:
            sent[key] = trade
    if resumed:
        logger.warning("%d décision(s) interrompue(s) reprise(s)", len(resumed))
    done = {key for key, state in existing.items() if state == Decision.State.DONE}
    return Claimed(done, sent)


def finish_sent(activation: ActiveStrategy, *, candle_at: datetime, trade: Trade) -> None:
    """Une décision reprise dont l'ordre était déjà parti : finie avec cet ordre (le réconciliateur suit une issue
    encore incertaine), sans redemander la stratégie ni repasser d'ordre."""
    if trade.status == Trade.Status.PENDING:
        try:
            trade = refresh_trade(trade.pk)
        except ExchangeError as error:
            logger.info("Ordre %s non relu à la reprise : %s", trade.pk, error.message)
    action, what = ("long", "Achat") if trade.side == Trade.Side.BUY else ("exit", "Vente")
    _done(activation, trade, candle_at=candle_at, action=action, what=what)


def wave_contexts(activations: list[ActiveStrategy]) -> dict[int, Context]:
    """Le contexte de chaque activation de la vague, en quelques requêtes pour toutes : les ordres encore en cours
    de leurs positions relus (achat au prochain prix, jambes de protection), puis leurs soldes et positions."""
    if not activations:
        return {}
    live = holdings.live_positions(activations)
    in_progress = holdings.live_trade_ids(live.values())
    for trade_id in in_progress:
        try:
            refresh_trade(trade_id)
        except ExchangeError as error:
            logger.info("Ordre %s non relu avant décision : %s", trade_id, error.message)
    if in_progress:
        live = holdings.live_positions(activations)
    realized = holdings.realized_pnls(activations)
    contexts = {}
    for activation in activations:
        refresh_balance(activation=activation, realized=realized.get(activation.pk, Decimal(0)))
        contexts[activation.pk] = _context(activation, live.get(activation.pk))
    return contexts


def _context(activation: ActiveStrategy, held: Position | None) -> Context:
    balance = activation.current_balance
    if held is None:
        return Context(balance, None, None)
    if held.status != Position.Status.OPEN:
        return Context(balance, None, held, f"position {held.get_status_display()}, ordre en cours d'exécution")
    position = {
        "entry_price": str(held.entry_price),
        "quantity": str(held.quantity),
        "stop_loss": None if held.stop_loss is None else str(held.stop_loss),
        "take_profit": None if held.take_profit is None else str(held.take_profit),
        "opened_at_ms": int(held.opened_at.timestamp() * 1000),
    }
    return Context(balance - held.entry_cost, position, held)


def _record(
    activation: ActiveStrategy,
    *,
    candle_at: datetime,
    action: str,
    message: str,
    error: str = "",
    blocked: bool = False,
) -> None:
    fields = {"last_decision": message, "last_decision_at": timezone.now(), "last_candle_at": candle_at}
    if error:
        fields.update(last_error=error, error_count=F("error_count") + 1)
    elif blocked:
        fields["last_error"] = message
    else:
        fields["error_count"] = 0
    with transaction.atomic():  # l'activation et sa décision notées ensemble, ou pas du tout
        ActiveStrategy.objects.filter(pk=activation.pk).update(**fields)
        Decision.objects.filter(activation_id=activation.pk, candle_at=candle_at).update(
            state=Decision.State.DONE, action=action, message=message, decided_at=fields["last_decision_at"]
        )
    if error:
        activation.refresh_from_db()  # le compte d'erreurs et l'état, tels qu'en base
    else:
        for name, value in fields.items():
            setattr(activation, name, value)
    if error and activation.error_count >= ERRORS_BEFORE_STOP and activation.state == State.RUNNING:
        activation.state = State.ERROR
        activation.save(update_fields=["state", "updated_at"])
    announce_decision(activation=activation, action=action, message=message)
    announce(activation)


def record_nothing(activation: ActiveStrategy, *, candle_at: datetime, message: str) -> None:
    _record(activation, candle_at=candle_at, action="nothing", message=message)


def record_blocked(activation: ActiveStrategy, *, candle_at: datetime, message: str) -> None:
    """Pas de décision possible (bougies manquantes jusque dans la base) : dit en rouge sur la carte (dernière
    erreur, décision « error ») et dans le journal, sans compter comme une erreur de la stratégie (elle reste en
    marche et décide dès que la fenêtre est complète)."""
    logger.warning("Activation %s sans décision : %s", activation.pk, message)
    _record(activation, candle_at=candle_at, action="error", message=message, blocked=True)


def record_error(activation: ActiveStrategy, *, candle_at: datetime, message: str) -> None:
    """Erreur ou délai de la stratégie : noté ; à la 3e d'affilée l'activation passe en état « error »."""
    _record(activation, candle_at=candle_at, action="error", message=message, error=message)


def _outcome(trade: Trade, what: str) -> tuple[str, str]:
    """(erreur, message) d'un ordre passé : exécuté, en attente (paper : au prochain prix), ou refusé."""
    if trade.executed:
        return (
            "",
            f"{what} : {french_number(trade.filled_quantity)} {trade.symbol} à {french_number(trade.average_price)}.",
        )
    if trade.status in (Trade.Status.PENDING, *Trade.OPEN_STATUSES):
        return "", f"{what} envoyé ({trade.get_status_display()}) : exécution au prochain prix."
    return f"{what} non exécuté ({trade.get_status_display()}) : {trade.error}".strip(), ""


def enter(
    activation: ActiveStrategy,
    *,
    candle_at: datetime,
    candle_ms: int,
    decision: dict,
    balance: Decimal,
    funds: WaveFunds,
    price: Decimal | None = None,
    ticket: Ticket | None = None,
) -> None:
    """Achat au marché du montant décidé, plafonné par le solde de l'activation (montant initial + P&L réalisé de
    ses positions : elle n'engage jamais plus, comme le backtest) et dans le solde libre du broker, avec le
    stop-loss et le take-profit de la stratégie. `price` : la clôture de la bougie décidée (prix de référence de
    l'ordre) ; `ticket` : les envois de la vague d'abord (apps.trading_engine.sends)."""
    quote = activation.symbol.split("/")[1]
    amount = min(Decimal(decision["amount"]), balance)
    try:
        market = _market(activation)
        enough, free = funds.reserve(broker=activation.broker, currency=quote, amount=amount)
    except ExchangeError as error:
        record_error(activation, candle_at=candle_at, message=f"Achat impossible : {error.message}")
        return
    except ValidationError as error:
        record_error(activation, candle_at=candle_at, message=f"Achat impossible : {' '.join(error.messages)}")
        return
    if not enough:
        record_nothing(
            activation,
            candle_at=candle_at,
            message=f"Achat décidé mais non passé : {french_number(amount)} {quote} demandés, "
            f"{french_number(free)} {quote} libres sur le broker.",
        )
        return
    _order(
        activation,
        candle_at=candle_at,
        candle_ms=candle_ms,
        action="long",
        what="Achat",
        side=Trade.Side.BUY,
        amount=amount / (1 + (market.taker or 0)),  # frais compris, comme le backtest
        stop_loss=_level(decision.get("stop_loss")),
        take_profit=_level(decision.get("take_profit")),
        reference_price=price,
        after_send=_after_send(ticket),
    )


def _after_send(ticket: Ticket | None):
    return None if ticket is None else ticket.sent_then_wait


def _market(activation: ActiveStrategy):
    """Le marché de la paire ; une paire paper apparue depuis le chargement des marchés (nouvelle activation) les
    fait recharger une fois."""
    try:
        return ccxt_manager.sync.market(activation.broker, activation.symbol)
    except ValidationError:
        if not activation.broker.is_paper:
            raise
        ccxt_manager.sync.markets(activation.broker, reload=True)
        return ccxt_manager.sync.market(activation.broker, activation.symbol)


def leave(
    activation: ActiveStrategy,
    *,
    candle_at: datetime,
    candle_ms: int,
    opened: Position,
    price: Decimal | None = None,
    ticket: Ticket | None = None,
) -> None:
    """Sortie décidée par should_exit : la position vendue au marché par le service des positions (protection
    retirée d'abord) ; `price` et `ticket` comme pour `enter`."""
    try:
        with activation_lock(activation.pk):
            if not _still_running(activation, candle_at=candle_at):
                return
            _, trade = close_position(
                opened,
                reason=Position.ExitReason.SIGNAL,
                source=Trade.Source.STRATEGY,
                client_order_id=holdings.client_order_id(activation.pk, candle_ms),
                reference_price=price,
                after_send=_after_send(ticket),
            )
    except Conflict:
        record_nothing(activation, candle_at=candle_at, message="Ordre déjà passé pour cette bougie.")
        return
    except ValidationError as error:
        record_nothing(activation, candle_at=candle_at, message=f"Sortie non passée : {' '.join(error.messages)}")
        return
    except ExchangeError as error:
        record_error(activation, candle_at=candle_at, message=f"Vente impossible : {error.message}")
        return
    _done(activation, trade, candle_at=candle_at, action="exit", what="Vente")


def _still_running(activation: ActiveStrategy, *, candle_at: datetime) -> bool:
    """Relue sous le verrou de l'activation : une activation arrêtée ou suspendue pendant la décision n'ordonne plus
    (« Stop » prend le même verrou : il passe avant l'ordre, ou après, et voit alors la position)."""
    if ActiveStrategy.objects.filter(pk=activation.pk, is_active=True, state=State.RUNNING).exists():
        return True
    record_nothing(activation, candle_at=candle_at, message=STOPPED_MEANWHILE)
    return False


def _order(activation, *, candle_at, candle_ms, action, what, side, **size) -> None:
    with activation_lock(activation.pk):
        if _may_enter(activation, candle_at=candle_at, amount=size["amount"]):
            _place(activation, candle_at=candle_at, candle_ms=candle_ms, action=action, what=what, side=side, **size)


def _may_enter(activation: ActiveStrategy, *, candle_at: datetime, amount: Decimal) -> bool:
    """Relu sous le verrou de l'activation, juste avant l'ordre (holdings.entry_state, une requête) : une activation
    arrêtée ou suspendue pendant la décision n'ordonne plus (comme `_still_running`) ; une activation qui détient déjà
    sa position (ou un achat en cours) n'entre pas de nouveau, quoi que détiennent les livres manuel et webhooks sur la
    même paire ; elle n'engage jamais plus que son solde (montant initial + P&L réalisé de ses positions closes)."""
    state = holdings.entry_state(activation)
    if not state.running:
        record_nothing(activation, candle_at=candle_at, message=STOPPED_MEANWHILE)
        return False
    quote = activation.symbol.split("/")[1]
    balance = state.balance
    if state.held is not None:
        message = f"Achat refusé : l'activation détient déjà sa position ({Position.Status(state.held).label})."
        record_nothing(activation, candle_at=candle_at, message=message)
        return False
    if amount > balance:
        message = (
            f"Achat refusé : {french_number(amount)} {quote} demandés, solde de l'activation "
            f"{french_number(balance)} {quote}."
        )
        record_error(activation, candle_at=candle_at, message=message)
        return False
    return True


def _place(activation, *, candle_at, candle_ms, action, what, side, after_send, **size) -> None:
    request = OrderRequest(
        user=activation.user,
        broker_id=activation.broker_id,
        broker=activation.broker,
        symbol=activation.symbol,
        side=side,
        order_type=Trade.Type.MARKET,
        source=Trade.Source.STRATEGY,
        client_order_id=holdings.client_order_id(activation.pk, candle_ms),
        active_strategy_id=activation.pk,
        **size,
    )
    try:
        trade = place_order(request, after_send=after_send)
    except Conflict:
        record_nothing(activation, candle_at=candle_at, message="Ordre déjà passé pour cette bougie.")
        return
    _done(activation, trade, candle_at=candle_at, action=action, what=what)


def _done(activation, trade: Trade, *, candle_at, action, what) -> None:
    error, message = _outcome(trade, what)
    if error:
        record_error(activation, candle_at=candle_at, message=error)
        return
    if action == "exit":  # une entrée ne change pas le P&L réalisé
        refresh_balance(activation=activation, announced=False)
    _record(activation, candle_at=candle_at, action=action, message=message)


def _level(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)
