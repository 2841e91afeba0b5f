"""Le contrat : le template, l'exemple de l'issue et le template d'origine de l'utilisateur passent « Tester »."""

import pytest

from apps.strategies.contract.template import TEMPLATE_CODE
from apps.strategies.tests.conftest import strategy_code

ISSUE_EXAMPLE = """from aristobot.strategies import Strategy
import aristobot.indicators as ta

class SmaCross(Strategy):
    def indicators(self, candles):
        return {"fast": ta.sma(candles["close"], 10), "slow": ta.sma(candles["close"], 30)}

    def should_long(self) -> bool:
        f, s = self.ind.fast, self.ind.slow
        return f[-1] > s[-1] and f[-2] <= s[-2]

    def should_exit(self) -> bool:
        f, s = self.ind.fast, self.ind.slow
        return f[-1] < s[-1] and f[-2] >= s[-2]

    def calculate_position_size(self):
        return self.balance

    def calculate_stop_loss(self):
        return self.price * Decimal("0.98")

    def calculate_take_profit(self):
        return None
"""

# Le template de l'utilisateur (seed, « Stratégies - Template Python »), tel quel.
SEED_TEMPLATE = """from aristobot.strategies import Strategy
import aristobot.indicators as ta
from aristobot import utils
class JustAnotherStrategy(Strategy):
    def should_long(self) -> bool:
        return False
    def should_short(self) -> bool:
        # For futures trading only
        return False

    def go_long(self):
        pass
    def go_short(self):
        # For futures trading only
        pass
"""


@pytest.mark.django_db
@pytest.mark.parametrize(
    "code,name", [(TEMPLATE_CODE, "MaStrategie"), (ISSUE_EXAMPLE, "SmaCross"), (SEED_TEMPLATE, "JustAnotherStrategy")]
)
def test_reference_codes_test_ok(alice_api, code, name):
    response = alice_api.post("/api/strategies/validate/", {"code": code, "timeframe": "5m"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True, body["errors"]
    assert body["class"] == name and body["errors"] == []
    assert body["dry_run"]["candles"] == 1000 and body["dry_run"]["generated"] is True
    assert body["dry_run"]["ms"] < 2000


@pytest.mark.django_db
def test_template_trades_on_generated_candles(alice_api):
    body = alice_api.post("/api/strategies/validate/", {"code": TEMPLATE_CODE}, format="json").json()
    assert body["dry_run"]["signals"] > 0


@pytest.mark.django_db
def test_seed_template_is_told_that_short_is_ignored(alice_api):
    body = alice_api.post("/api/strategies/validate/", {"code": SEED_TEMPLATE}, format="json").json()
    assert any("spot" in warning for warning in body["warnings"])


def test_attributes_of_the_current_candle(runner, candles):
    code = strategy_code(
        """
        assert isinstance(self.price, Decimal) and isinstance(self.balance, Decimal)
        assert self.position is None
        assert self.time.tzinfo is not None and self.candles.index[-1] == self.time
        assert list(self.candles.columns) == ["open", "high", "low", "close", "volume"]
        assert len(self.candles) >= self.warmup and self.ind.c[-1] == float(self.price)
        return len(self.candles) % 7 == 0
    """,
        extra="""
    warmup = 5

    def indicators(self, candles):
        return pd.DataFrame({"c": candles["close"]})

    def should_exit(self):
        assert self.position.quantity > 0 and self.position.entry_price > 0
        assert self.position.stop_loss is None and self.position.opened_at <= self.time
        return True

    def calculate_position_size(self):
        return self.balance / 2
    """,
    )
    result = runner.call("dry_run", {"code": code}, candles, timeout=5)
    assert result["class"] == "Essai" and result["signals"] > 10


def test_nan_during_warm_up_is_false_not_an_error(runner, candles):
    code = strategy_code(
        "return self.ind.slow[-1] > 0 and self.ind.slow[-2] > 0",
        extra='def indicators(self, candles):\n    return {"slow": ta.sma(candles["close"], 150)}',
    )
    assert runner.call("dry_run", {"code": code}, candles, timeout=5)["signals"] > 0
