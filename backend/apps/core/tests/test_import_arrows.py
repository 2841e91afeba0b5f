"""Les flèches entre apps, relues dans le code de production (hors tests et migrations) : `core` n'importe aucune
app, aucune app ne revient vers elle-même par un détour (pas de cycle, même caché dans une fonction), et chaque app
n'importe que des apps placées avant elle dans FLOORS, l'ordre que donne Aristobot3.md."""

import ast
from pathlib import Path

APPS = Path(__file__).resolve().parents[2]
# Du rez-de-chaussée au dernier étage (Aristobot3.md, « Les apps ») : une flèche ne va que vers la gauche.
FLOORS = [
    "core",
    "market_data",
    "heartbeat",
    "brokers",
    "orders",
    "accounts",
    "stats",
    "trading_manual",
    "strategies",
    "risk",
    "backtest",
    "trading_engine",
    "panic",
    "webhooks",
    "alerts",
]


def app_imports() -> dict[str, set[str]]:
    """{app: apps qu'elle importe}, imports locaux aux fonctions compris."""
    graph: dict[str, set[str]] = {}
    for path in APPS.rglob("*.py"):
        parts = path.relative_to(APPS).parts
        if "tests" in parts or "migrations" in parts or len(parts) < 2:
            continue
        app = parts[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                root, _, rest = name.partition(".")
                other = rest.split(".")[0]
                if root == "apps" and other and other != app:
                    graph.setdefault(app, set()).add(other)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found, state = [], {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for other in sorted(graph.get(node, ())):
            if state.get(other) == "open":
                found.append(path[path.index(other) :] + [node, other] if other in path else [node, other])
            elif other not in state:
                visit(other, [*path, node])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    return found


def test_the_graph_is_read():
    graph = app_imports()
    assert "brokers" in graph["orders"] and "core" in graph["orders"]  # la lecture trouve de vraies flèches


def test_core_imports_no_app():
    assert app_imports().get("core", set()) == set()


def test_no_cycle_between_apps():
    assert cycles(app_imports()) == []


def test_a_cycle_is_found():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]


def test_every_app_has_a_floor():
    apps = {path.parent.name for path in APPS.glob("*/apps.py")}
    assert apps == set(FLOORS), "placez la nouvelle app dans FLOORS et dans Aristobot3.md"


def test_arrows_only_go_down():
    upward = sorted(
        f"{app} -> {other}"
        for app, others in app_imports().items()
        for other in others
        if FLOORS.index(other) > FLOORS.index(app)
    )
    assert upward == []
