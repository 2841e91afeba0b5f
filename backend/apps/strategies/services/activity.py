"""Une stratégie est-elle active (Trading BOT) ? Point d'accroche du moteur (module 7).

`ActiveStrategy` n'existe pas encore : aucune stratégie ne peut donc être active et la réponse est
toujours non. Le module 7 remplacera le corps par la requête sur ActiveStrategy (is_active).
"""

from apps.strategies.models import Strategy


def is_strategy_active(*, strategy: Strategy) -> bool:
    return False
