"""Le « Tester » : politique de compilation, puis exécution à blanc de chaque méthode dans le runner."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from apps.strategies.models import Strategy
from apps.strategies.runner.client import CodeRefused, RunnerError, StrategyFailed
from apps.strategies.runner.policy import CodeError, compile_strategy
from apps.strategies.runner.sample import generated_candles
from apps.strategies.selectors import latest_candles
from apps.strategies.services.runners import runner_for
from apps.strategies.services.versions import record_version

DRY_RUN_CANDLES = 1000
DRY_RUN_TIMEOUT_SECONDS = 2.0
_MINUTES = {"1m": 1, "3m": 3, "5m": 5, "10m": 10, "15m": 15, "1h": 60, "2h": 120, "4h": 240}


@dataclass
class CheckReport:
    ok: bool
    class_name: str | None = None
    errors: list[CodeError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dry_run: dict | None = None

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "errors": [e.as_dict() for e in self.errors],
            "class": self.class_name,
            "warnings": self.warnings,
            "dry_run": self.dry_run,
        }

    def error_text(self) -> str:
        return "\n".join(f"Ligne {e.line} : {e.message}" if e.line else e.message for e in self.errors)


def check_code(*, user_id: int, code: str, timeframe: str) -> CheckReport:
    """Compile `code` sous la politique puis l'exécute à blanc sur les bougies de `timeframe`
    (les dernières stockées, sinon générées) dans le runner de l'utilisateur, en 2 s au plus."""
    _, class_name, errors = compile_strategy(code)
    if errors:
        return CheckReport(ok=False, errors=errors)
    step_ms = _MINUTES[timeframe] * 60_000
    symbol, candles = latest_candles(timeframe=timeframe, limit=DRY_RUN_CANDLES)
    if candles is None or len(candles["time"]) < 2:
        symbol, candles = None, generated_candles(DRY_RUN_CANDLES, step_ms=step_ms)
    try:
        result = _dry_run(user_id, code, candles)
        if result["decisions"] == 0:
            # Trop peu de bougies stockées pour passer `warmup` : des bougies générées, assez pour décider.
            symbol = None
            count = max(DRY_RUN_CANDLES, result["warmup"] + DRY_RUN_CANDLES // 10)
            result = _dry_run(user_id, code, generated_candles(count, step_ms=step_ms))
    except CodeRefused as exc:
        return CheckReport(ok=False, class_name=class_name, errors=exc.errors)
    except StrategyFailed as exc:
        return CheckReport(ok=False, class_name=class_name, errors=[exc.as_code_error()])
    except RunnerError as exc:
        return CheckReport(ok=False, class_name=class_name, errors=[CodeError(None, None, exc.message)])
    dry_run = {
        "candles": result["candles"],
        "warmup": result["warmup"],
        "decisions": result["decisions"],
        "signals": result["signals"],
        "ms": result["ms"],
        "symbol": symbol,
        "generated": symbol is None,
    }
    return CheckReport(ok=True, class_name=result["class"], warnings=result["warnings"], dry_run=dry_run)


def _dry_run(user_id: int, code: str, candles: dict) -> dict:
    return runner_for(user_id).call("dry_run", {"code": code}, candles, timeout=DRY_RUN_TIMEOUT_SECONDS)


@transaction.atomic
def record_test(*, strategy: Strategy, report: CheckReport) -> Strategy:
    strategy.is_valid = report.ok
    strategy.error_message = report.error_text()
    strategy.last_tested_at = timezone.now()
    strategy.save(update_fields=["is_valid", "error_message", "last_tested_at", "updated_at"])
    record_version(strategy=strategy, is_valid=report.ok, error_message=strategy.error_message)
    return strategy


def strategy_test(*, strategy: Strategy) -> CheckReport:
    """« Tester » une stratégie enregistrée : le résultat est gardé (is_valid, error_message, last_tested_at)."""
    report = check_code(user_id=strategy.user_id, code=strategy.code, timeframe=strategy.timeframe)
    record_test(strategy=strategy, report=report)
    return report
