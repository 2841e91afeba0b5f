"""Tests du confinement seulement : un runner confiné comme le vrai (mêmes imports, même `start`), mais qui
exécute du Python *sans aucune* couche Python (ni politique, ni gardes, ni crochet d'audit) : l'état exact
d'un code qui se serait déjà évadé. Lancé par `StrategyRunner(module="testing.runner_probe", layers=…)` ;
jamais par l'application.

Requête : {"command": "run", "args": {"code": "…"}} ; le code range sa réponse dans `result`."""

import traceback

from apps.strategies.runner.worker import start


def main(memory_limit_bytes: int, layers) -> None:
    channel, report = start(memory_limit_bytes, layers)
    channel.send({"ready": True, "confinement": report["missing"]})
    while True:
        try:
            body, _ = channel.receive()
        except EOFError:
            return
        namespace: dict = {}
        try:
            exec(body["args"]["code"], namespace)
            answer = {"ok": True, "result": {"value": namespace.get("result")}}
        except BaseException as exc:
            message = f"{type(exc).__name__}: {exc}"
            answer = {"ok": False, "error": {"kind": "internal", "message": message, "trace": traceback.format_exc()}}
        channel.send(answer)
