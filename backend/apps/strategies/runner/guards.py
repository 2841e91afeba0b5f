"""Les gardes d'exécution du code compilé par RestrictedPython : builtins permis, import, attributs, écritures.

Utilisé seulement dans le runner. Un refus lève `SandboxViolation` (message français).
"""
import builtins
import importlib
import operator
import sys
import types
from decimal import Decimal

from RestrictedPython.Guards import guarded_iter_unpack_sequence, guarded_unpack_sequence, raise_, safer_getattr
from RestrictedPython.PrintCollector import PrintCollector

from apps.strategies.runner.aliases import ALIASED_MODULES
from apps.strategies.runner.policy import MEMORY_UNSAFE_NAMES, module_allowed


class SandboxViolation(RuntimeError):
    """Action refusée par le bac à sable (import, fichier, réseau, attribut interne…)."""


_HIDDEN_TYPES = (types.FrameType, types.CodeType, types.TracebackType)


def _module_allowed(module: types.ModuleType) -> bool:
    name = getattr(module, "__name__", "")
    return module_allowed(name) or name in ALIASED_MODULES


def guarded_getattr(obj, name, default=raise_):
    """getattr de RestrictedPython, qui refuse en plus d'atteindre un module non permis (pd.io.common.os…)
    et les cadres, codes et tracebacks."""
    if name in MEMORY_UNSAFE_NAMES:
        raise SandboxViolation(f"Attribut interdit « {name} » : accès direct à la mémoire.")
    try:
        value = safer_getattr(obj, name, default)
    except NotImplementedError as exc:
        raise SandboxViolation(f"Interdit dans une stratégie : {exc}") from None
    except AttributeError as exc:
        if isinstance(name, str) and name.startswith("_"):
            raise SandboxViolation(f"Attribut interdit « {name} » : les attributs commençant par « _ » sont réservés.") from None
        raise exc from None
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
        if item.startswith("_") or item in MEMORY_UNSAFE_NAMES or (
                name == "aristobot" and not module_allowed(f"aristobot.{item}")):
            raise SandboxViolation(f"Import interdit : « {name}.{item} ».")
    module = sys.modules.get(name) or importlib.import_module(name)
    return sys.modules[name.partition(".")[0]] if not fromlist else module


def guarded_write(obj):
    """Écriture d'attribut ou d'élément : permise sauf sur les modules et les classes qui ne sont pas de l'utilisateur."""
    if isinstance(obj, types.ModuleType) or (isinstance(obj, type) and obj.__module__ != USER_MODULE):
        raise SandboxViolation("Modification interdite d'un module ou d'une classe fournie.")
    return obj


_INPLACE = {
    "+=": operator.iadd, "-=": operator.isub, "*=": operator.imul, "/=": operator.itruediv,
    "//=": operator.ifloordiv, "%=": operator.imod, "**=": operator.ipow, "<<=": operator.ilshift,
    ">>=": operator.irshift, "&=": operator.iand, "|=": operator.ior, "^=": operator.ixor, "@=": operator.imatmul,
}


def _inplacevar(op, x, y):
    return _INPLACE[op](x, y)


def _getitem(obj, key):
    return obj[key]


def _apply(func, *args, **kwargs):
    return func(*args, **kwargs)


USER_MODULE = "strategie_utilisateur"

_BUILTIN_NAMES = (
    "abs all any ascii bin bool bytes callable chr complex dict divmod enumerate filter float format frozenset "
    "hash hex id int isinstance issubclass iter len list map max min next oct ord pow print range repr "
    "reversed round set slice sorted str sum super tuple zip classmethod staticmethod property object bytearray "
    "ArithmeticError AssertionError AttributeError Exception FloatingPointError IndexError KeyError "
    "LookupError MemoryError NameError NotImplementedError OverflowError RecursionError RuntimeError "
    "StopIteration TypeError ValueError ZeroDivisionError True False None NotImplemented Ellipsis"
).split()


def restricted_builtins() -> dict:
    table = {name: getattr(builtins, name) for name in _BUILTIN_NAMES}
    table.update({
        "__build_class__": builtins.__build_class__,
        "__import__": guarded_import,
        "getattr": guarded_getattr,
        "hasattr": guarded_hasattr,
        "_getattr_": guarded_getattr,
    })
    return table


def restricted_globals() -> dict:
    """Espace de noms d'un module de stratégie : builtins réduits, gardes de RestrictedPython, Decimal."""
    return {
        "__builtins__": restricted_builtins(),
        "__name__": USER_MODULE,
        "__metaclass__": type,
        "_getattr_": guarded_getattr,
        "_getitem_": _getitem,
        "_getiter_": iter,
        "_write_": guarded_write,
        "_print_": PrintCollector,
        "_inplacevar_": _inplacevar,
        "_apply_": _apply,
        "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
        "_unpack_sequence_": guarded_unpack_sequence,
        "Decimal": Decimal,
    }
