"""Les gardes d'exécution du code compilé par RestrictedPython : builtins permis, import, attributs, écritures.

Utilisé seulement dans le runner. Un refus lève `SandboxViolation` (message français).
"""

import builtins
import functools
import importlib
import inspect
import operator
import string
import sys
import types
from decimal import Decimal

import numpy as np
from RestrictedPython.Guards import _FORMATTER_UNSAFE_METHODS, raise_
from RestrictedPython.PrintCollector import PrintCollector
from RestrictedPython.transformer import INSPECT_ATTRIBUTES

from apps.strategies.contract.base import Indicators, Strategy
from apps.strategies.runner.aliases import ALIASED_MODULES
from apps.strategies.runner.policy import (
    ALLOWED_FUNCTION_NAMES,
    DISPATCH_METHODS,
    FUNCTION_PARAMETERS,
    UNGUARDED_NAMES,
    dispatch_refusal,
    module_allowed,
)


class SandboxViolation(RuntimeError):
    """Action refusée par le bac à sable (import, fichier, réseau, attribut interne…)."""


_HIDDEN_TYPES = (types.FrameType, types.CodeType, types.TracebackType)
_GUARDED_VALUES = (types.ModuleType, *_HIDDEN_TYPES)
_OWN_TYPES = (Strategy, Indicators)
_DENIED_NAMES = INSPECT_ATTRIBUTES | UNGUARDED_NAMES.keys()
_FORMAT_NAMES = frozenset({"format", "format_map"})
_FORMATTER_NAMES = _FORMATTER_UNSAFE_METHODS | _FORMAT_NAMES
# Noms qui ne sont refusés que sur certains objets : format des textes, `base` d'un tableau numpy (la vue
# `self.ind.x` ou `self.candles` y retrouverait la série entière, bougies futures comprises).
_TYPED_NAMES = _FORMATTER_NAMES | {"base"}
_CHECKED_NAMES = _TYPED_NAMES | DISPATCH_METHODS


def _module_allowed(module: types.ModuleType) -> bool:
    name = getattr(module, "__name__", "")
    return module_allowed(name) or name in ALIASED_MODULES


def _refuse_name(obj, name) -> None:
    if type(name) is not str:
        raise TypeError("Un nom d'attribut doit être un texte.")
    if name.startswith("_"):
        raise SandboxViolation(f"Attribut interdit « {name} » : les attributs commençant par « _ » sont réservés.")
    if name in UNGUARDED_NAMES:
        raise SandboxViolation(f"Attribut interdit « {name} » : {UNGUARDED_NAMES[name]}.")
    if name in INSPECT_ATTRIBUTES:
        raise SandboxViolation(f"Attribut interdit « {name} » : objet interne de Python.")
    if name in _FORMATTER_NAMES and (
        isinstance(obj, (str, string.Formatter))
        or obj is string
        or (isinstance(obj, type) and issubclass(obj, (str, string.Formatter)))
    ):
        raise SandboxViolation(f"Interdit dans une stratégie : « {name} » sur un texte (format est dangereux).")
    if name == "base" and isinstance(obj, np.ndarray):
        raise SandboxViolation(
            "Interdit dans une stratégie : « base » d'un tableau (elle montrerait les bougies futures)."
        )


def guarded_getattr(obj, name, default=raise_):
    """getattr sûr (mêmes refus que RestrictedPython : noms privés, introspection, str.format), qui refuse
    en plus d'atteindre un module non permis (pd.io.common.os…), les cadres, codes et tracebacks, et
    les accès directs à la mémoire de numpy."""
    if type(name) is not str or name[:1] == "_" or name in _DENIED_NAMES or name in _TYPED_NAMES:
        _refuse_name(obj, name)
    value = _checked(getattr(obj, name) if default is raise_ else getattr(obj, name, default), name)
    return _dispatch_guarded(value, name) if name in DISPATCH_METHODS else value


def guarded_attribute(obj, name: str):
    """`obj.nom` dans le code compilé (`_getattr_`) : le nom, écrit en toutes lettres, a déjà passé la
    politique ; restent le format des textes et la valeur obtenue."""
    if isinstance(obj, _OWN_TYPES):
        # La stratégie et ses indicateurs ne rendent que ce que le code utilisateur a déjà pu atteindre.
        return getattr(obj, name)
    if name in _CHECKED_NAMES:
        if name in DISPATCH_METHODS:
            return _dispatch_guarded(getattr(obj, name), name)
        _refuse_name(obj, name)
    value = getattr(obj, name)
    return _checked(value, name) if isinstance(value, _GUARDED_VALUES) else value


def _dispatch_guarded(method, name: str):
    """apply / agg / transform / pipe… : la fonction donnée par son nom doit être une réduction permise."""
    if not callable(method):
        return method

    @functools.wraps(method)
    def call(*args, **kwargs):
        for value in _function_arguments(method, name, args, kwargs):
            _check_function_names(name, value)
        return method(*args, **kwargs)

    return call


def _function_arguments(method, name: str, args: tuple, kwargs: dict) -> list:
    """Les arguments qui désignent la fonction à appeler ; tous les arguments si la signature est illisible."""
    function, bound_to = getattr(method, "__func__", method), getattr(method, "__self__", None)
    try:
        signature = _signature(function)
    except TypeError:  # objet appelable non hachable
        signature = None
    if signature is None:
        return [*args, *kwargs.values()]
    try:
        arguments = signature.bind(*((bound_to,) if bound_to is not None else ()), *args, **kwargs).arguments
    except TypeError:
        return [*args, *kwargs.values()]
    values = [arguments[p] for p in FUNCTION_PARAMETERS if p in arguments]
    if name in ("agg", "aggregate"):  # agrégations nommées : agg(haut=("high", "max"))
        for parameter in signature.parameters.values():
            if parameter.kind is parameter.VAR_KEYWORD:
                values += [
                    v[1] for v in arguments.get(parameter.name, {}).values() if isinstance(v, tuple) and len(v) == 2
                ]
    return values


@functools.lru_cache(maxsize=256)
def _signature(function):
    try:
        return inspect.signature(function)
    except (TypeError, ValueError):
        return None


def _check_function_names(method: str, value) -> None:
    if isinstance(value, str):
        if value not in ALLOWED_FUNCTION_NAMES:
            raise SandboxViolation(dispatch_refusal(method, value))
    elif isinstance(value, (list, tuple)):
        for item in value:
            _check_function_names(method, item)
    elif isinstance(value, dict):
        for item in value.values():
            _check_function_names(method, item)


def _checked(value, name: str):
    if isinstance(value, types.ModuleType) and not _module_allowed(value):
        raise SandboxViolation(f"Module interdit dans une stratégie : « {value.__name__} ».")
    if isinstance(value, _HIDDEN_TYPES):
        raise SandboxViolation(f"Attribut interdit « {name} » : objet interne de Python.")
    return value


def guarded_hasattr(obj, name) -> bool:
    try:
        guarded_getattr(obj, name)
    except (AttributeError, SandboxViolation):
        return False
    return True


def guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
    if level or not (module_allowed(name) or (name == "aristobot" and fromlist)):
        raise SandboxViolation(f"Import interdit : « {name} ».")
    for item in fromlist or ():
        if (
            item.startswith("_")
            or item in UNGUARDED_NAMES
            or item in DISPATCH_METHODS
            or (name == "aristobot" and not module_allowed(f"aristobot.{item}"))
        ):
            raise SandboxViolation(f"Import interdit : « {name}.{item} ».")
    module = sys.modules.get(name) or importlib.import_module(name)
    return sys.modules[name.partition(".")[0]] if not fromlist else module


def guarded_write(obj):
    """Écriture d'attribut ou d'élément : permise sauf sur les modules et les classes qui ne sont pas de
    l'utilisateur."""
    if isinstance(obj, types.ModuleType) or (isinstance(obj, type) and obj.__module__ != USER_MODULE):
        raise SandboxViolation("Modification interdite d'un module ou d'une classe fournie.")
    return obj


_INPLACE = {
    "+=": operator.iadd,
    "-=": operator.isub,
    "*=": operator.imul,
    "/=": operator.itruediv,
    "//=": operator.ifloordiv,
    "%=": operator.imod,
    "**=": operator.ipow,
    "<<=": operator.ilshift,
    ">>=": operator.irshift,
    "&=": operator.iand,
    "|=": operator.ior,
    "^=": operator.ixor,
    "@=": operator.imatmul,
}


def _inplacevar(op, x, y):
    return _INPLACE[op](x, y)


def _apply(func, *args, **kwargs):
    return func(*args, **kwargs)


USER_MODULE = "strategie_utilisateur"

_BUILTIN_NAMES = [
    "abs",
    "all",
    "any",
    "ascii",
    "bin",
    "bool",
    "bytes",
    "callable",
    "chr",
    "complex",
    "dict",
    "divmod",
    "enumerate",
    "filter",
    "float",
    "format",
    "frozenset",
    "hash",
    "hex",
    "id",
    "int",
    "isinstance",
    "issubclass",
    "iter",
    "len",
    "list",
    "map",
    "max",
    "min",
    "next",
    "oct",
    "ord",
    "pow",
    "print",
    "range",
    "repr",
    "reversed",
    "round",
    "set",
    "slice",
    "sorted",
    "str",
    "sum",
    "super",
    "tuple",
    "zip",
    "classmethod",
    "staticmethod",
    "property",
    "object",
    "bytearray",
    "ArithmeticError",
    "AssertionError",
    "AttributeError",
    "Exception",
    "FloatingPointError",
    "IndexError",
    "KeyError",
    "LookupError",
    "MemoryError",
    "NameError",
    "NotImplementedError",
    "OverflowError",
    "RecursionError",
    "RuntimeError",
    "StopIteration",
    "TypeError",
    "ValueError",
    "ZeroDivisionError",
    "True",
    "False",
    "None",
    "NotImplemented",
    "Ellipsis",
]


def restricted_builtins() -> dict:
    table = {name: getattr(builtins, name) for name in _BUILTIN_NAMES}
    table.update(
        {
            "__build_class__": builtins.__build_class__,
            "__import__": guarded_import,
            "getattr": guarded_getattr,
            "hasattr": guarded_hasattr,
        }
    )
    return table


def restricted_globals() -> dict:
    """Espace de noms d'un module de stratégie : builtins réduits, gardes de RestrictedPython, Decimal."""
    return {
        "__builtins__": restricted_builtins(),
        "__name__": USER_MODULE,
        "__metaclass__": type,
        "_getattr_": guarded_attribute,
        "_getitem_": operator.getitem,
        "_getiter_": iter,
        "_write_": guarded_write,
        "_print_": PrintCollector,
        "_inplacevar_": _inplacevar,
        "_apply_": _apply,
        "Decimal": Decimal,
    }
