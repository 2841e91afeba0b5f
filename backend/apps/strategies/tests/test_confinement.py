"""Le confinement du runner par le système, éprouvé *en supposant les couches Python percées* : le runner de
test (`testing/runner_probe.py`) exécute du Python sans politique, sans gardes, sans crochet d'audit.
Chaque couche est aussi éprouvée seule (les autres supposées en panne). Les tests lisent l'état réel du noyau
(Landlock, seccomp, espaces de noms) et échouent s'il manque quelque chose : ici (Linux 6.x, root dans un
conteneur) tout est disponible, et c'est ce qui est exigé."""

import os
import socket
import time
from pathlib import Path

import pytest
from django.conf import settings

from apps.accounts.models import DEV_USERNAME, User
from apps.strategies.runner.client import RunnerError, StrategyRunner
from apps.strategies.runner.confinement import BACKEND_DIR, LAYERS, kernel_support, landlock_abi, read_only_paths
from apps.strategies.services import runners
from apps.strategies.services.runners import confinement_required

REPOSITORY = BACKEND_DIR.parent
PROBE = "testing.runner_probe"


@pytest.fixture
def secret_files():
    """Des fichiers lisibles par le processus principal : `.env` du dépôt (s'il existe), un fichier de
    `backend/.data/` et un témoin à la racine du dépôt."""
    data_dir = BACKEND_DIR / ".data"
    created_dir = not data_dir.exists()
    data_dir.mkdir(exist_ok=True)
    witnesses = [data_dir / "temoin-confinement.txt", REPOSITORY / ".env.temoin-confinement"]
    for path in witnesses:
        path.write_text("SECRET=temoin\n")
    files = witnesses + ([REPOSITORY / ".env"] if (REPOSITORY / ".env").exists() else [])
    for path in files:
        assert path.read_bytes()  # lisible d'ici
    yield files
    for path in witnesses:
        path.unlink()
    if created_dir:
        data_dir.rmdir()


def probe(*layers):
    return StrategyRunner(module=PROBE, layers=layers or LAYERS)


def run(runner, code: str):
    return runner.call("run", {"code": code}, timeout=30)["value"]


def refused(runner, code: str) -> str:
    with pytest.raises(RunnerError) as caught:
        run(runner, code)
    return caught.value.message


@pytest.fixture
def listening_port():
    """Un port TCP ouvert sur la boucle locale (tient lieu de Daphne)."""
    server = socket.create_server(("127.0.0.1", 0))
    yield server.getsockname()[1]
    server.close()


def app_ports(listening_port) -> list[int]:
    ports = [listening_port]
    for url in (settings.DATABASES["default"], settings.REDIS_URL):
        port = url.get("PORT") if isinstance(url, dict) else url.rsplit(":", 1)[1].split("/")[0]
        ports.append(int(port))
    for port in ports:  # joignables depuis le processus principal
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    return ports


def test_the_kernel_offers_every_layer():
    assert landlock_abi() >= 4
    assert kernel_support() == {}


def test_fully_confined_runner_state():
    runner = probe()
    try:
        assert run(runner, "import os\nresult = os.getpid()") == 1  # processus 1 de son espace PID
        assert runner.confinement_missing == {}
        status = Path(f"/proc/{runner.confined_pid}/status").read_text()
        assert "\nSeccomp:\t2\n" in status and "\nNoNewPrivs:\t1\n" in status
    finally:
        runner.close()


def test_only_the_pipes_are_inherited():
    runner = StrategyRunner()
    try:
        report = runner.call("diagnostics", timeout=60)["confinement"]
        fds = report["fds"]
        assert set(fds) == {"0", "1", "2", "3"}
        assert fds["0"].startswith("pipe:") and fds["3"].startswith("pipe:")
        assert fds["1"] == fds["2"] == "/dev/null"
        assert report["missing"] == {} and report["landlock_abi"] >= 4
    finally:
        runner.close()


# --- Fichiers : Landlock seul (seccomp, espaces de noms et limites supposés en panne) ---------------------------


def test_landlock_alone_keeps_every_file_out_of_reach(secret_files):
    runner = probe("landlock")
    try:
        for path in [*secret_files, Path("/etc/passwd"), Path("/etc/hostname"), Path("/proc/1/environ")]:
            assert "Permission denied" in refused(runner, f"result = open({str(path)!r}, 'rb').read()")
            assert "Permission denied" in refused(runner, f"import os\nresult = os.open({str(path)!r}, os.O_RDONLY)")
        assert "Permission denied" in refused(runner, f"import os\nresult = os.listdir({str(REPOSITORY)!r})")
        for path in ("/tmp/evasion.txt", str(REPOSITORY / "evasion.txt"), str(BACKEND_DIR / "evasion.py")):
            assert "Permission denied" in refused(runner, f"open({path!r}, 'w').write('x')")
            assert not Path(path).exists()
        # Son dossier temporaire, lui, reste à lui ; Python et le venv se lisent (imports paresseux).
        assert run(runner, "open('note.txt', 'w').write('ok')\nresult = open('note.txt').read()") == "ok"
        assert run(runner, "import json, email.parser\nresult = 'ok'") == "ok"
    finally:
        runner.close()


def test_readable_paths_never_hold_the_repository(tmp_path):
    """Le venv peut être dans le dépôt (`.venv/`) : lisible ; le dépôt, `backend/` et leurs parents jamais."""
    venv = REPOSITORY / ".venv-temoin-confinement" / "lib" / "site-packages"
    venv.mkdir(parents=True)
    try:
        entries = [str(REPOSITORY), str(BACKEND_DIR), str(BACKEND_DIR / "apps"), str(REPOSITORY.parent), "/"]
        allowed = read_only_paths([*entries, str(venv), str(tmp_path), ""])
        assert allowed[:2] == [venv.resolve(), tmp_path.resolve()]
        assert all(path.is_relative_to(BACKEND_DIR / "apps") for path in allowed[2:])  # runner/, contract/
        assert REPOSITORY.resolve() / ".env" not in [p for p in allowed if p.is_file()]
    finally:
        for path in (venv, venv.parent, venv.parent.parent):
            path.rmdir()


def test_seccomp_alone_refuses_unix_sockets(tmp_path):
    """Une socket unix nommée (PostgreSQL en écoute aussi une) : Landlock (ABI 7) ne filtre pas leur
    connexion ; seccomp (pas de socket()) et l'espace de noms utilisateur (plus de passe-droit de root sur
    les fichiers de l'hôte) l'arrêtent."""
    tmp_path.chmod(0o777)
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "service.sock"))
    server.listen()
    code = f"import socket\ns = socket.socket(socket.AF_UNIX)\ns.connect({str(tmp_path / 'service.sock')!r})"
    runner = probe("seccomp")
    try:
        assert "Operation not permitted" in refused(runner, code)
    finally:
        runner.close()
        server.close()


def test_landlock_alone_refuses_tcp(listening_port):
    ports = app_ports(listening_port)
    runner = probe("landlock")
    try:
        for port in ports:
            message = refused(runner, f"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=5)")
            assert "Permission denied" in message, message
    finally:
        runner.close()


# --- Processus et réseau : seccomp seul ------------------------------------------------------------------------

PROCESS_ATTEMPTS = {
    "os.fork": "import os\nresult = os.fork()",
    "os.posix_spawn": "import os\nresult = os.posix_spawn('/bin/true', ['/bin/true'], {})",
    "subprocess": "import subprocess\nresult = subprocess.run(['/bin/true']).returncode",
    # preexec_fn oblige subprocess à passer par _posixsubprocess.fork_exec (le chemin de l'évasion connue)
    "_posixsubprocess.fork_exec": (
        "import subprocess\nresult = subprocess.run(['/bin/true'], preexec_fn=lambda: None).returncode"
    ),
    "os.execv": "import os\nos.execv('/bin/true', ['/bin/true'])",
    "os.system": "import os\nresult = os.system('true')",
}


@pytest.mark.parametrize("name", list(PROCESS_ATTEMPTS))
def test_seccomp_alone_refuses_new_processes(name):
    runner = probe("seccomp")
    try:
        if name == "os.system":
            assert run(runner, PROCESS_ATTEMPTS[name]) != 0  # fork refusé : -1, pas de shell
        else:
            message = refused(runner, PROCESS_ATTEMPTS[name])
            assert "Operation not permitted" in message or "Permission denied" in message, message
    finally:
        runner.close()


def test_seccomp_alone_refuses_sockets_and_ptrace(listening_port):
    ports = app_ports(listening_port)
    runner = probe("seccomp")
    try:
        for port in ports:
            message = refused(runner, f"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=5)")
            assert "Operation not permitted" in message
        assert "Operation not permitted" in refused(runner, "import socket\nsocket.socketpair()")
        assert "Operation not permitted" in refused(runner, "import os\nos.kill(1, 0)")  # pas même le parent
        ptrace = (
            "import ctypes\nlibc = ctypes.CDLL(None, use_errno=True)\n"
            "assert libc.ptrace(16, 1, 0, 0) == 0, ctypes.get_errno()"
        )
        assert "AssertionError: 1" in refused(runner, ptrace)
        # Ses propres fils restent possibles (le fil de lecture en est un).
        assert (
            run(
                runner, "import threading\nt = threading.Thread(target=len, args=[()])\nt.start(); t.join()\nresult = 1"
            )
            == 1
        )
    finally:
        runner.close()


# --- Espaces de noms seuls : réseau vide, et rien ne survit au runner --------------------------------------------


def test_namespaces_alone_leave_no_network(listening_port):
    ports = app_ports(listening_port)
    runner = probe("namespaces")
    try:
        for port in ports:
            message = refused(runner, f"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=5)")
            assert "unreachable" in message or "refused" in message, message
    finally:
        runner.close()


def _pid_namespace_members(namespace: str) -> list[int]:
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.readlink(entry / "ns" / "pid") == namespace:
                    members.append(int(entry.name))
            except OSError:
                continue
    return members


def _detached(namespace: str, runner) -> list[int]:
    """Les processus vivants de l'espace PID du runner qui ont quitté sa session."""
    alive = []
    for pid in _pid_namespace_members(namespace):
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            if state != "Z" and os.getsid(pid) != os.getsid(runner.pid):
                alive.append(pid)
        except (OSError, IndexError):
            continue
    return alive


def test_namespaces_alone_a_setsid_grandchild_dies_with_the_runner():
    runner = probe("namespaces")
    try:
        code = (
            "import os, time\n"
            "if os.fork() == 0:\n"
            "    os.setsid()\n"
            "    if os.fork() == 0:\n"
            "        time.sleep(600)\n"
            "    os._exit(0)\n"
            "result = 'lancé'"
        )
        assert run(runner, code) == "lancé"
        namespace = os.readlink(f"/proc/{runner.confined_pid}/ns/pid")
        deadline = time.monotonic() + 10
        while not (detached := _detached(namespace, runner)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert detached  # le petit-enfant vit, dans sa propre session, hors du groupe que tue killpg
    finally:
        runner.close()
    deadline = time.monotonic() + 10
    while _pid_namespace_members(namespace) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _pid_namespace_members(namespace) == []


# --- Limites seules ---------------------------------------------------------------------------------------------


def test_rlimits_alone_cap_files_and_descriptors():
    runner = probe("rlimits")
    try:
        assert "File too large" in refused(runner, "open('gros', 'wb').write(b'0' * (65 * 1024 * 1024))")
        assert "Too many open files" in refused(runner, "result = [open('/dev/null') for _ in range(100)]")
    finally:
        runner.close()


def test_missing_layer_is_reported_and_can_be_refused(caplog):
    runner = StrategyRunner(module=PROBE, layers=("seccomp",), require_confinement=True)
    try:
        with pytest.raises(RunnerError) as caught:
            run(runner, "result = 1")
        assert "sandbox dégradé" in caught.value.message and "STRATEGY_REQUIRE_CONFINEMENT" in caught.value.message
        assert runner.pid is None
    finally:
        runner.close()
    tolerant = probe("seccomp", "landlock")
    try:
        assert run(tolerant, "result = 1") == 1
        assert set(tolerant.confinement_missing) == {"namespaces", "rlimits"}
        assert "sandbox dégradé : couche « namespaces » désactivée" in caplog.text
    finally:
        tolerant.close()


# --- Réglage et état du système ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_confinement_is_required_by_default_once_another_user_exists(settings, make_user):
    settings.STRATEGY_REQUIRE_CONFINEMENT = "auto"
    make_user("proprietaire")
    make_user(DEV_USERNAME)  # le compte du mode dev ne compte pas
    assert confinement_required() is False
    make_user("alice")
    assert confinement_required() is True
    settings.STRATEGY_REQUIRE_CONFINEMENT = "false"
    assert confinement_required() is False
    settings.STRATEGY_REQUIRE_CONFINEMENT = "true"
    User.objects.exclude(username="proprietaire").delete()
    assert confinement_required() is True


@pytest.mark.django_db
def test_status_shows_a_degraded_sandbox(api, alice, monkeypatch):
    api.force_authenticate(alice)
    assert api.get("/api/status/").json()["sandbox"] is None  # ce noyau offre toutes les couches
    monkeypatch.setattr(runners, "kernel_support", lambda: {"landlock": "Landlock ABI 0 (4 requise)"})
    runners.sandbox_degraded.cache_clear()
    try:
        assert api.get("/api/status/").json()["sandbox"] == "sandbox dégradé : Landlock ABI 0 (4 requise)"
    finally:
        runners.sandbox_degraded.cache_clear()
