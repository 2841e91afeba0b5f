"""Chaque évasion tentée est refusée à la compilation ou arrêtée dans le runner ; aucune n'atteint un secret."""

from pathlib import Path

import pytest

from apps.strategies.runner.client import CodeRefused, StrategyFailed
from apps.strategies.tests.conftest import FIRST_BODY_LINE, strategy_code

SECRETS = ("SECRET_KEY", "FIELD_ENCRYPTION_KEY", "DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")

# Refusées par la politique de compilation (« Tester » les signale avec la ligne).
COMPILE_TIME = {
    "import os": ("import os\nreturn False", "Import interdit : « os »"),
    "__import__": ("return __import__('os')", "Nom interdit « __import__ »"),
    "open .env": ("return open('.env').read()", "« open » est interdit"),
    "__subclasses__": ("return ().__class__.__base__.__subclasses__()", "Attribut interdit « __subclasses__ »"),
    "getattr __globals__": ("return getattr(self.should_long, '__globals__')", "Attribut interdit « __globals__ »"),
    "eval": ("return eval('1')", "« eval » est interdit"),
    "exec": ("exec('x = 1')\nreturn False", "« exec » est interdit"),
    "django settings": ("import django\nreturn django.conf.settings.SECRET_KEY", "Import interdit : « django »"),
    "from django": ("from django.conf import settings\nreturn False", "Import interdit : « django.conf »"),
    "aristobot settings": ("from aristobot import settings\nreturn False", "Import interdit : « aristobot.settings »"),
    "socket": ("import socket\nreturn False", "Import interdit : « socket »"),
    "ctypes": ("import ctypes\nreturn False", "Import interdit : « ctypes »"),
    "sys": ("import sys\nreturn False", "Import interdit : « sys »"),
    "ctypes through numpy": ("return np.ctypeslib.ctypes", "Attribut interdit « ctypeslib »"),
    "as_strided": ("from numpy.lib.stride_tricks import as_strided\nreturn False", "Import interdit : « as_strided »"),
    "import numpy.ctypeslib": ("import numpy.ctypeslib\nreturn False", "Import interdit : « numpy.ctypeslib »"),
    "DataFrame.query": (
        "return len(self.candles.query('@pd.io.common.os.getcwd()')) > 0",
        "Attribut interdit « query »",
    ),
    "pd.eval": ("return pd.eval('1 + 1') > 0", "Attribut interdit « eval »"),
    "DummyArray": ("return np.lib.stride_tricks.DummyArray", "Attribut interdit « DummyArray »"),
    "array interface": ("return False", "Nom de méthode interdit « __array_interface__ »"),
    "generator frame": ("g = (i for i in [1])\nreturn g.gi_frame.f_back", "Attribut interdit « gi_frame »"),
}

# Passent la compilation mais sont arrêtées dans le runner (gardes ou crochet d'audit).
RUN_TIME = {
    "pd.read_csv /etc/passwd": ("return pd.read_csv('/etc/passwd')", "ouverture de fichier"),
    "pd.read_csv .env": ("return pd.read_csv('../.env')", "ouverture de fichier"),
    "pd.read_pickle": ("return pd.read_pickle('/etc/passwd')", "ouverture de fichier"),
    "np.load": ("return np.load('/etc/passwd')", "ouverture de fichier"),
    "np.save": ("np.save('x.npy', np.ones(3))\nreturn False", "ouverture de fichier"),
    "to_csv": ("self.candles.to_csv('bougies.csv')\nreturn False", "Interdit dans une stratégie"),
    "getattr computed": ("return getattr(self.should_long, '_' + '_globals__')", "Attribut interdit « __globals__ »"),
    "os through pandas": ("return pd.io.common.os.environ", "Module interdit dans une stratégie : « pandas.io »"),
    "os through pandas.core": ("return pd.core.config_init.os.environ", "Module interdit dans une stratégie : « os »"),
    "builtins through pandas": (
        "return pd.core.apply.com.builtins",
        "Module interdit dans une stratégie : « builtins »",
    ),
    "ctypes through numpy": ("return getattr(np, 'ctypes' + 'lib')", "accès direct à la mémoire"),
    "as_strided computed": ("return getattr(np.lib.stride_tricks, 'as_' + 'strided')", "accès direct à la mémoire"),
    "array ctypes": ("return getattr(np.ones(3), 'ctypes')", "accès direct à la mémoire"),
    "network through pandas": ("return pd.read_json('http://127.0.0.1:9/')", "Interdit dans une stratégie"),
    "module kept on the strategy": ("self.cache = pd.core.config_init\nreturn self.cache.os", "Module interdit"),
    "query computed": ("return getattr(self.candles, 'que' + 'ry')('close > 0')", "évaluateur d'expressions"),
    "str.format": ("return '{0.__class__}'.format(1)", "format"),
    "write a module": ("ta.sma = None\nreturn False", "Modification interdite"),
}


@pytest.mark.parametrize("name", list(COMPILE_TIME))
def test_refused_at_compile_time(runner, candles, name):
    body, expected = COMPILE_TIME[name]
    extra = "@property\ndef __array_interface__(self):\n    return {}" if name == "array interface" else ""
    with pytest.raises(CodeRefused) as caught:
        runner.call("dry_run", {"code": strategy_code(body, extra=extra)}, candles, timeout=30)
    errors = caught.value.errors
    assert any(expected in error.message for error in errors), errors
    assert all(error.line >= FIRST_BODY_LINE for error in errors)


@pytest.mark.parametrize("name", list(RUN_TIME))
def test_stopped_inside_the_runner(runner, candles, name):
    body, expected = RUN_TIME[name]
    with pytest.raises(StrategyFailed) as caught:
        runner.call("dry_run", {"code": strategy_code(body)}, candles, timeout=30)
    assert expected in caught.value.message
    assert caught.value.line is not None and caught.value.line >= FIRST_BODY_LINE


def test_no_file_was_written(runner, candles):
    with pytest.raises(StrategyFailed):
        runner.call(
            "dry_run", {"code": strategy_code("np.save('x.npy', np.ones(3))\nreturn False")}, candles, timeout=30
        )
    assert runner.call("diagnostics", timeout=5)["cwd"].startswith("/tmp/aristobot-runner-")
    assert list(Path(runner.call("diagnostics", timeout=5)["cwd"]).iterdir()) == []


def test_runner_environment_holds_no_secret(runner, candles, settings):
    assert settings.SECRET_KEY  # le processus des tests, lui, en a un
    diagnostics = runner.call("diagnostics", timeout=60)
    assert not set(SECRETS) & set(diagnostics["environ"])
    assert diagnostics["django_loaded"] is False
    # L'environnement de départ du processus, lu par le système, pas par le runner lui-même.
    environ = Path(f"/proc/{runner.pid}/environ").read_bytes().split(b"\0")
    names = {entry.split(b"=", 1)[0].decode() for entry in environ if entry}
    assert names == {"PATH", "LANG", "HOME", "TMPDIR", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"}
    assert settings.SECRET_KEY.encode() not in b"".join(environ)


def test_strategy_cannot_reach_the_environment(runner, candles):
    """Depuis une stratégie, les chemins permis vers l'environnement sont tous fermés."""
    attempts = [
        "return pd.io.common.os.environ",
        "return pd.core.config_init.os.environ",
        "return pd.compat.os.environ",
        "return np.os.environ",
    ]
    for attempt in attempts:
        with pytest.raises(StrategyFailed) as caught:
            runner.call("dry_run", {"code": strategy_code(attempt)}, candles, timeout=30)
        assert "Module interdit" in caught.value.message or "has no attribute" in caught.value.message
