"""« Tout couper » : pour un utilisateur (tous ses brokers ou un seul), dans le processus web (le moteur peut être
arrêté), par le service d'ordres :
1. entrées des webhooks arrêtées (halts) et activations suspendues (leurs achats en cours annulés) ;
2. ordres ouverts d'Aristobot annulés (entrées, ordres limite) ;
3. positions de ses livres vendues au marché, leur quantité seule (la protection retirée d'abord) ; les pièces
   détenues hors d'Aristobot ne sont jamais vendues ;
4. jambes de protection restées sans position retirées, réconciliateur, puis rapport : ce qui a été fait, ce qui
   reste (annulation refusée, vente refusée) ; publié (CUT_REPORT) : la cloche, Telegram et l'e-mail le reçoivent.
Une seule passe en cours par utilisateur (CutRun, contrainte en base) : un second appui rend la passe en cours.
"""

import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.brokers.models import Broker
from apps.core.channels import CUT_REPORT, client_event, publish_sync, user_group
from apps.core.exceptions import Conflict, ExchangeError
from apps.core.french_numbers import french_number
from apps.orders.models import Position, Trade
from apps.orders.reconciler import reconcile
from apps.orders.services import cancel_trade, close_position, refresh_trade
from apps.panic import halts, scope
from apps.panic.models import CutRun
from apps.panic.serializers import CutRunSerializer
from apps.trading_engine.models import ActiveStrategy
from apps.trading_engine.services.activations import activation_suspend, refresh_balance
from apps.trading_engine.services.holdings import entries_in_flight

logger = logging.getLogger("aristobot.panic")

# Une passe « en cours » plus vieille que cela a été interrompue (processus arrêté) : elle ne bloque plus.
STALE = timedelta(minutes=10)
LEGS = (Trade.Role.STOP_LOSS, Trade.Role.TAKE_PROFIT)


class Cut:
    """Une passe : ce qui a été fait (`done`) et ce qui reste, par objet (`left`)."""

    def __init__(self, run: CutRun):
        self.run = run
        self.done: list[str] = []
        self.left: dict[str, str] = {}
        self.counts = {"activations": 0, "orders": 0, "positions": 0}

    def suspend(self, broker: Broker) -> None:
        for activation in scope.activations(broker):
            what = f"Activation {activation.strategy.name} ({activation.symbol}, {broker.name})"
            entries = [trade.pk for trade in entries_in_flight(activation)]
            try:
                activation_suspend(activation=activation)
            except Conflict as error:
                self.left[f"activation-{activation.pk}"] = f"{what} non suspendue : {error}"
                continue
            self.counts["activations"] += 1
            self.done.append(f"{what} suspendue.")
            for trade in Trade.objects.filter(pk__in=entries, status=Trade.Status.CANCELLED).select_related("broker"):
                self.counts["orders"] += 1
                self.done.append(f"{scope.order_text(trade)} sur {broker.name} annulé.")

    def cancel(self, trade_id: int) -> None:
        trade = Trade.objects.select_related("broker").get(pk=trade_id)
        what = f"{scope.order_text(trade)} sur {trade.broker.name}"
        try:
            if trade.status == Trade.Status.PENDING:
                trade = refresh_trade(trade.pk)
            if trade.is_open:
                trade = cancel_trade(trade.pk)
        except ValidationError:  # plus ouvert : exécuté ou annulé entre-temps
            return
        except ExchangeError as error:
            self.left[f"order-{trade.pk}"] = f"{what} : annulation refusée : {error.message}"
            return
        if trade.status == Trade.Status.CANCELLED:
            self.counts["orders"] += 1
            self.done.append(f"{what} annulé.")

    def cancel_entries(self, broker: Broker) -> None:
        """Entrées et ordres limite (pas les jambes de protection : la clôture de leur position les retire)."""
        for trade_id in scope.open_orders(broker).filter(role=Trade.Role.ORDER).values_list("pk", flat=True):
            self.cancel(trade_id)

    def sell(self, broker: Broker) -> None:
        for position in (
            scope.live_positions(broker).filter(status=Position.Status.OPEN).select_related("broker", "user")
        ):
            what = f"Position {scope.position_text(position)} sur {broker.name}"
            try:
                position, trade = close_position(
                    position,
                    reason=Position.ExitReason.MANUAL,
                    source=Trade.Source.BOT,
                    client_order_id=f"cut-{self.run.pk}-{position.pk}",
                )
            except ValidationError:  # clôturée entre-temps par sa protection
                continue
            except ExchangeError as error:
                self.left[f"position-{position.pk}"] = f"{what} : non vendue, {error.message}"
                continue
            if trade.executed:
                self._rebalance(position)
                self.counts["positions"] += 1
                base = position.symbol.split("/")[0]
                self.done.append(f"{what} : {french_number(trade.filled_quantity)} {base} vendus au marché.")
            elif trade.status not in scope.LIVE_TRADE:
                refusal = trade.error or trade.get_status_display()
                self.left[f"position-{position.pk}"] = (
                    f"{what} : vente refusée ({refusal}) ; la position reste ouverte et protégée."
                )

    @staticmethod
    def _rebalance(position: Position) -> None:
        """Le solde d'une activation suit le P&L de sa position vendue (suspendue, le moteur ne le relit plus)."""
        activation = ActiveStrategy.objects.filter(pk=position.active_strategy_id).first()
        if activation is not None:
            refresh_balance(activation=activation)

    def sweep(self, broker: Broker) -> None:
        """Ordres encore ouverts, hors protection d'une position restée ouverte (vente refusée) : jambes sans
        position, entrées arrivées entre-temps."""
        kept = list(scope.live_positions(broker).filter(status=Position.Status.OPEN).values_list("pk", flat=True))
        leftovers = scope.open_orders(broker).exclude(role__in=LEGS, position_id__in=kept)
        for trade_id in leftovers.values_list("pk", flat=True):
            if f"order-{trade_id}" not in self.left:
                self.cancel(trade_id)

    def remaining(self, brokers: list[Broker]) -> list[str]:
        """Ce qui reste ouvert à la fin, chacun avec sa raison si elle est connue."""
        left = {key: text for key, text in self.left.items() if key.startswith("activation-")}
        for broker in brokers:
            for trade in scope.open_orders(broker).select_related("broker"):
                key = f"order-{trade.pk}"
                left[key] = self.left.get(key) or (
                    f"{scope.order_text(trade)} sur {broker.name} : toujours ouvert"
                    + (" (protection de la position restée ouverte)." if trade.role else ".")
                )
            for position in scope.live_positions(broker):
                key = f"position-{position.pk}"
                left[key] = self.left.get(key) or (
                    f"Position {scope.position_text(position)} sur {broker.name} : "
                    f"{position.get_status_display()}, {position.sync_error or 'pas encore vendue'}."
                )
        return list(left.values())


def _start(*, user, broker: Broker | None) -> tuple[CutRun, bool]:
    """La passe créée (True), ou celle déjà en cours pour cet utilisateur (False)."""
    CutRun.objects.filter(user=user, status=CutRun.Status.RUNNING, started_at__lt=timezone.now() - STALE).update(
        status=CutRun.Status.INTERRUPTED, finished_at=timezone.now()
    )
    try:
        with transaction.atomic():
            run = CutRun.objects.create(user=user, broker=broker, scope=broker.name if broker else scope.ALL_BROKERS)
            halts.halt(user_id=user.pk, broker=broker, run=run)
    except IntegrityError:
        running = CutRun.objects.filter(user=user, status=CutRun.Status.RUNNING).first()
        if running is None:  # terminée entre-temps : on la rend
            running = CutRun.objects.filter(user=user).first()
        return running, False
    return run, True


def summary(run: CutRun, report: dict) -> str:
    counts = report["counts"]
    text = (
        f"Tout couper ({run.scope}) : {counts['activations']} activation(s) suspendue(s), "
        f"{counts['orders']} ordre(s) annulé(s), {counts['positions']} position(s) vendue(s) au marché ; "
        "entrées des webhooks arrêtées."
    )
    if not report["left"]:
        return f"{text} Reste : rien."
    return f"{text} Reste {len(report['left'])} : " + " ".join(report["left"])


def cut_everything(*, user, broker_id=None) -> tuple[CutRun, bool]:
    """« Tout couper » pour `user` (un broker ou tous) ; retourne (passe, lancée). Lève NotFound (broker d'un autre).
    Une passe déjà en cours est rendue telle quelle (False) : rien n'est refait."""
    brokers = scope.brokers_in_scope(user=user, broker_id=broker_id)
    run, started = _start(user=user, broker=brokers[0] if broker_id is not None else None)
    if not started:
        return run, False
    cut, finished = Cut(run), CutRun.Status.INTERRUPTED
    try:
        for broker in brokers:
            cut.suspend(broker)
        for broker in brokers:
            cut.cancel_entries(broker)
            cut.sell(broker)
            cut.sweep(broker)
        reconcile()
        finished = CutRun.Status.DONE
    finally:
        report = {"counts": cut.counts, "done": cut.done, "left": cut.remaining(brokers)}
        report["text"] = summary(run, report)
        run.report, run.status, run.finished_at = report, finished, timezone.now()
        run.save(update_fields=["report", "status", "finished_at"])
        logger.warning("%s (utilisateur %s)", report["text"], user.pk)
        _publish(run)
    return run, True


def _publish(run: CutRun) -> None:
    try:
        publish_sync(user_group(run.user_id), client_event(CUT_REPORT, dict(CutRunSerializer(run).data)))
    except Exception:  # le rapport est en base et rendu par l'API : seule la notification est perdue
        logger.warning("Rapport de « Tout couper » %s non publié", run.pk, exc_info=True)
