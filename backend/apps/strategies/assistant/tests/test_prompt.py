"""Le prompt : le contrat tiré de l'app strategies (modèle, indicateurs, imports), le code et les erreurs joints."""

from apps.strategies.assistant.prompt import SYSTEM, build_messages
from apps.strategies.contract import indicators
from apps.strategies.contract.template import TEMPLATE_CODE
from apps.strategies.runner.policy import ALLOWED_MODULES


def test_the_system_prompt_carries_the_real_contract():
    assert TEMPLATE_CODE.rstrip() in SYSTEM
    for name in indicators.__all__:
        assert f"- ta.{name}(" in SYSTEM
    assert "ta.macd(values, fast: int = 12, slow: int = 26, signal: int = 9) : (ligne, signal, histogramme)" in SYSTEM
    for module in ALLOWED_MODULES:
        assert module in SYSTEM
    assert "UN SEUL bloc ```python" in SYSTEM


def test_the_user_message_joins_code_errors_and_request():
    system, user = build_messages(
        request="Sors quand le RSI dépasse 70",
        code="class A(Strategy):\n    pass\n",
        errors=[{"line": 4, "column": 9, "message": "nom inconnu : rsi"}, {"line": None, "message": "Aucune classe"}],
    )
    assert system == {"role": "system", "content": SYSTEM}
    assert user["role"] == "user"
    assert user["content"] == (
        "Code actuel de l'éditeur :\n```python\nclass A(Strategy):\n    pass\n```\n\n"
        "Erreurs du dernier « Tester » :\n- ligne 4, colonne 9 : nom inconnu : rsi\n- Aucune classe\n\n"
        "Demande : Sors quand le RSI dépasse 70"
    )


def test_without_code_or_errors_only_the_request_is_sent():
    assert build_messages(request="Une stratégie RSI")[1]["content"] == "Demande : Une stratégie RSI"
