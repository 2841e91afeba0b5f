"""Le paquet `aristobot` que voit le code utilisateur : seulement strategies, indicators et utils.

Le vrai `aristobot` est le projet Django (réglages) : le runner ne l'importe jamais ; il inscrit à sa place
dans `sys.modules` un paquet synthétique dont les sous-modules sont ceux de `apps/strategies/contract/`.
"""

import sys
import types

from apps.strategies.contract import base, helpers, indicators

_SUBMODULES = {"strategies": base, "indicators": indicators, "utils": helpers}
ALIASED_MODULES = frozenset(module.__name__ for module in _SUBMODULES.values()) | {"aristobot"}


def install_aliases() -> None:
    package = types.ModuleType("aristobot", "Le contrat des stratégies d'Aristobot.")
    package.__path__ = []
    for short, module in _SUBMODULES.items():
        setattr(package, short, module)
        sys.modules[f"aristobot.{short}"] = module
    sys.modules["aristobot"] = package
