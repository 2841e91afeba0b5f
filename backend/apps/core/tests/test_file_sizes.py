"""Aucun fichier Python de production (hors tests et migrations) de plus de 400 lignes : au-delà, il se découpe
par tâche (voir `apps/core/services/ccxt_manager/` ou `apps/strategies/runner/confinement/`)."""

from pathlib import Path

BACKEND = Path(__file__).resolve().parents[3]
MAX_LINES = 400


def production_files() -> list[Path]:
    return [
        path
        for folder in (BACKEND / "apps", BACKEND / "aristobot")
        for path in folder.rglob("*.py")
        if not {"tests", "migrations"} & set(path.relative_to(BACKEND).parts)
    ]


def test_production_files_are_read():
    files = production_files()
    assert BACKEND / "apps" / "orders" / "gateway.py" in files
    assert not any("tests" in path.parts for path in files)


def test_no_production_file_over_400_lines():
    sizes = {
        str(path.relative_to(BACKEND)): len(path.read_text(encoding="utf-8").splitlines())
        for path in production_files()
    }
    assert {name: lines for name, lines in sizes.items() if lines > MAX_LINES} == {}
