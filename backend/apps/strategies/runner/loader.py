"""Charge une classe de stratégie depuis son code (dans le runner seulement) : politique, exécution du
module dans l'espace restreint, une et une seule sous-classe de Strategy."""

import hashlib

from apps.strategies.contract.base import Strategy
from apps.strategies.runner.errors import PolicyRefused, from_exception
from apps.strategies.runner.guards import USER_MODULE, restricted_globals
from apps.strategies.runner.policy import CodeError, compile_strategy

_cache: dict[str, type] = {}
_CACHE_SIZE = 32


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def load_strategy_class(code: str) -> type:
    """La classe Strategy définie par `code` (gardée en cache par empreinte du code).
    Lève PolicyRefused (compilation) ou StrategyCodeError (exécution du module)."""
    key = code_hash(code)
    if key in _cache:
        return _cache[key]
    compiled, name, errors = compile_strategy(code)
    if errors:
        raise PolicyRefused(errors)
    namespace = restricted_globals()
    try:
        exec(compiled, namespace)
    except Exception as exc:
        raise from_exception(exc, method="chargement du module") from None
    classes = [
        value
        for value in namespace.values()
        if isinstance(value, type) and issubclass(value, Strategy) and value.__module__ == USER_MODULE
    ]
    if len(classes) != 1:
        raise PolicyRefused([CodeError(None, None, "Une et une seule classe dérivée de Strategy est attendue.")])
    if len(_cache) >= _CACHE_SIZE:
        _cache.pop(next(iter(_cache)))
    _cache[key] = classes[0]
    return classes[0]


def overrides_short(strategy_class: type) -> bool:
    return any(getattr(strategy_class, name) is not getattr(Strategy, name) for name in ("should_short", "go_short"))
