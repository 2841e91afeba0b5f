"""Les autres apps passent, relisent, annulent et clôturent par le service d'ordres (apps.orders.services) : jamais
par la passerelle, les positions, la protection, le grand livre ni le verrou, ses couches internes (issue 22, §5)."""

import re
from pathlib import Path

APPS = Path(__file__).resolve().parents[2]
LAYERS = r"(gateway|positions|protection|ledger|locks)\b"
INTERNALS = re.compile(rf"apps\.orders\.{LAYERS}|from apps\.orders import .*\b{LAYERS}")


def test_no_app_outside_orders_reaches_its_internal_layers():
    reaching = [
        str(path.relative_to(APPS))
        for path in APPS.rglob("*.py")
        if path.parts[len(APPS.parts)] != "orders" and "tests" not in path.parts and INTERNALS.search(path.read_text())
    ]
    assert reaching == []
