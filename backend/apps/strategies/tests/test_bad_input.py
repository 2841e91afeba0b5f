"""Entrées refusées en français : code absent, vide, pas un texte, trop long ; unité de temps inconnue ; nom absent."""

import pytest

from apps.strategies.contract.template import TEMPLATE_CODE
from apps.strategies.runner.policy import MAX_CODE_CHARS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "data,message",
    [
        ({}, "Le code est obligatoire."),
        ({"code": ""}, "Le code est vide."),
        ({"code": 42}, "Le code doit être un texte."),
        ({"code": ["import os"]}, "Le code doit être un texte."),
        ({"code": "#" * (MAX_CODE_CHARS + 1)}, f"Code trop long : {MAX_CODE_CHARS} caractères au plus."),
    ],
)
def test_validate_refuses_bad_code(alice_api, data, message):
    response = alice_api.post("/api/strategies/validate/", data, format="json")
    assert response.status_code == 400
    assert response.json() == {"code": [message]}


def test_validate_refuses_unknown_timeframe(alice_api):
    response = alice_api.post("/api/strategies/validate/", {"code": TEMPLATE_CODE, "timeframe": "7m"}, format="json")
    assert response.status_code == 400 and "timeframe" in response.json()
    assert "n'est pas un choix valide" in response.json()["timeframe"][0]


def test_create_refuses_missing_fields(alice_api):
    response = alice_api.post("/api/strategies/", {"timeframe": "5m"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"name": ["Le nom est obligatoire."], "code": ["Le code est obligatoire."]}


def test_create_refuses_blank_name_and_huge_code(alice_api):
    response = alice_api.post("/api/strategies/", {"name": "  ", "code": "#" * (MAX_CODE_CHARS + 1)}, format="json")
    assert response.status_code == 400
    assert response.json()["name"] == ["Le nom est obligatoire."]
    assert response.json()["code"] == [f"Code trop long : {MAX_CODE_CHARS} caractères au plus."]


def test_update_refuses_wrong_types(alice_api):
    strategy_id = alice_api.post("/api/strategies/", {"name": "S", "code": TEMPLATE_CODE}, format="json").json()["id"]
    response = alice_api.put(f"/api/strategies/{strategy_id}/", {"code": 3, "timeframe": "1d"}, format="json")
    assert response.status_code == 400 and set(response.json()) == {"code", "timeframe"}
