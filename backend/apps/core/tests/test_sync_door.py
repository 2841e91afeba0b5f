"""`ccxt_manager.sync` : des jumeaux écrits en entier, un par méthode asynchrone de la porte, mêmes paramètres et
même type de retour ; aucun accès dynamique (`__getattr__`) qui effacerait les types."""

import inspect

from apps.core.services.ccxt_manager import CcxtManager, SyncDoor, ccxt_manager
from apps.core.services.ccxt_manager.loop import DoorLoop


def door_methods() -> dict[str, object]:
    """Les méthodes asynchrones publiques de la porte (hors mécanique de la boucle : `on_door_loop`)."""
    return {
        name: method
        for name, method in inspect.getmembers(CcxtManager, inspect.iscoroutinefunction)
        if not name.startswith("_") and not hasattr(DoorLoop, name)
    }


def sync_methods() -> dict[str, object]:
    return {name: member for name, member in inspect.getmembers(SyncDoor) if not name.startswith("_")}


def test_the_door_is_read():
    methods = door_methods()
    assert {"balances", "create_order", "fetch_ohlcv", "market", "forget", "close_all"} <= set(methods)
    assert "on_door_loop" not in methods and "run" not in methods


def test_sync_door_has_no_dynamic_lookup():
    assert not any("__getattr__" in vars(cls) or "__getattribute__" in vars(cls) for cls in SyncDoor.__mro__[:-1])
    assert isinstance(ccxt_manager.sync, SyncDoor)


def test_every_door_method_has_a_sync_twin_and_nothing_else():
    assert set(sync_methods()) == set(door_methods())
    assert all(
        inspect.isfunction(member) and not inspect.iscoroutinefunction(member) for member in sync_methods().values()
    )


def test_each_twin_takes_the_same_parameters_and_returns_the_same_type():
    twins = sync_methods()
    for name, method in door_methods().items():
        door, twin = inspect.signature(method, eval_str=True), inspect.signature(twins[name], eval_str=True)
        assert list(twin.parameters.values()) == list(door.parameters.values()), name
        assert twin.return_annotation == door.return_annotation, name
        assert door.return_annotation is not inspect.Signature.empty, name
