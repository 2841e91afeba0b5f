"""L'avertissement de `python run.py` quand le mode dev est actif alors qu'un proxy est déclaré."""

import pytest
from dev_mode_warning import HTTPS_PROXY_SETTING, PROXY_SETTINGS, dev_mode_proxy_warning


@pytest.fixture
def environment(monkeypatch):
    for name in (*PROXY_SETTINGS, HTTPS_PROXY_SETTING, "DEBUG", "DEBUG_ARISTOBOT"):
        monkeypatch.delenv(name, raising=False)

    def set_(**values):
        for name, value in values.items():
            monkeypatch.setenv(name, value)

    return set_


@pytest.mark.parametrize(
    "values, names",
    [
        ({"TRUSTED_PROXY_HEADER": "X-Forwarded-For"}, "TRUSTED_PROXY_HEADER"),
        ({"WEBHOOK_TRUSTED_PROXY_HEADER": "X-Real-IP"}, "WEBHOOK_TRUSTED_PROXY_HEADER"),
        (
            {"BEHIND_HTTPS_PROXY": "True", "TRUSTED_PROXY_HEADER": "X-Forwarded-For"},
            "TRUSTED_PROXY_HEADER, BEHIND_HTTPS_PROXY",
        ),
    ],
)
def test_dev_mode_with_a_proxy_is_warned(environment, values, names):
    environment(DEBUG="True", DEBUG_ARISTOBOT="True", **values)
    warning = dev_mode_proxy_warning()
    assert "ATTENTION : MODE DEV ACTIF (DEBUG=True et DEBUG_ARISTOBOT=True) ALORS QU'UN PROXY EST DÉCLARÉ" in warning
    assert f"({names})" in warning
    warning.encode("cp850")


@pytest.mark.parametrize(
    "values",
    [
        {"DEBUG": "True", "DEBUG_ARISTOBOT": "True"},
        {"DEBUG": "True", "DEBUG_ARISTOBOT": "True", "BEHIND_HTTPS_PROXY": "False", "TRUSTED_PROXY_HEADER": ""},
        {"DEBUG": "False", "DEBUG_ARISTOBOT": "True", "TRUSTED_PROXY_HEADER": "X-Forwarded-For"},
        {"DEBUG": "True", "DEBUG_ARISTOBOT": "False", "BEHIND_HTTPS_PROXY": "True"},
    ],
)
def test_nothing_to_say_without_dev_mode_or_without_proxy(environment, values):
    environment(**values)
    assert dev_mode_proxy_warning() is None
