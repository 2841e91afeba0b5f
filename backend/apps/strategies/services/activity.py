"""Une stratégie est-elle active (Trading BOT) ? Une stratégie lancée ne se modifie ni ne se supprime."""

from apps.strategies.models import Strategy


def is_strategy_active(*, strategy: Strategy) -> bool:
    return strategy.activations.filter(is_active=True).exists()
