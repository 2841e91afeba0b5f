"""Un monde pour le moteur lancé en vrai processus (`manage.py run_trading_engine`) : une activation sur un broker
paper, des bougies 1m jusqu'à l'avant-dernière minute clôturée (en baisse : rien à faire) ; `store_last` enregistre
la dernière (en hausse : achat) et rend la vague qui la publie ; `decided` dit ce qui a été décidé sur elle.
Utilisé dans la base de test, ou dans une autre base par `python -m apps.trading_engine.tests.engine_world`."""

import json
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[3]
BLOCKED_UPDATE = (
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' "
    "AND query LIKE 'UPDATE \"trading_engine_activestrategy\" SET %'"
)


def blocked(cursor) -> bool:
    """Le moteur attend le verrou de l'activation pour noter sa décision (l'ordre est parti, la décision pas encore
    notée). `cursor` : une connexion qui tient ce verrou, donc dans une transaction, où pg_stat_activity est figé
    à la première lecture : relu à neuf chaque fois."""
    cursor.execute("SELECT pg_stat_clear_snapshot()")
    cursor.execute(BLOCKED_UPDATE)
    return cursor.fetchone()[0] > 0


CLOSES = [50300, 50200, 50100, 50000]
LAST_CLOSE = "50400"


def build() -> dict:
    """Le monde, dans la base de Django ; rend les identifiants utiles au test."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from apps.brokers.models import Broker, PaperBalance
    from apps.trading_engine.tests.conftest import FOLLOW_CODE
    from testing.activations import activate, new_strategy

    user = get_user_model().objects.create_user(username="moteur", password="mot-de-passe-du-moteur-42")
    broker = Broker.objects.create(user=user, name="Démo", exchange="paper")
    for currency, free in (("USDT", Decimal(10_000)), ("BTC", Decimal(0))):
        PaperBalance.objects.create(broker=broker, currency=currency, free=free)
    now = timezone.now()
    activation = activate(
        user,
        new_strategy(user, FOLLOW_CODE, name="Suiveuse"),
        broker,
        last_candle_at=now.replace(second=0, microsecond=0) - timedelta(minutes=2),  # décidée avant le test
    )
    last = now.replace(second=0, microsecond=0) - timedelta(minutes=1)
    for index, close in enumerate(CLOSES):
        _store(last - timedelta(minutes=len(CLOSES) - index), Decimal(close))
    return {
        "activation": activation.pk,
        "candle_ms": int(last.timestamp() * 1000),
        "before_ms": int((last - timedelta(minutes=1)).timestamp() * 1000),
    }


def _store(open_time, close: Decimal) -> None:
    from testing.candles import flat_candle

    flat_candle(open_time, close).save()


def store_last(candle_ms: int) -> dict:
    """Enregistre la dernière bougie (comme le heartbeat) ; rend la vague qui la publie."""
    from datetime import UTC, datetime

    from apps.core.channels import candles_event
    from testing.candles import closed_candle

    _store(datetime.fromtimestamp(candle_ms / 1000, UTC), Decimal(LAST_CLOSE))
    return candles_event([closed_candle("BTC/USDT", "1m", LAST_CLOSE, candle_ms)])


def decided(activation_id: int, candle_ms: int) -> dict:
    """Ce qui a été décidé sur la bougie : ses décisions notées, ses ordres (Aristobot et paper), la position."""
    from datetime import UTC, datetime

    from apps.brokers.models import PaperOrder
    from apps.orders.models import Position, Trade
    from apps.trading_engine.models import ActiveStrategy, Decision

    candle_at = datetime.fromtimestamp(candle_ms / 1000, UTC)
    activation = ActiveStrategy.objects.get(pk=activation_id)
    return {
        "decisions": list(
            Decision.objects.filter(activation_id=activation_id, candle_at=candle_at).values_list(
                "state", "action", "attempts"
            )
        ),
        "trades": list(
            Trade.objects.filter(client_order_id=f"strategy-{activation_id}-{candle_ms}").values_list("side", "status")
        ),
        "strategy_trades": Trade.objects.filter(active_strategy_id=activation_id, role="").count(),
        "paper_orders": PaperOrder.objects.filter(broker_id=activation.broker_id).count(),
        "positions": list(Position.objects.filter(active_strategy_id=activation_id).values_list("status", flat=True)),
        "last_decision": activation.last_decision,
        "last_candle_ms": int(activation.last_candle_at.timestamp() * 1000) if activation.last_candle_at else None,
    }


class EngineProcess:
    """`manage.py run_trading_engine` sur la base `database_url`, dans son groupe de processus."""

    def __init__(self, database_url: str, log_path: Path):
        self.database_url, self.log_path = database_url, log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> "EngineProcess":
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "run_trading_engine"],
                cwd=BACKEND,
                env=dict(os.environ, DATABASE_URL=self.database_url, PYTHONUNBUFFERED="1"),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> int:
        """SIGTERM ; rend le code de sortie (0 : arrêt propre)."""
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()
            return -9

    def log(self) -> str:
        return self.log_path.read_text()[-4000:]


def every_few_seconds(action, seconds: float = 3.0):
    """`action` tout de suite puis au plus toutes les `seconds` (une vague republiée tant que le moteur n'écoute pas
    encore ; une vague en trop n'est pas décidée deux fois)."""
    last = [0.0]

    def maybe() -> None:
        if time.monotonic() - last[0] >= seconds:
            last[0] = time.monotonic()
            action()

    return maybe


if __name__ == "__main__":
    import django

    django.setup()
    command, *numbers = sys.argv[1:]
    found = {"build": build, "store_last": store_last, "decided": decided}[command](*map(int, numbers))
    print(json.dumps(found))
