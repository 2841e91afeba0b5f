"""Le réconciliateur : une passe au démarrage du moteur puis chaque minute (et une dans un test).

Relit chez l'exchange chaque Trade en cours (une jambe de protection exécutée clôt sa position, l'autre est
annulée), retrouve les achats exécutés sans position (arrêt entre l'exécution et le suivi), vérifie que la base
des positions ouvertes est toujours là (la somme des livres d'une base ne dépasse jamais le compte, libre + bloqué :
l'excédent vendu hors d'Aristobot est retiré des positions dans un ordre dit, raison écrite ; toute la base partie,
la position est clôturée « external »), pose la protection
manquante et compare les niveaux surveillés au dernier prix. Tout se relit depuis la base et l'exchange : un
redémarrage ne pose rien deux fois et n'oublie rien. Un broker en panne n'arrête pas les autres ; sa panne est
journalisée une fois (Outage) et écrite sur ses positions. Chaque anomalie (achat orphelin, base vendue hors
d'Aristobot) est publiée au propriétaire du broker (RECONCILER_REPORT) : ce qui a été trouvé et ce qui a changé.
"""

import logging
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from apps.brokers.models import Broker
from apps.core.channels import RECONCILER_REPORT, client_event, publish_sync, user_group
from apps.core.exceptions import ExchangeError
from apps.core.outage import Outage
from apps.core.serializers import decimal_text
from apps.core.services.ccxt_manager import ccxt_manager
from apps.orders import books, ledger, positions, protection, watch
from apps.orders.locks import symbol_lock
from apps.orders.models import Position, Trade
from apps.orders.services import refresh_trade

logger = logging.getLogger("aristobot.reconciler")

LIVE_TRADE = (Trade.Status.PENDING, *Trade.OPEN_STATUSES)
# Achats exécutés sans position plus vieux que cela : historique d'avant les positions, pas un oubli.
UNTRACKED_WINDOW = timedelta(days=1)
# Base manquante au-delà de cette part de la quantité : vendue hors d'Aristobot (la poussière ne compte pas).
MISSING_SHARE = Decimal("0.01")
EXTERNAL_NOTE = "Base {base} absente du compte {broker} ({held} détenus, {seen} trouvés) : vendue hors d'Aristobot."
SHRINK_ORDER = " {take} {base} retirés de cette position (ordre : manuel, webhooks, activations ; récente d'abord)."

RECONCILER = "Réconciliateur"  # son signe de vie (ServiceBeat), noté par le moteur après chaque passe

_outages: dict[int, Outage] = {}


def _outage(broker: Broker) -> Outage:
    return _outages.setdefault(broker.pk, Outage(logger, f"Réconciliation du broker {broker.name} (n° {broker.pk})"))


def _report(broker: Broker, key: str, found: str, changed: str) -> None:
    data = {"id": key, "broker": broker.pk, "broker_name": broker.name, "found": found, "changed": changed}
    publish_sync(user_group(broker.user_id), client_event(RECONCILER_REPORT, data))


def _refresh_trades(broker: Broker) -> list[ExchangeError]:
    errors = []
    for trade_id in Trade.objects.filter(broker=broker, status__in=LIVE_TRADE).values_list("pk", flat=True):
        try:
            refresh_trade(trade_id)
        except ExchangeError as error:
            errors.append(error)
    recent = timezone.now() - UNTRACKED_WINDOW
    untracked = Trade.objects.filter(
        broker=broker,
        side=Trade.Side.BUY,
        role="",
        position__isnull=True,
        filled_quantity__gt=0,
        updated_at__gte=recent,
    )
    for trade_id in untracked.values_list("pk", flat=True):
        position = positions.track(trade_id)
        if position is not None:
            found = f"achat n° {trade_id} exécuté sans position (arrêt entre l'exécution et le suivi)."
            changed = (
                f"Position {position.symbol} ouverte pour {decimal_text(position.quantity)}, "
                f"protection : {position.get_protection_display()}."
            )
            _report(broker, f"orphan-trade-{trade_id}", found, changed)
    return errors


def _shrink(position: Position, take: Decimal, note: str) -> None:
    """Déduit `take` de la base du livre (retirée hors d'Aristobot), raison écrite. Toute la base partie : la
    position est clôturée « external ». Une jambe de protection exécutée entre-temps (relue d'abord) : rien n'est
    déduit, la passe suivante recompte."""
    with symbol_lock(position.broker_id, position.symbol):
        positions.reload(position)
        if position.status != Position.Status.OPEN:
            return
        if protection.release(position):
            positions.settle(position)  # la protection a vendu entre-temps : clôture avec sa vraie raison
            return
        take = min(take, position.quantity)
        position.external_quantity += take
        position.external_note = note + SHRINK_ORDER.format(take=decimal_text(take), base=position.symbol.split("/")[0])
        positions.recompute(position)
        if positions.held_amount(position) <= 0:
            position.status, position.closed_at = Position.Status.CLOSED, timezone.now()
            position.exit_reason, position.protection_note = Position.ExitReason.EXTERNAL, note
            position.save()
            positions.announce(position)
        else:
            position.save()
            positions.settle(position)  # protection reposée pour la quantité qui reste
    logger.warning("Position %s (%s) : %s", position.pk, position.book, position.external_note)
    base = position.symbol.split("/")[0]
    changed = f"{decimal_text(take)} {base} retirés de la position {position.symbol} ({position.book}) ; " + (
        "position clôturée (externe)."
        if position.status == Position.Status.CLOSED
        else f"reste {decimal_text(position.quantity)} {base}, protection reposée."
    )
    _report(position.broker, f"external-{position.pk}-{position.external_quantity}", note, changed)


def _reconcile_books(group: list[Position], seen: Decimal) -> list[Position]:
    """Les livres d'une même base ne détiennent jamais plus que le compte (libre + bloqué) : au-delà de la
    poussière, l'excédent est retiré des positions dans l'ordre de books.shrink_rank (manuel, webhooks,
    activations ; la plus récente d'abord), par ledger.shrink_plan. Rend les positions restées ouvertes."""
    holdings = [
        ledger.Holding(p.pk, (books.shrink_rank(p.book), -p.opened_at.timestamp(), -p.pk), p.quantity) for p in group
    ]
    plan = ledger.shrink_plan(holdings, seen, MISSING_SHARE)
    if plan:
        held = sum((p.quantity for p in group), Decimal(0))
        base, broker = group[0].symbol.split("/")[0], group[0].broker.name
        note = EXTERNAL_NOTE.format(base=base, broker=broker, held=decimal_text(held), seen=decimal_text(seen))
        for position in group:
            if position.pk in plan:
                _shrink(position, plan[position.pk], note)
    return [position for position in group if position.status == Position.Status.OPEN]


def _check_positions(broker: Broker) -> None:
    open_positions = list(
        Position.objects.select_related("broker", "user").filter(broker=broker, status=Position.Status.OPEN)
    )
    if not open_positions:
        return
    balances = ccxt_manager.sync.balances(broker)
    by_base: dict[str, list[Position]] = {}
    for position in open_positions:
        by_base.setdefault(position.symbol.split("/")[0], []).append(position)
    still_open = []
    for base, group in by_base.items():
        seen = balances[base].total if base in balances else Decimal(0)
        still_open += _reconcile_books(group, seen)
    for position in still_open:
        with symbol_lock(position.broker_id, position.symbol):
            position = positions.settle(position)  # protection manquante posée (redémarrage), rien en double
        if position.status == Position.Status.OPEN and position.sync_error:
            Position.objects.filter(pk=position.pk).update(sync_error="")
            positions.announce(position)
        last = ccxt_manager.sync.last_price(broker, position.symbol)
        if last is not None and position.status == Position.Status.OPEN:
            watch.check(position, open_=last, low=last, high=last)


def _brokers():
    busy = Q(trades__status__in=LIVE_TRADE) | Q(positions__status__in=Position.LIVE_STATUSES)
    recent = Q(trades__updated_at__gte=timezone.now() - UNTRACKED_WINDOW, trades__position__isnull=True)
    return Broker.objects.select_related("user").filter(busy | recent).distinct().order_by("pk")


def reconcile() -> dict:
    """Une passe sur tous les brokers concernés ; retourne {"brokers", "failed"}."""
    failed = 0
    brokers = list(_brokers())
    for broker in brokers:
        outage = _outage(broker)
        try:
            errors = _refresh_trades(broker)
            if errors:  # un ordre illisible : pas de conclusion sur les soldes de ce broker
                raise errors[0]
            _check_positions(broker)
        except (ExchangeError, ValidationError) as error:
            failed += 1
            outage.failed(error)
            for position in Position.objects.filter(broker=broker, status__in=Position.LIVE_STATUSES):
                positions.note_failure(position, error)
        else:
            outage.recovered()
    return {"brokers": len(brokers), "failed": failed}
