"""Le superviseur seul, avec de petits processus : attente croissante entre deux relances, remise à zéro
après une minute stable, les autres services intouchés, sortie d'un enfant hors cp850 sans plantage,
Ctrl-C qui arrête tout (et tue celui qui ignore SIGTERM)."""

import io
import os
import signal
import socket
import subprocess
import sys
import textwrap

import pytest
from processes import ensure_ports_free, listening_ports
from supervisor import Console, Service, Supervised, restart_delay

from scripts_tests.conftest import ROOT, SCRIPTS, Output, alive, cp850_env, kill_all, started_pids

DRIVER = textwrap.dedent(f"""
    import sys
    from pathlib import Path
    sys.path.append({str(SCRIPTS)!r})
    from supervisor import Service, Supervisor
    python, here = sys.executable, Path(".")
    sys.exit(Supervisor([
        Service("crash", [python, "-c", "print('\\u2713 départ'); raise SystemExit(3)"], here),
        Service("steady", [python, "-c", "import time; print('prêt', flush=True); time.sleep(600)"], here),
        Service("stubborn", [python, "-c", "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
                                           "print('têtu', flush=True); time.sleep(600)"], here),
    ], grace_seconds=1).run())
""")


def test_restart_delays_double_up_to_thirty_seconds():
    assert [restart_delay(failures) for failures in range(1, 8)] == [1, 2, 4, 8, 16, 30, 30]


def test_delay_goes_back_to_one_second_after_a_stable_minute():
    supervised = Supervised(
        Service("quick", [sys.executable, "-c", "pass"], ROOT), Console(io.StringIO(), 5), dict(os.environ)
    )

    def crash(started: float, stopped: float) -> float:
        supervised.start(started)
        supervised.process.wait()
        supervised.check(stopped)
        return supervised.next_start - stopped

    assert [crash(0, 0.5), crash(1.5, 2), crash(4, 5)] == [1, 2, 4]
    assert crash(100, 170) == 1  # resté 70 s en vie


def start_driver(tmp_path, **popen) -> tuple[subprocess.Popen, Output]:
    """Le superviseur de DRIVER lancé dans son propre groupe, sa sortie lue au fil de l'eau."""
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, str(driver)],
        cwd=tmp_path,
        env=cp850_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        **popen,
    )
    return process, Output(process.stdout)


def test_crashing_service_backs_off_alone_and_ctrl_c_stops_everything(tmp_path):
    process, output = start_driver(tmp_path)
    try:
        # Borne large : les trois départs en moins de 20 s (attentes de 1 s puis 2 s, pas de 30).
        output.wait_for("crash    | arrêté (code 3) : relancé dans 4 s", seconds=20)
        starts = output.times_of("crash    | démarré")
        assert starts[1] - starts[0] > 0.8 and starts[2] - starts[1] > 1.8  # jamais relancé avant l'attente annoncée
        assert len(output.matching("steady   | démarré")) == 1
        assert len(output.matching("stubborn | démarré")) == 1
        output.wait_for("steady   | prêt")
        output.wait_for("stubborn | têtu")
        assert len(output.matching("crash    | ? départ")) == 3  # coche hors cp850 remplacée, pas d'erreur
        children = started_pids(output)

        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
        output.thread.join(5)
        output.wait_for("stubborn | ne s'arrête pas : tué")
        output.wait_for("steady   | arrêté (tué par SIGTERM)")
        assert "Traceback" not in output.text and "Error" not in output.text, output.text
        assert [pid for pid in children if alive(pid)] == []
    finally:
        kill_all(process, started_pids(output))


def test_ctrl_c_stops_a_supervisor_started_with_sigint_ignored(tmp_path):
    """`cmd &` dans un shell sans contrôle de travaux : SIGINT ignoré hérité ; Ctrl-C doit tout arrêter quand même."""
    process, output = start_driver(tmp_path, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    try:
        output.wait_for("steady   | prêt")
        output.wait_for("stubborn | têtu")
        children = started_pids(output)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
        assert [pid for pid in children if alive(pid)] == []
    finally:
        kill_all(process, started_pids(output))


def test_a_port_already_taken_stops_the_start_with_a_french_message():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(SystemExit, match=rf"^Le port {port} \(pour Daphne\) est déjà pris : un autre Aristobot"):
            ensure_ports_free(listening_ports(web_port=port, frontend=False))
    ensure_ports_free(listening_ports(web_port=port, frontend=False))
