"""Le calcul d'un backtest par le worker : bougies (table puis exchange), boucle entière dans le runner de
l'utilisateur, progression publiée au moins deux fois par seconde, annulation relue toutes les 0,1 s."""

import logging
import threading
import time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from apps.backtest.models import BacktestRun
from apps.backtest.services.candles import CandleSet, load_candles
from apps.backtest.services.engine import market_terms, run_backtest
from apps.backtest.services.events import notify
from apps.backtest.services.results import BacktestOutcome, iso
from apps.core.exceptions import ExchangeError
from apps.strategies.runner.client import CodeRefused, RunnerError
from apps.strategies.services.runners import runner_for

logger = logging.getLogger("aristobot.backtest")

REPUBLISH_SECONDS = 0.3
COLUMN_LIMIT = Decimal("1e12")


class _Gone(Exception):
    """La ligne du backtest a été supprimée pendant le calcul."""


class _Stopping(Exception):
    """Le worker s'arrête : le backtest retourne en file, il sera recalculé au redémarrage."""


class _Progress:
    """Progression d'une phase : ligne en base (rechargement de la page, bail) et message au groupe. Un fil
    republie l'état quand le calcul se tait (démarrage du runner, indicateurs) : au moins 2 messages par seconde."""

    def __init__(self, run: BacktestRun, stopping):
        self.run, self.stopping = run, stopping
        self.published_at = 0.0
        self._publishing = threading.Lock()
        self.done = threading.Event()
        threading.Thread(target=self._keep_publishing, name=f"backtest-{run.pk}", daemon=True).start()

    def _keep_publishing(self) -> None:
        try:
            while not self.done.wait(REPUBLISH_SECONDS / 3):
                quiet = time.monotonic() - self.published_at >= REPUBLISH_SECONDS
                if quiet and self.run.status == BacktestRun.Status.RUNNING and self._still_running():
                    self.publish()
        finally:
            connection.close()  # la connexion de ce fil

    def _still_running(self) -> bool:
        return BacktestRun.objects.filter(pk=self.run.pk, status=BacktestRun.Status.RUNNING).exists()

    def publish(self) -> None:
        with self._publishing:  # lu et envoyé d'un bloc : la page ne voit jamais la progression reculer
            self.published_at = time.monotonic()
            notify(self.run)

    def phase(self, phase: str) -> None:
        self.run.phase = phase
        self.report(0.0)

    def report(self, fraction: float) -> None:
        self.run.progress = round(max(0.0, min(fraction, 1.0)) * 100, 1)
        updated = BacktestRun.objects.filter(pk=self.run.pk).update(
            phase=self.run.phase, progress=self.run.progress, heartbeat_at=timezone.now()
        )
        if not updated:
            raise _Gone
        self.publish()

    def cancelled(self) -> bool:
        if self.stopping():
            raise _Stopping
        flags = BacktestRun.objects.filter(pk=self.run.pk).values_list("cancel_requested", flat=True).first()
        return flags is None or flags


def _finish(run: BacktestRun, status: str, **fields) -> BacktestRun:
    now = timezone.now()
    fields = {"finished_at": now, "phase": None, **fields}
    if run.started_at:
        fields["duration_seconds"] = (now - run.started_at).total_seconds()
    fields["status"] = status  # en dernier : le fil de republication ne montre jamais un état à moitié fini
    for name, value in fields.items():
        setattr(run, name, value)
    BacktestRun.objects.filter(pk=run.pk).update(**fields)
    notify(run)
    return run


def _gaps(candles: CandleSet) -> list[dict]:
    return [{"start": iso(start), "end": iso(end)} for start, end in candles.gaps]


def gaps_error(gaps: list[dict]) -> str:
    spans = ", ".join(f"{gap['start']} - {gap['end']}" for gap in gaps[:10])
    more = f" (et {len(gaps) - 10} autres)" if len(gaps) > 10 else ""
    return (
        f"Bougies manquantes sur la période : {spans}{more}. Cochez « Autoriser les trous » pour lancer le backtest "
        "quand même."
    )


def no_candles_error(run: BacktestRun) -> str:
    """Aucune bougie : le broker paper ne lit que les bougies enregistrées, un vrai broker les a demandées."""
    where = f"{run.symbol} {run.timeframe}"
    if run.broker.is_paper:
        return (
            f"Aucune bougie {where} enregistrée sur cette période : le broker paper n'utilise que les bougies "
            "stockées (voir les périodes disponibles sous le formulaire)."
        )
    return f"Aucune bougie {where} sur cette période, ni en base ni chez l'exchange."


def strategy_error(error: RunnerError) -> str:
    """Le texte d'échec : celui du runner (méthode et ligne du code de l'utilisateur comprises)."""
    if isinstance(error, CodeRefused):
        return "Code refusé : " + "; ".join(
            f"ligne {e.line} : {e.message}" if e.line else e.message for e in error.errors
        )
    return error.message


def _column(text: str | None) -> Decimal | None:
    """Une statistique pour une colonne à 12 chiffres avant la virgule ; None si elle n'y tient pas."""
    if text is None or abs(Decimal(text)) >= COLUMN_LIMIT:
        return None
    return Decimal(text)


def _store(run: BacktestRun, outcome: BacktestOutcome, *, cancelled: bool) -> BacktestRun:
    stats = outcome.stats
    return _finish(
        run,
        BacktestRun.Status.CANCELLED if cancelled else BacktestRun.Status.DONE,
        partial=cancelled,
        bars=outcome.bars,
        final_amount=Decimal(stats["final_amount"]),
        total_trades=int(stats["total_trades"]),
        winning_trades=int(stats["winning_trades"]),
        losing_trades=int(stats["losing_trades"]),
        max_drawdown=_column(stats["max_drawdown_pct"]),
        sharpe_ratio=_column(stats["sharpe_ratio"]),
        stats=stats,
        trades_detail=outcome.trades,
        equity=outcome.display_curve(),
        equity_data=BacktestRun.pack_curve(outcome.times, outcome.equity, outcome.buy_hold),
        progress=100.0 if not cancelled else run.progress,
    )


def _requeue(run: BacktestRun) -> BacktestRun:
    fields = {"status": BacktestRun.Status.QUEUED, "phase": None, "progress": 0.0, "started_at": None}
    for name, value in fields.items():
        setattr(run, name, value)
    BacktestRun.objects.filter(pk=run.pk, status=BacktestRun.Status.RUNNING).update(**fields)
    notify(run)
    return run


def execute_run(run: BacktestRun, *, stopping=lambda: False) -> BacktestRun:
    """Calcule un backtest passé « en cours » ; rend la ligne finale (terminé, échec ou annulé). Une erreur de la
    stratégie, de l'exchange ou du runner devient l'échec du backtest, jamais une exception. `stopping()` vrai
    (arrêt du worker) remet le backtest en file."""
    progress = _Progress(run, stopping)
    try:
        return _execute(run, progress)
    finally:
        progress.done.set()


def _warm(runner) -> None:
    try:
        runner.start()
    except RunnerError:
        logger.info("Runner non démarré d'avance : le calcul le redémarrera et dira pourquoi")


def _execute(run: BacktestRun, progress: _Progress) -> BacktestRun:
    if run.broker is None:
        return _finish(run, BacktestRun.Status.FAILED, error="Le broker de ce backtest a été supprimé.")
    runner = runner_for(run.user_id)
    # Le runner démarre pendant le chargement des bougies : « Calcul » avance dès les premières bougies.
    warming = threading.Thread(target=_warm, args=(runner,), name="runner-demarrage", daemon=True)
    warming.start()
    try:
        progress.phase(BacktestRun.Phase.DOWNLOAD)
        candles = load_candles(
            broker=run.broker,
            symbol=run.symbol,
            timeframe=run.timeframe,
            start=run.start,
            end=run.end,
            on_progress=progress.report,
            should_cancel=progress.cancelled,
        )
        if candles.cancelled:
            return _finish(run, BacktestRun.Status.CANCELLED)
        if candles.count == 0:
            return _finish(run, BacktestRun.Status.FAILED, error=no_candles_error(run))
        run.gaps = _gaps(candles)
        BacktestRun.objects.filter(pk=run.pk).update(gaps=run.gaps)
        if candles.gaps and not run.allow_gaps:
            return _finish(run, BacktestRun.Status.FAILED, error=gaps_error(run.gaps))
        fee, step = market_terms(broker=run.broker, symbol=run.symbol, fee=run.fee)
        run.fee = Decimal(repr(fee))
        BacktestRun.objects.filter(pk=run.pk).update(fee=run.fee)
        warming.join()
        progress.phase(BacktestRun.Phase.COMPUTE)
        outcome, cancelled = run_backtest(
            runner=runner,
            code=run.code,
            candles=candles.arrays,
            timeframe=run.timeframe,
            initial_amount=float(run.initial_amount),
            fee=fee,
            quantity_step=step,
            on_progress=progress.report,
            should_cancel=progress.cancelled,
        )
    except _Gone:
        return run
    except _Stopping:
        return _requeue(run)
    except RunnerError as error:
        return _finish(run, BacktestRun.Status.FAILED, error=strategy_error(error))
    except ExchangeError as error:
        return _finish(run, BacktestRun.Status.FAILED, error=f"Bougies ou marché indisponibles : {error.message}")
    except ValidationError as error:
        return _finish(run, BacktestRun.Status.FAILED, error=" ".join(error.messages))
    logger.info("Backtest %s : %d bougies, %d trades", run.pk, outcome.bars, len(outcome.trades))
    return _store(run, outcome, cancelled=cancelled)
