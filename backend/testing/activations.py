"""Stratégies testées et activations en marche posées directement en base (sans « Tester » ni « Lancer ») : pour
les tests et le monde du moteur (`trading_engine/tests/engine_world.py`)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from apps.strategies.models import Strategy, StrategyVersion
from apps.strategies.services.versions import current_hash, record_version
from apps.trading_engine.models import ActiveStrategy
from testing.strategy_code import SMA_CROSS


def new_strategy(user, code: str = SMA_CROSS, *, name: str = "SMA", timeframe: str = "1m", is_valid: bool = True):
    """Une stratégie de `user` dont le code actuel est passé par « Tester » (version enregistrée, `is_valid`)."""
    strategy = Strategy.objects.create(user=user, name=name, code=code, timeframe=timeframe, is_valid=is_valid)
    record_version(strategy=strategy, is_valid=is_valid)
    return strategy


def activate(user, strategy, broker, *, symbol="BTC/USDT", amount="500", timeframe="1m", **fields) -> ActiveStrategy:
    """Une activation en marche depuis une heure et pour un jour encore, de `amount` (solde compris), sur la version
    du code actuel de `strategy` (enregistrée comme testée si elle ne l'a jamais été) ; `fields` : les autres
    colonnes d'ActiveStrategy (dates, état, solde…)."""
    version = StrategyVersion.objects.filter(strategy=strategy, code_hash=current_hash(strategy)).first()
    now = timezone.now()
    values = {
        "version": version or record_version(strategy=strategy, is_valid=True),
        "symbol": symbol,
        "timeframe": timeframe,
        "start_date": now - timedelta(hours=1),
        "end_date": now + timedelta(days=1),
        "initial_amount": Decimal(amount),
        "current_balance": Decimal(amount),
        **fields,
    }
    return ActiveStrategy.objects.create(user=user, strategy=strategy, broker=broker, **values)
