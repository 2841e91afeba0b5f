"""Protection d'une position : stop-loss et take-profit tenus par l'exchange, ou surveillés par Aristobot.

Ordre de préférence, pour la quantité détenue arrondie au pas du marché :
1. les deux niveaux et un OCO possible : un OCO (take-profit LIMIT_MAKER + stop-loss limite) ;
2. sinon un seul ordre, stop-loss limite de préférence, sinon take-profit limite (l'ordre posé bloque la
   quantité sur l'exchange : l'autre niveau est surveillé) ;
3. sinon (refus de l'exchange, paire au maximum d'ordres stop/take-profit) : surveillance par Aristobot
   (apps.orders.watch), vente au marché au franchissement. Un niveau que l'exchange ne tient pas est surveillé.
Appelé sous le verrou de la paire par le gestionnaire (apps.orders.positions) ; envoie par la passerelle
(apps.orders.gateway), qui ne rappelle jamais le gestionnaire. Les jambes sont des Trades (role) enregistrés avant
leur envoi, avec des identifiants client tirés de la position : jamais posées deux fois.
"""

import logging
from decimal import Decimal

from django.utils import timezone

from apps.core.exceptions import AlgoOrdersLimit, ExchangeError
from apps.core.services.ccxt_manager import ccxt_manager
from apps.orders import checks, gateway
from apps.orders.models import Position, Trade
from apps.orders.results import apply_order

logger = logging.getLogger("aristobot.positions")

# Limite du stop-loss limite : 0,5 % sous son déclencheur, pour qu'il s'exécute même dans une chute rapide
# (un stop-limit dont la limite est franchie d'un coup reste sans exécution).
STOP_LIMIT_OFFSET = Decimal("0.005")
LIVE = (Trade.Status.PENDING, *Trade.OPEN_STATUSES)
ROLES = (Trade.Role.STOP_LOSS, Trade.Role.TAKE_PROFIT)
LABELS = {Trade.Role.STOP_LOSS: "stop-loss", Trade.Role.TAKE_PROFIT: "take-profit"}


def live_legs(position: Position) -> list[Trade]:
    legs = list(Trade.objects.filter(position_id=position.pk, role__in=ROLES, status__in=LIVE))
    for leg in legs:
        leg.broker = position.broker  # le broker de la position, déjà chargé : pas de jointure
    return legs


def exchange_levels(position: Position) -> set[str]:
    """Les niveaux (rôles) tenus en ce moment par un ordre de l'exchange."""
    return {leg.role for leg in live_legs(position)}


# Côté sûr d'une vente de protection (`to_precision` arrondit vers le bas le prix d'un achat, vers le haut celui
# d'une vente) : stop et sa limite sous le marché vers le bas, objectif au-dessus vers le haut.
DOWN, UP = "buy", "sell"


def _stop_limit(position: Position) -> Decimal:
    _, limit = ccxt_manager.sync.to_precision(
        position.broker, position.symbol, Decimal(1), position.stop_loss * (1 - STOP_LIMIT_OFFSET), DOWN
    )
    return limit


def _rounded(position: Position, price: Decimal | None, direction: str) -> Decimal | None:
    if price is None:
        return None
    return ccxt_manager.sync.to_precision(position.broker, position.symbol, Decimal(1), price, direction)[1]


def _leg(position: Position, role: str, suffix: str, amount: Decimal, trigger: Decimal, limit: Decimal) -> Trade:
    """La jambe enregistrée (pending) avant son envoi ; identifiant client unique par génération."""
    stop = role == Trade.Role.STOP_LOSS
    trade = Trade(
        user_id=position.user_id,
        broker=position.broker,
        source=position.source,
        book=position.book,
        symbol=position.symbol,
        side=Trade.Side.SELL,
        type=Trade.Type.STOP_LOSS_LIMIT if stop else Trade.Type.TAKE_PROFIT_LIMIT,
        quantity=amount,
        price=limit,
        stop_loss=trigger if stop else None,
        take_profit=None if stop else trigger,
        role=role,
        position=position,
        client_order_id=_client_id(position, suffix),
        status=Trade.Status.PENDING,
        webhook_id=position.webhook_id,
        active_strategy_id=position.active_strategy_id,
    )
    trade.save()
    return trade


def _client_id(position: Position, suffix: str) -> str:
    return f"{checks.client_order_prefix(position.source)}p{position.pk}g{position.protection_generation}{suffix}"


def _answer(trade: Trade, call) -> bool:
    """Envoie une jambe ; True si l'exchange l'a acceptée (ou peut-être : issue incertaine, pending)."""
    try:
        order = call()
    except gateway.UNCERTAIN as error:
        gateway.record(trade, Trade.Status.PENDING, gateway.UNKNOWN_OUTCOME.format(error=error.message))
        return True
    except ExchangeError as error:
        gateway.record(trade, Trade.Status.FAILED, error.message)
        if isinstance(error, AlgoOrdersLimit):
            raise
        return False
    apply_order(trade, order)
    gateway.record(trade, trade.status, trade.error)
    return True


def _place_oco(position: Position, amount: Decimal) -> tuple[bool, str]:
    limit = _stop_limit(position)
    take = _leg(position, Trade.Role.TAKE_PROFIT, "otp", amount, position.take_profit, position.take_profit)
    stop = _leg(position, Trade.Role.STOP_LOSS, "osl", amount, position.stop_loss, limit)
    try:
        oco = ccxt_manager.sync.create_oco_order(
            position.broker,
            symbol=position.symbol,
            amount=amount,
            take_profit=position.take_profit,
            stop_price=position.stop_loss,
            stop_limit=limit,
            list_client_id=_client_id(position, "oco"),
            take_profit_client_id=take.client_order_id,
            stop_loss_client_id=stop.client_order_id,
        )
    except gateway.UNCERTAIN as error:
        for leg in (take, stop):
            gateway.record(leg, Trade.Status.PENDING, gateway.UNKNOWN_OUTCOME.format(error=error.message))
        return True, ""
    except ExchangeError as error:
        for leg in (take, stop):
            gateway.record(leg, Trade.Status.FAILED, error.message)
        if isinstance(error, AlgoOrdersLimit):
            raise
        return False, error.message
    for leg, order in ((take, oco.take_profit), (stop, oco.stop_loss)):
        leg.order_list_id = oco.list_id
        apply_order(leg, order)
        gateway.record(leg, leg.status, leg.error)
    return True, ""


def _place_single(position: Position, role: str, amount: Decimal) -> tuple[bool, str]:
    broker, symbol = position.broker, position.symbol
    if role == Trade.Role.STOP_LOSS:
        limit = _stop_limit(position)
        leg = _leg(position, role, "sl", amount, position.stop_loss, limit)

        def call():
            return ccxt_manager.sync.create_stop_loss_order(
                broker,
                symbol=symbol,
                amount=amount,
                stop_price=position.stop_loss,
                limit_price=limit,
                client_order_id=leg.client_order_id,
            )
    else:
        leg = _leg(position, role, "tp", amount, position.take_profit, position.take_profit)

        def call():
            return ccxt_manager.sync.create_take_profit_order(
                broker, symbol=symbol, amount=amount, price=position.take_profit, client_order_id=leg.client_order_id
            )

    accepted = _answer(leg, call)
    return accepted, "" if accepted else leg.error


def _save(position: Position, mode: str, note: str) -> None:
    position.protection, position.protection_note = mode, note
    position.save(update_fields=["protection", "protection_note", "protection_generation", "updated_at"])


def _place(position: Position, amount: Decimal) -> None:
    """Pose la protection voulue ; la paire au maximum d'ordres stop/take-profit : surveillée."""
    try:
        _place_modes(position, amount)
    except AlgoOrdersLimit as error:
        _save(position, Position.Protection.WATCHED, f"Surveillé par Aristobot : {error.message}.")


def _place_modes(position: Position, amount: Decimal) -> None:
    """Pose la protection voulue, en descendant la liste des modes à chaque refus."""
    wanted = [
        r
        for r, level in ((Trade.Role.STOP_LOSS, position.stop_loss), (Trade.Role.TAKE_PROFIT, position.take_profit))
        if level
    ]
    support = ccxt_manager.sync.protection_support(position.broker, position.symbol)
    position.stop_loss = _rounded(position, position.stop_loss, DOWN)  # au pas de prix du marché
    position.take_profit = _rounded(position, position.take_profit, UP)
    position.protection_generation += 1
    position.save(update_fields=["stop_loss", "take_profit", "protection_generation", "updated_at"])
    refusals = []
    if len(wanted) == 2 and support.oco:
        placed, error = _place_oco(position, amount)
        if placed:
            return _save(position, Position.Protection.OCO, "")
        refusals.append(f"OCO refusé ({error})")
    offered = {Trade.Role.STOP_LOSS: support.stop_loss, Trade.Role.TAKE_PROFIT: support.take_profit}
    held, watched = [], []
    for role in wanted:
        if not offered[role]:
            watched.append(LABELS[role])
            continue
        if held:  # comme sur Binance, l'ordre déjà posé bloque la quantité : un second ordre serait refusé
            watched.append(LABELS[role])
            refusals.append(f"{LABELS[role]} non posé (quantité déjà bloquée par l'ordre {LABELS[held[0]]})")
            continue
        placed, error = _place_single(position, role, amount)
        if placed:
            held.append(role)
        else:
            watched.append(LABELS[role])
            refusals.append(f"{LABELS[role]} refusé ({error})")
    why = " ; ".join(refusals) or f"{position.broker.name} ne tient pas ces ordres"
    if not held:
        return _save(position, Position.Protection.WATCHED, f"Surveillé par Aristobot : {why}.")
    note = f"{' et '.join(watched).capitalize()} surveillé par Aristobot : {why}." if watched else ""
    return _save(position, Position.Protection.ORDERS, note)


def _matches(position: Position, legs: list[Trade], amount: Decimal) -> bool:
    """Les jambes en place protègent déjà cette quantité à ces niveaux (rien à reposer)."""
    if any(leg.quantity - leg.filled_quantity != amount for leg in legs):
        return False
    levels = {leg.role: leg.stop_loss or leg.take_profit for leg in legs}
    wanted = {
        Trade.Role.STOP_LOSS: _rounded(position, position.stop_loss, DOWN),
        Trade.Role.TAKE_PROFIT: _rounded(position, position.take_profit, UP),
    }
    return all(wanted[role] == level for role, level in levels.items()) and set(levels) <= {
        r for r, v in wanted.items() if v
    }


def ensure(position: Position) -> bool:
    """La protection de la position ouverte, posée ou reposée si besoin ; True si une jambe s'est exécutée entre
    temps (la position est à recalculer). Une jambe à l'issue incertaine est d'abord retrouvée, jamais doublée."""
    legs = live_legs(position)
    pending = [leg for leg in legs if leg.status == Trade.Status.PENDING]
    for leg in pending:
        found = gateway.refresh_trade(leg.pk)
        if found.filled_quantity > leg.filled_quantity:
            return True
        if found.status == Trade.Status.PENDING:
            return False
    if pending:
        legs = live_legs(position)
    amount = Decimal(0) if not (position.stop_loss or position.take_profit) else _amount(position)
    if amount <= 0:
        if legs and release(position):
            return True
        if position.protection != Position.Protection.NONE:
            _save(position, Position.Protection.NONE, "")
        return False
    if legs and _matches(position, legs, amount):
        return False
    if not legs and position.protection == Position.Protection.WATCHED:
        return False  # surveillée : Aristobot lit les niveaux de la position, rien à poser
    if legs and release(position):
        return True
    _place(position, amount)
    return False


def _amount(position: Position) -> Decimal:
    return gateway.sellable_amount(position.broker, position.symbol, position.quantity)


def release(position: Position) -> bool:
    """Annule les jambes en place ; True si l'une s'est exécutée (même en partie) depuis sa dernière lecture."""
    executed, ended_lists = False, set()
    for leg in live_legs(position):
        current = leg
        if current.status == Trade.Status.PENDING or (leg.order_list_id and leg.order_list_id in ended_lists):
            current = gateway.refresh_trade(leg.pk)  # une sœur d'OCO annulée : retirée avec elle
            if current.status == Trade.Status.PENDING:
                raise ExchangeError(position.broker.name, "ordre de protection à l'issue incertaine, à retrouver")
        if current.is_open:
            current = gateway.cancel_trade(leg.pk)  # déjà exécutée ou annulée : relue
            if leg.order_list_id:
                ended_lists.add(leg.order_list_id)
        executed = executed or current.filled_quantity > leg.filled_quantity
    return executed


def lost_leg(position: Position, leg: Trade) -> None:
    """Une jambe annulée ou expirée sans exécution hors d'Aristobot : la position repasse sous surveillance.

    Sauf si l'autre jambe (OCO) s'est exécutée : c'est l'exchange qui a retiré celle-ci."""
    current = leg.client_order_id.startswith(_client_id(position, ""))
    if position.status != Position.Status.OPEN or leg.executed or not current:
        return
    others = [gateway.refresh_trade(other.pk) for other in live_legs(position)]
    if any(other.executed for other in others):
        return
    for other in others:
        if other.is_open:
            gateway.cancel_trade(other.pk)
    when = timezone.now().strftime("%Y-%m-%d %H:%M")
    _save(
        position,
        Position.Protection.WATCHED,
        f"Ordre {LABELS[leg.role]} annulé hors d'Aristobot ({when} UTC) : position surveillée par Aristobot.",
    )
