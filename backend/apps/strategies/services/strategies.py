"""Création, modification et suppression des stratégies d'un utilisateur."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.strategies.models import Strategy
from apps.strategies.services.activity import is_strategy_active
from apps.strategies.services.testing import check_code, record_test

_FIELDS = ("name", "description", "code", "timeframe")


def _save_tested(strategy: Strategy, *, retest: bool) -> Strategy:
    try:
        with transaction.atomic():
            strategy.save()
    except IntegrityError:
        raise ValidationError(f"Vous avez déjà une stratégie nommée « {strategy.name} ».") from None
    if retest:
        report = check_code(user_id=strategy.user_id, code=strategy.code, timeframe=strategy.timeframe)
        record_test(strategy=strategy, report=report)
    return strategy


def strategy_create(*, user, data: dict) -> Strategy:
    """Enregistre une stratégie, même si son code est invalide (alors is_valid faux et l'erreur gardée)."""
    strategy = Strategy(user=user, **{k: v for k, v in data.items() if k in _FIELDS})
    return _save_tested(strategy, retest=True)


def strategy_update(*, strategy: Strategy, data: dict) -> Strategy:
    """Modifie une stratégie ; un code ou une unité de temps changés sont testés à nouveau."""
    retest = any(k in data and data[k] != getattr(strategy, k) for k in ("code", "timeframe"))
    for key in _FIELDS:
        if key in data:
            setattr(strategy, key, data[key])
    return _save_tested(strategy, retest=retest)


def strategy_delete(*, strategy: Strategy) -> None:
    """Supprime la stratégie ; refusé tant qu'elle est active dans le Trading BOT."""
    if is_strategy_active(strategy=strategy):
        raise ValidationError(
            f"La stratégie « {strategy.name} » est active dans le Trading BOT : arrêtez-la avant de la supprimer."
        )
    strategy.delete()
