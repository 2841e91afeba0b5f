"""« Tester » décide vraiment : assez de bougies pour passer `warmup`, même quand la base n'en a que quelques-unes,
et les messages de Python en français."""

import pytest

from apps.strategies.contract.template import TEMPLATE_CODE
from apps.strategies.runner.policy import french_syntax_message

pytestmark = pytest.mark.django_db


def test_seven_stored_candles_do_not_stop_the_template_from_deciding(alice_api, candle):
    for minutes in range(-7, 0):
        candle("50000", minutes_from_now=minutes)
    body = alice_api.post("/api/strategies/validate/", {"code": TEMPLATE_CODE, "timeframe": "1m"}, format="json").json()
    run = body["dry_run"]
    assert body["ok"] is True, body["errors"]
    assert run["warmup"] == 30 and run["candles"] >= 1000 and run["generated"] is True
    assert run["decisions"] == run["candles"] - 29 and run["signals"] > 0


def test_python_messages_come_in_french(alice_api):
    body = alice_api.post(
        "/api/strategies/validate/", {"code": TEMPLATE_CODE.replace("-> bool:", "-> bool", 1)}, format="json"
    ).json()
    [error] = body["errors"]
    assert error["message"] == "Erreur de syntaxe : « : » attendu"
    assert french_syntax_message("invalid syntax") == "syntaxe invalide"
    assert french_syntax_message("'(' was never closed") == "« ( » jamais fermé"
    assert french_syntax_message("expected an indented block after function definition on line 12") == (
        "bloc indenté attendu après « function definition » de la ligne 12"
    )
    assert french_syntax_message("something new") == "something new"
