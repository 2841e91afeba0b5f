"""Un id de stratégie d'un autre utilisateur répond 404 sur chaque route ; dev en mode dev voit tout."""

import pytest

from apps.strategies.contract.template import TEMPLATE_CODE
from apps.strategies.models import Strategy

pytestmark = pytest.mark.django_db


@pytest.fixture
def bobs_strategy(bob):
    return Strategy.objects.create(user=bob, name="De Bob", code=TEMPLATE_CODE)


def test_other_users_strategy_is_404_everywhere(alice_api, bobs_strategy):
    url = f"/api/strategies/{bobs_strategy.pk}/"
    assert alice_api.get(url).status_code == 404
    assert alice_api.put(url, {"name": "Volée"}, format="json").status_code == 404
    assert alice_api.patch(url, {"name": "Volée"}, format="json").status_code == 404
    assert alice_api.delete(url).status_code == 404
    assert alice_api.post(f"{url}test/").status_code == 404
    assert alice_api.get("/api/strategies/").json() == []
    bobs_strategy.refresh_from_db()
    assert bobs_strategy.name == "De Bob" and bobs_strategy.last_tested_at is None


def test_anonymous_is_refused(api, prod_mode, bobs_strategy):
    assert api.get("/api/strategies/").status_code == 403
    assert api.post("/api/strategies/validate/", {"code": TEMPLATE_CODE}, format="json").status_code == 403


def test_dev_sees_everyone_in_dev_mode(api, dev, dev_mode, bobs_strategy):
    assert [s["owner"] for s in api.get("/api/strategies/").json()] == ["bob"]
    assert api.get(f"/api/strategies/{bobs_strategy.pk}/").status_code == 200
