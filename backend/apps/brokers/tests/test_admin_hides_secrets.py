"""L'admin ne montre jamais les identifiants déchiffrés : champs en écriture seule, « laisser vide pour garder »
et jeton webhook masqué."""

import pytest
from conftest import PASSWORD

from apps.brokers.models import Broker
from apps.webhooks.services.tokens import token_for

pytestmark = pytest.mark.django_db

SECRETS = {"api_key": "ADMIN-KEY-1234567", "api_secret": "ADMIN-SECRET-7654321", "api_password": "ADMIN-PASS-99"}


@pytest.fixture
def broker(alice):
    return Broker.objects.create(user=alice, name="Kucoin", exchange="kucoin", **SECRETS)


def _form_data(broker, **changes):
    data = {
        "user": broker.user_id,
        "name": broker.name,
        "exchange": broker.exchange,
        "description": "",
        "api_key": "",
        "api_secret": "",
        "api_password": "",
        "paper_starting_balance": "10000",
    }
    return {**data, **changes}


def test_change_page_shows_no_secret(admin_client, broker):
    page = admin_client.get(f"/admin/brokers/broker/{broker.pk}/change/").content.decode()
    assert "Kucoin" in page
    for secret in SECRETS.values():
        assert secret not in page
    assert page.count("Actuel : enregistré. Laisser vide pour garder.") == 3
    assert 'type="password"' in page


def test_saving_with_empty_fields_keeps_the_secrets(admin_client, broker):
    response = admin_client.post(f"/admin/brokers/broker/{broker.pk}/change/", _form_data(broker, name="Kucoin 2"))
    assert response.status_code == 302
    broker.refresh_from_db()
    assert broker.name == "Kucoin 2"
    assert (broker.api_key, broker.api_secret, broker.api_password) == tuple(SECRETS.values())


def test_a_typed_secret_replaces_the_old_one(admin_client, broker):
    admin_client.post(f"/admin/brokers/broker/{broker.pk}/change/", _form_data(broker, api_secret="NEW-SECRET"))
    broker.refresh_from_db()
    assert broker.api_secret == "NEW-SECRET" and broker.api_key == SECRETS["api_key"]


def test_owner_still_sees_the_secret_in_mon_compte_with_his_password(alice_api, broker):
    revealed = alice_api.post(f"/api/brokers/{broker.pk}/reveal/", {"password": PASSWORD}, format="json").json()
    assert revealed["api_secret"] == SECRETS["api_secret"]


def test_webhook_token_is_masked_in_the_admin(admin_client, alice):
    token = token_for(alice)
    for url in ("/admin/webhooks/webhooktoken/", f"/admin/webhooks/webhooktoken/{token.pk}/change/"):
        page = admin_client.get(url).content.decode()
        assert token.token not in page and token.token[:8] not in page
        assert f"••••{token.token[-4:]}" in page
