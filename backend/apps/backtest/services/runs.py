"""Les backtests d'un utilisateur : demande, annulation, suppression, et la file que sert le worker.

Au plus un backtest en cours par utilisateur ; les suivants attendent leur tour dans l'ordre de demande.
Un backtest « en cours » dont le worker ne donne plus signe de vie (bail `heartbeat_at` dépassé) passe en échec.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from apps.backtest.models import BacktestRun
from apps.backtest.services.candles import bounds_ms, candle_exchange, stored_periods
from apps.backtest.services.events import notify, wake_worker
from apps.brokers.models import Broker
from apps.core.exceptions import NotFound
from apps.core.scoping import owned
from apps.core.symbols import unified_symbol
from apps.heartbeat.bars import TIMEFRAME_MS
from apps.strategies.models import Strategy
from apps.strategies.services.versions import tested_version

MAX_BARS = 1_100_000  # deux ans de 1m
LEASE = timedelta(seconds=60)  # le worker renouvelle le bail toutes les quelques secondes pendant un calcul
STALE_ERROR = "Le calcul s'est interrompu (worker des backtests arrêté) : relancez le backtest."


def _owned_or_404(model, user, pk: int, label: str):
    found = owned(model.objects.all(), user).filter(pk=pk).first()
    if found is None:
        raise NotFound(f"{label} introuvable.")
    return found


@transaction.atomic
def create_run(
    *,
    user,
    strategy: int,
    broker: int,
    symbol: str,
    timeframe: str,
    start,
    end,
    initial_amount,
    fee=None,
    allow_gaps: bool = False,
) -> BacktestRun:
    """Met un backtest en file (statut `queued`) et réveille le worker. NotFound pour la stratégie ou le broker
    d'un autre ; ValidationError (français) pour une stratégie non testée, une paire illisible, une période
    vide ou trop longue."""
    strategy_row = _owned_or_404(Strategy, user, strategy, "Stratégie")
    broker_row = _owned_or_404(Broker, user, broker, "Broker")
    if not strategy_row.is_valid:
        raise ValidationError(
            f"La stratégie « {strategy_row.name} » n'a pas passé « Tester » : corrigez-la et testez-la d'abord."
        )
    version = tested_version(strategy=strategy_row)
    pair = unified_symbol(symbol)
    if not pair:
        raise ValidationError(f"Paire illisible : « {symbol} » (exemple : BTC/USDT).")
    first, last = bounds_ms(start, end, timeframe)
    if last <= first:
        raise ValidationError("Aucune bougie clôturée sur cette période : choisissez des dates passées.")
    if (last - first) // TIMEFRAME_MS[timeframe] > MAX_BARS:
        raise ValidationError(f"Période trop longue : au plus {MAX_BARS:,} bougies par backtest.".replace(",", " "))
    run = BacktestRun.objects.create(
        user=user,
        strategy=strategy_row,
        strategy_name=strategy_row.name,
        version=version,
        code=version.code,
        code_hash=version.code_hash,
        broker=broker_row,
        broker_name=broker_row.name,
        exchange=candle_exchange(broker_row),
        symbol=pair,
        timeframe=timeframe,
        start=start,
        end=end,
        initial_amount=initial_amount,
        fee=fee,
        allow_gaps=allow_gaps,
    )
    transaction.on_commit(lambda: (notify(run), wake_worker()))
    return run


def cancel_run(*, run: BacktestRun) -> BacktestRun:
    """En file : annulé tout de suite. En cours : l'arrêt est demandé, le worker s'arrête à la bougie suivante
    (moins d'une seconde) et garde le résultat partiel. Terminé : inchangé."""
    now = timezone.now()
    if BacktestRun.objects.filter(pk=run.pk, status=BacktestRun.Status.QUEUED).update(
        status=BacktestRun.Status.CANCELLED, finished_at=now, cancel_requested=True
    ):
        run.refresh_from_db()
        notify(run)
    elif BacktestRun.objects.filter(pk=run.pk, status=BacktestRun.Status.RUNNING).update(cancel_requested=True):
        run.refresh_from_db()
    return run


def delete_run(*, run: BacktestRun) -> None:
    """Supprime le backtest ; en cours, son calcul s'arrête (le worker ne trouve plus sa ligne)."""
    run.delete()


@transaction.atomic
def claim_next(*, busy_users=()) -> BacktestRun | None:
    """Passe en cours le plus ancien backtest en file d'un utilisateur sans backtest en cours."""
    now = timezone.now()
    running = BacktestRun.objects.filter(user_id=OuterRef("user_id"), status=BacktestRun.Status.RUNNING)
    run = (
        BacktestRun.objects.select_for_update(skip_locked=True)
        .filter(status=BacktestRun.Status.QUEUED)
        .exclude(user_id__in=list(busy_users))
        .exclude(Exists(running))
        .order_by("pk")
        .first()
    )
    if run is None:
        return None
    run.status, run.started_at, run.heartbeat_at = BacktestRun.Status.RUNNING, now, now
    run.phase, run.progress = BacktestRun.Phase.DOWNLOAD, 0.0
    run.save(update_fields=["status", "started_at", "heartbeat_at", "phase", "progress"])
    return run


def fail_run(run_id: int, error: str) -> None:
    """Un calcul interrompu par une erreur inattendue : en échec avec son texte, pas « en cours » jusqu'au bail."""
    _fail(BacktestRun.objects.filter(pk=run_id, status=BacktestRun.Status.RUNNING), error=error)


def renew_leases(run_ids) -> None:
    BacktestRun.objects.filter(pk__in=list(run_ids), status=BacktestRun.Status.RUNNING).update(
        heartbeat_at=timezone.now()
    )


def _fail(queryset, *, error: str = STALE_ERROR) -> int:
    failed = list(queryset)
    now = timezone.now()
    for run in failed:
        if BacktestRun.objects.filter(pk=run.pk, status=BacktestRun.Status.RUNNING).update(
            status=BacktestRun.Status.FAILED, error=error, finished_at=now, phase=None
        ):
            run.refresh_from_db()
            notify(run)
    return len(failed)


def fail_stale_runs() -> int:
    """Les backtests en cours sans nouvelles de leur worker depuis LEASE passent en échec ; rend leur nombre."""
    limit = timezone.now() - LEASE
    return _fail(
        BacktestRun.objects.filter(status=BacktestRun.Status.RUNNING).filter(
            Q(heartbeat_at__lt=limit) | Q(heartbeat_at__isnull=True)
        )
    )


def fail_interrupted_runs() -> int:
    """Au démarrage du worker (un seul à la fois) : ce qu'un arrêt brutal a laissé « en cours » passe en échec."""
    return _fail(BacktestRun.objects.filter(status=BacktestRun.Status.RUNNING))


def user_runs(user):
    """Les backtests de l'utilisateur, les plus récents d'abord (un calcul abandonné est d'abord déclaré)."""
    fail_stale_runs()
    return owned(BacktestRun.objects.defer("equity_data", "trades_detail", "equity", "code"), user)


def user_run(user, pk: int) -> BacktestRun:
    fail_stale_runs()
    run = owned(BacktestRun.objects.all(), user).filter(pk=pk).first()
    if run is None:
        raise NotFound("Backtest introuvable.")
    return run


def candle_coverage(*, user, broker: int, symbol: str, timeframe: str) -> dict:
    """Ce que le formulaire montre avant un lancement : les périodes enregistrées de la paire et de l'unité chez
    l'exchange des bougies du broker, et si les manques seront téléchargés (broker d'un vrai exchange)."""
    broker_row = _owned_or_404(Broker, user, broker, "Broker")
    exchange = candle_exchange(broker_row)
    pair = unified_symbol(symbol) or symbol
    return {
        "exchange": exchange,
        "downloads_missing": not broker_row.is_paper,
        "periods": stored_periods(exchange=exchange, symbol=pair, timeframe=timeframe),
    }
