"""Les secrets ont leur propre clé (FIELD_ENCRYPTION_KEY) : changer SECRET_KEY ne casse plus rien ; un secret
qu'aucune clé ne lit s'affiche « illisible, à ressaisir » au lieu d'une erreur 500."""

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PASSWORD
from cryptography.fernet import Fernet
from django.db import connection

from apps.accounts.models import User
from apps.brokers.models import Broker
from apps.core.services.secrets_rotation import reencrypt_secrets

pytestmark = pytest.mark.django_db

BACKEND = Path(__file__).resolve().parents[3]
SECRETS = {"api_key": "KEY-1234567890", "api_secret": "SECRET-0987654321", "api_password": "PASS-42"}


@pytest.fixture
def key(settings):
    settings.FIELD_ENCRYPTION_KEY = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS_OLD = []
    return settings.FIELD_ENCRYPTION_KEY


@pytest.fixture
def alice_secrets(alice):
    alice.ai_openrouter_key = "sk-or-secret"
    alice.save()
    return Broker.objects.create(user=alice, name="Kucoin", exchange="kucoin", **SECRETS)


def _raw(broker) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT api_secret FROM brokers_broker WHERE id = %s", [broker.pk])
        return cursor.fetchone()[0]


def _pages_answer(client, broker) -> dict:
    login = client.post("/api/auth/login/", {"username": "alice", "password": PASSWORD}, format="json")
    assert login.status_code == 200, login.content
    preferences = client.get("/api/accounts/preferences/")
    brokers = client.get("/api/brokers/")
    detail = client.get(f"/api/brokers/{broker.pk}/")
    revealed = client.post(f"/api/brokers/{broker.pk}/reveal/", {"password": PASSWORD}, format="json")
    assert (preferences.status_code, brokers.status_code, detail.status_code) == (200, 200, 200)
    assert revealed.status_code == 200, revealed.content
    return {
        "preferences": preferences.json(),
        "list": brokers.json()[0],
        "detail": detail.json(),
        "revealed": revealed.json(),
    }


def test_changing_secret_key_keeps_pages_and_secrets(settings, key, alice_secrets, api):
    settings.SECRET_KEY = "une-toute-nouvelle-cle-secrete-" + "x" * 20
    pages = _pages_answer(api, alice_secrets)
    assert pages["revealed"]["api_secret"] == SECRETS["api_secret"]  # « Afficher » : la clé se relit toujours
    assert pages["detail"]["unreadable_secrets"] == []
    assert pages["list"]["api_key_masked"] == "KEY-••••7890"
    assert pages["preferences"]["ai_openrouter_key_set"] is True
    assert User.objects.get(username="alice").ai_openrouter_key == "sk-or-secret"


@pytest.fixture
def legacy(settings):
    """Version précédente : pas de FIELD_ENCRYPTION_KEY, clé dérivée de SECRET_KEY."""
    settings.FIELD_ENCRYPTION_KEY = ""
    settings.FIELD_ENCRYPTION_KEYS_OLD = []


def test_legacy_secrets_are_read_then_reencrypted_with_the_new_key(settings, legacy, alice_secrets, api):
    legacy = _raw(alice_secrets)
    settings.FIELD_ENCRYPTION_KEY = new_key = Fernet.generate_key().decode()
    assert Broker.objects.get(pk=alice_secrets.pk).api_secret == SECRETS["api_secret"]  # lu en dernier recours

    assert reencrypt_secrets() == {"reencrypted": 4, "unreadable": 0}
    assert _raw(alice_secrets) != legacy
    assert Fernet(new_key.encode()).decrypt(_raw(alice_secrets).encode()).decode() == SECRETS["api_secret"]
    settings.SECRET_KEY = "encore-une-autre-cle-secrete-" + "y" * 20
    assert _pages_answer(api, alice_secrets)["revealed"]["api_secret"] == SECRETS["api_secret"]


def test_old_keys_stay_readable_for_rotation(settings, key, alice_secrets):
    settings.FIELD_ENCRYPTION_KEYS_OLD = [key]
    settings.FIELD_ENCRYPTION_KEY = Fernet.generate_key().decode()
    assert Broker.objects.get(pk=alice_secrets.pk).api_key == SECRETS["api_key"]


def test_unreadable_secrets_show_as_such_instead_of_a_500(settings, key, alice_secrets, api):
    raw_before = _raw(alice_secrets)
    settings.FIELD_ENCRYPTION_KEY = Fernet.generate_key().decode()  # clé perdue
    settings.SECRET_KEY = "cle-secrete-changee-aussi-" + "z" * 20

    pages = _pages_answer(api, alice_secrets)
    assert pages["preferences"]["ai_openrouter_key_unreadable"] is True
    assert pages["preferences"]["ai_openrouter_key_set"] is False
    assert pages["list"]["api_key_masked"] == "illisible, à ressaisir"
    assert pages["detail"]["unreadable_secrets"] == ["api_key", "api_secret", "api_password"]
    assert pages["revealed"]["api_secret"] == ""

    test = api.post(f"/api/brokers/{alice_secrets.pk}/test/")
    assert test.status_code == 400
    assert test.json()["detail"].startswith("Identifiants illisibles (la clé de chiffrement a changé)")

    assert api.put("/api/accounts/preferences/", {"theme": "light"}, format="json").status_code == 200
    assert api.put(f"/api/brokers/{alice_secrets.pk}/", {"name": "Kucoin bis"}, format="json").status_code == 400
    assert _raw(alice_secrets) == raw_before  # rien de saisi : le texte chiffré d'origine est gardé

    typed = api.put(f"/api/brokers/{alice_secrets.pk}/", SECRETS, format="json")
    assert typed.status_code == 200 and typed.json()["unreadable_secrets"] == []


@pytest.mark.django_db(transaction=True)
def test_engine_preload_skips_unreadable_brokers_with_a_french_warning(
    settings, key, alice_secrets, exchange_door, caplog
):
    Broker.objects.create(user=alice_secrets.user, name="Kraken", exchange="kraken", api_key="K", api_secret="S")
    settings.FIELD_ENCRYPTION_KEY = Fernet.generate_key().decode()
    Broker.objects.create(user=alice_secrets.user, name="Démo", exchange="paper")
    assert exchange_door.run(exchange_door.preload_all(list(Broker.objects.all()))) == {"loaded": 1, "failed": 2}
    assert "identifiants illisibles (la clé de chiffrement a changé), à ressaisir dans Mon compte" in caplog.text


def test_admin_change_page_says_unreadable(settings, key, alice_secrets, admin_client):
    settings.FIELD_ENCRYPTION_KEY = Fernet.generate_key().decode()
    page = admin_client.get(f"/admin/brokers/broker/{alice_secrets.pk}/change/")
    assert page.status_code == 200
    assert page.content.decode().count("Actuel : illisible, à ressaisir.") == 3


def test_a_malformed_key_stops_startup_with_a_clear_message():
    code = "import django; django.setup()"
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "aristobot.settings",
        "SECRET_KEY": "k" * 40,
        "FIELD_ENCRYPTION_KEY": "trop-courte",
    }
    done = subprocess.run([sys.executable, "-c", code], cwd=BACKEND, env=env, capture_output=True, text=True)
    assert done.returncode != 0
    assert "FIELD_ENCRYPTION_KEY : clé Fernet invalide" in done.stderr
