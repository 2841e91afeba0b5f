"""Pas de test chronométré (CLAUDE.md, « Tests ») : un objectif de vitesse se montre par un banc dans `bench/`, un
test affirme l'issue. Cherché dans les tests : un `assert` qui borne par le haut une durée lue à l'horloge
(`time.monotonic() - début < 3`, ou une variable qui la garde)."""

import ast
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[3]
CLOCKS = {"monotonic", "monotonic_ns", "perf_counter", "perf_counter_ns", "time"}


def _reads_clock(node: ast.AST) -> bool:
    return any(
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr in CLOCKS
        and isinstance(call.func.value, ast.Name)
        and call.func.value.id == "time"
        for call in ast.walk(node)
    )


def _is_duration(node: ast.AST, names: set[str]) -> bool:
    return any(
        (isinstance(part, ast.BinOp) and isinstance(part.op, ast.Sub) and _reads_clock(part))
        or (isinstance(part, ast.Name) and part.id in names)
        for part in ast.walk(node)
    )


def timed_assertions(source: str) -> list[int]:
    """Les lignes des `assert` de `source` qui bornent une durée par le haut."""
    tree = ast.parse(source)
    durations = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and _is_duration(node.value, set()):
            durations |= {target.id for target in node.targets if isinstance(target, ast.Name)}
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Assert):
            continue
        for compare in (part for part in ast.walk(node.test) if isinstance(part, ast.Compare)):
            sides = [compare.left, *compare.comparators]
            for op, left, right in zip(compare.ops, sides, sides[1:]):
                below = isinstance(op, (ast.Lt, ast.LtE)) and _is_duration(left, durations)
                above = isinstance(op, (ast.Gt, ast.GtE)) and _is_duration(right, durations)
                if below or above:
                    lines.append(node.lineno)
    return lines


def _test_files() -> list[Path]:
    in_apps = [path for path in (BACKEND / "apps").rglob("*.py") if "tests" in path.parts]
    return in_apps + [*(BACKEND / "scripts_tests").rglob("*.py"), *(BACKEND / "e2e").rglob("*.py")]


def test_the_finder_sees_a_timed_assertion_and_spares_a_deadline():
    source = (
        "started = time.monotonic()\nelapsed = time.monotonic() - started\nassert elapsed < 2\n"
        "assert time.perf_counter() - started <= 1\nassert 0.15 <= time.monotonic() - started\n"
        "assert time.monotonic() < deadline\nassert starts[1] - starts[0] > 0.8\n"
    )
    assert timed_assertions(source) == [3, 4]


def test_no_test_bounds_a_measured_duration():
    found = [
        f"{path.relative_to(BACKEND)}:{line}"
        for path in _test_files()
        for line in timed_assertions(path.read_text(encoding="utf-8"))
    ]
    assert found == []
