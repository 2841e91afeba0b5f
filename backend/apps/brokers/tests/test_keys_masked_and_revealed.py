"""Les clés d'un broker ne sortent de l'API que masquées ; « Afficher » les donne à leur propriétaire qui retape
son mot de passe : 5 demandes par 15 minutes, chacune journalisée (ligne KeysReveal et journal)."""

import logging

import pytest
from conftest import PASSWORD

from apps.brokers.models import Broker, KeysReveal

pytestmark = pytest.mark.django_db

KEY, SECRET, PASSPHRASE = "KEY-abcdef-123456", "SECRET-zyxwvu-987654", "PASS-phrase-42"


@pytest.fixture
def broker(alice):
    return Broker.objects.create(
        user=alice, name="KuCoin", exchange="kucoin", api_key=KEY, api_secret=SECRET, api_password=PASSPHRASE
    )


def _reveal(client, broker, password, **extra):
    return client.post(f"/api/brokers/{broker.pk}/reveal/", {"password": password}, format="json", **extra)


def test_no_api_answer_carries_a_key_in_clear(alice_api, broker):
    answers = [
        alice_api.get("/api/brokers/"),
        alice_api.get(f"/api/brokers/{broker.pk}/"),
        alice_api.put(f"/api/brokers/{broker.pk}/", {"description": "Sous-compte"}, format="json"),
        alice_api.post(
            "/api/brokers/",
            {"name": "B", "exchange": "binance", "api_key": "NEWKEY-000111222", "api_secret": "NEWSECRET-3334445"},
            format="json",
        ),
    ]
    for answer in answers:
        assert answer.status_code in (200, 201), answer.content
        text = answer.content.decode()
        for secret in (KEY, SECRET, PASSPHRASE, "NEWKEY-000111222", "NEWSECRET-3334445"):
            assert secret not in text
    detail = answers[1].json()
    assert (detail["api_key_masked"], detail["api_secret_masked"], detail["api_password_masked"]) == (
        "KEY-••••3456",
        "••••7654",
        "••••e-42",
    )


def test_the_right_password_reveals_the_keys_and_is_logged(alice, alice_api, broker, caplog):
    with caplog.at_level(logging.INFO, logger="aristobot.security"):
        response = _reveal(alice_api, broker, PASSWORD, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 200
    assert response.json() == {"api_key": KEY, "api_secret": SECRET, "api_password": PASSPHRASE}
    assert list(KeysReveal.objects.values_list("user", "broker", "ip", "granted")) == [
        (alice.pk, broker.pk, "198.51.100.7", True)
    ]
    assert f"Clés du broker {broker.pk} affichées à alice (198.51.100.7)" in caplog.text
    assert SECRET not in caplog.text


def test_a_wrong_password_reveals_nothing(alice_api, broker):
    response = _reveal(alice_api, broker, "mauvais")
    assert response.status_code == 400
    assert response.json() == {"detail": "Mot de passe incorrect : clés non affichées."}
    assert SECRET not in response.content.decode()
    assert KeysReveal.objects.get().granted is False


def test_five_requests_per_quarter_hour_then_429(alice_api, broker):
    for _ in range(4):
        assert _reveal(alice_api, broker, "mauvais").status_code == 400
    assert _reveal(alice_api, broker, PASSWORD).status_code == 200
    response = _reveal(alice_api, broker, PASSWORD)
    assert response.status_code == 429
    assert response.json() == {"detail": "Trop de demandes d'affichage des clés : réessayez dans 15 min."}
    assert 890 <= int(response["Retry-After"]) <= 901
    assert KeysReveal.objects.count() == 5


def test_another_user_cannot_reveal(bob_api, broker):
    assert _reveal(bob_api, broker, PASSWORD).status_code == 404
    assert not KeysReveal.objects.exists()


def test_a_masked_value_sent_back_does_not_replace_the_key(alice_api, broker):
    detail = alice_api.get(f"/api/brokers/{broker.pk}/").json()
    alice_api.put(
        f"/api/brokers/{broker.pk}/",
        {"api_key": detail["api_key_masked"], "api_secret": detail["api_secret_masked"]},
        format="json",
    )
    broker.refresh_from_db()
    assert (broker.api_key, broker.api_secret) == (KEY, SECRET)
