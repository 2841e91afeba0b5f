"""Sessions de test en parallèle : chaque session (ARISTOBOT_TEST_DB_SUFFIX) et chaque worker pytest-xdist
(PYTEST_XDIST_WORKER, ex. « gw2 ») a ses propres bases ; `scripts/test.py` lui donne aussi sa base Redis."""

import os


def test_database_name(base: str) -> str:
    """`base` suivi du suffixe de session puis du worker : aristobot_r27_gw1."""
    parts = [base, os.environ.get("ARISTOBOT_TEST_DB_SUFFIX", ""), os.environ.get("PYTEST_XDIST_WORKER", "")]
    return "_".join(part for part in parts if part)
