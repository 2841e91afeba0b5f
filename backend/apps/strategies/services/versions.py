"""Les versions d'une stratégie : chaque code passé par « Tester » est gardé avec son résultat. Une activation
lance la version testée du moment et la garde ; elle passe à une version plus récente seulement si celle-ci a
passé « Tester »."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.strategies.models import Strategy, StrategyVersion
from apps.strategies.runner.loader import code_hash


def record_version(*, strategy: Strategy, is_valid: bool, error_message: str = "") -> StrategyVersion:
    """Le résultat du test du code actuel de `strategy`, gardé dans sa version (créée au premier test)."""
    version, _ = StrategyVersion.objects.update_or_create(
        strategy=strategy,
        code_hash=code_hash(strategy.code),
        defaults={
            "code": strategy.code,
            "is_valid": is_valid,
            "error_message": error_message,
            "tested_at": timezone.now(),
        },
    )
    return version


def current_hash(strategy: Strategy) -> str:
    return code_hash(strategy.code)


def tested_version(*, strategy: Strategy) -> StrategyVersion:
    """La version du code actuel de `strategy`, s'il a passé « Tester » ; sinon ValidationError en français."""
    version = StrategyVersion.objects.filter(strategy=strategy, code_hash=current_hash(strategy)).first()
    if version is None or not version.is_valid:
        raise ValidationError(
            f"La version actuelle de « {strategy.name} » n'a pas passé « Tester » : testez-la avant de l'utiliser."
        )
    return version
