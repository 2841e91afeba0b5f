"""Les erreurs que « Tester » rend : syntaxe (ligne, colonne), classes, exception avec la ligne de l'utilisateur."""

import pytest

from apps.strategies.runner.client import StrategyFailed
from apps.strategies.tests.conftest import FIRST_BODY_LINE, strategy_code


def validate(api, code):
    response = api.post("/api/strategies/validate/", {"code": code}, format="json")
    assert response.status_code == 200
    return response.json()


@pytest.mark.django_db
def test_syntax_error_has_line_and_column(alice_api):
    code = strategy_code("return (self.price >", extra="")
    body = validate(alice_api, code)
    assert body["ok"] is False and body["dry_run"] is None
    [error] = body["errors"]
    assert error["line"] == FIRST_BODY_LINE and error["column"] == 16
    assert error["message"].startswith("Erreur de syntaxe")


@pytest.mark.django_db
def test_indentation_error(alice_api):
    code = strategy_code("return True") + "  x = 1\n"
    [error] = validate(alice_api, code)["errors"]
    assert error["message"].startswith("Erreur d'indentation") and error["line"] > FIRST_BODY_LINE


@pytest.mark.django_db
def test_no_strategy_class(alice_api):
    [error] = validate(alice_api, "import math\n\nclass Rien:\n    pass\n")["errors"]
    assert "Aucune classe ne dérive de Strategy" in error["message"]


@pytest.mark.django_db
def test_two_strategy_classes(alice_api):
    code = strategy_code("return False") + "\n\nclass Autre(Strategy):\n    pass\n"
    [error] = validate(alice_api, code)["errors"]
    assert "Une seule classe Strategy" in error["message"] and "Essai, Autre" in error["message"]
    assert error["line"] == code.splitlines().index("class Autre(Strategy):") + 1


@pytest.mark.django_db
def test_exception_in_should_long_has_the_users_line(alice_api):
    code = strategy_code("x = 1\nreturn x / 0 > 1")
    body = validate(alice_api, code)
    [error] = body["errors"]
    assert body["ok"] is False and body["class"] == "Essai"
    assert error["line"] == FIRST_BODY_LINE + 1
    assert (
        error["message"]
        == f"Erreur dans should_long, ligne {FIRST_BODY_LINE + 1} : ZeroDivisionError : division by zero"
    )


def test_exception_deep_in_a_helper_names_the_helper_line(runner, candles):
    code = strategy_code("return self.helper()", extra="def helper(self):\n    return {}['absent']")
    with pytest.raises(StrategyFailed) as caught:
        runner.call("dry_run", {"code": code}, candles, timeout=5)
    assert caught.value.line == code.splitlines().index("        return {}['absent']") + 1
    assert caught.value.method == "should_long" and "KeyError" in caught.value.message


def test_invalid_returned_values_are_errors(runner, candles):
    code = strategy_code("return True", extra="def calculate_stop_loss(self):\n    return self.price * 2")
    with pytest.raises(StrategyFailed, match="Stop-loss .* au-dessus du prix"):
        runner.call("dry_run", {"code": code}, candles, timeout=5)
    code = strategy_code("return True", extra="def calculate_position_size(self):\n    return 'beaucoup'")
    with pytest.raises(StrategyFailed, match="calculate_position_size doit rendre un nombre"):
        runner.call("dry_run", {"code": code}, candles, timeout=5)
    code = strategy_code("return True", extra="def indicators(self, candles):\n    return {'x': [1, 2]}")
    with pytest.raises(StrategyFailed, match="« x » a 2 valeurs pour 200 bougies"):
        runner.call("dry_run", {"code": code}, candles, timeout=5)
