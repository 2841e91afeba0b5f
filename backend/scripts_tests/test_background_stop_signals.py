"""`python run.py &` : lancé en arrière-plan, SIGINT est ignoré au départ et Python n'installe pas son
gestionnaire ; run.py installe les siens, donc `kill -INT` (comme `kill -TERM`) arrête tout proprement, comme
Ctrl-C, et une seule fois."""

import signal
import subprocess
import sys
import textwrap

import pytest

from scripts_tests.conftest import ROOT, SCRIPTS, Output, alive, cp850_env, kill_all, started_pids

# L'étape lancée par le run.py de la racine (comme scripts/run.py) : ses gestionnaires, puis le superviseur.
CHILD = textwrap.dedent(f"""
    import sys
    from pathlib import Path
    sys.path.append({str(SCRIPTS)!r})
    from supervisor import Service, Supervisor, stop_on_signals
    stop_on_signals()
    python = sys.executable
    sys.exit(Supervisor([
        Service("steady", [python, "-c", "import time; print('prêt', flush=True); time.sleep(600)"], Path(".")),
    ], grace_seconds=2).run())
""")
# Le run.py de la racine, qui lance l'étape suivante par run_child.
LAUNCHER = textwrap.dedent(f"""
    import importlib.util, sys
    spec = importlib.util.spec_from_file_location("run_entry", {str(ROOT / "run.py")!r})
    entry = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(entry)
    sys.exit(entry.run_child([sys.executable, sys.argv[1]]))
""")


def _ignore_sigint() -> None:  # ce que fait un shell sans contrôle des tâches pour `commande &`
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_a_background_run_stops_cleanly_on_kill(tmp_path, stop):
    (tmp_path / "child.py").write_text(CHILD, encoding="utf-8")
    (tmp_path / "launcher.py").write_text(LAUNCHER, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, str(tmp_path / "launcher.py"), str(tmp_path / "child.py")],
        cwd=tmp_path,
        env=cp850_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=_ignore_sigint,
    )
    output = Output(process.stdout)
    try:
        output.wait_for("steady | prêt", seconds=30)
        children = started_pids(output)
        process.send_signal(stop)
        assert process.wait(timeout=20) == 0, output.text
        output.thread.join(5)
        assert len(output.matching("arrêt de tous les services")) == 1, output.text
        assert "Traceback" not in output.text, output.text
        assert [pid for pid in children if alive(pid)] == []
    finally:
        kill_all(process, started_pids(output))
