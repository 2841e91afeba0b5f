"""10 mots de passe refusés en 15 minutes pour un nom : les essais suivants sont refusés (429 en français sur l'API,
refus dans l'admin), même avec le bon mot de passe, hors des navigateurs où ce nom s'est déjà connecté ; depuis
une adresse : un délai croissant, jamais un blocage (test_login_through_a_tunnel.py)."""

from datetime import timedelta

import pytest
from conftest import PASSWORD
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from apps.accounts.models import LoginFailure

pytestmark = pytest.mark.django_db

URL = "/api/auth/login/"


def _login(username, password, ip="198.51.100.1"):
    return APIClient(REMOTE_ADDR=ip).post(URL, {"username": username, "password": password}, format="json")


def _fail(times, username="alice", ip="198.51.100.1"):
    for _ in range(times):
        assert _login(username, "mauvais", ip).status_code == 400


def test_tenth_failure_blocks_even_the_right_password(alice, prod_mode):
    _fail(9)
    assert _login("alice", PASSWORD).status_code == 200  # 9 échecs : encore permis, et oubliés
    _fail(10)
    response = _login("alice", PASSWORD)
    assert response.status_code == 429
    assert response.json() == {"detail": "Trop de tentatives de connexion échouées : réessayez dans 15 minutes."}
    assert 840 <= int(response["Retry-After"]) <= 900  # depuis le plus ancien des 10 échecs


def test_per_username_across_addresses(alice, prod_mode):
    for number in range(10):
        _fail(1, ip=f"203.0.113.{number}")
    assert _login("alice", PASSWORD, ip="192.0.2.50").status_code == 429
    assert _login("bob", "x", ip="192.0.2.50").status_code == 400  # un autre nom, une autre adresse : libre


def test_per_address_across_usernames_a_short_delay(alice, prod_mode):
    for number in range(10):
        _fail(1, username=f"inconnu{number}")
    LoginFailure.objects.update(created_at=timezone.now())  # le délai court depuis le dernier échec
    response = _login("alice", PASSWORD)
    assert response.status_code == 429
    assert response["Retry-After"] == "1"
    assert response.json() == {"detail": "Trop de tentatives de connexion échouées : réessayez dans 1 seconde."}
    assert _login("alice", PASSWORD, ip="192.0.2.50").status_code == 200
    LoginFailure.objects.update(created_at=timezone.now() - timedelta(seconds=1))
    assert _login("alice", PASSWORD).status_code == 200


def test_address_comes_from_the_trusted_proxy_header(alice, prod_mode, settings):
    settings.TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    client = APIClient(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    for number in range(10):
        client.post(URL, {"username": f"x{number}", "password": "mauvais"}, format="json")
    LoginFailure.objects.update(created_at=timezone.now())
    assert client.post(URL, {"username": "alice", "password": PASSWORD}, format="json").status_code == 429
    other = APIClient(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert other.post(URL, {"username": "alice", "password": PASSWORD}, format="json").status_code == 200


def test_block_ends_after_fifteen_minutes(alice, prod_mode):
    _fail(10)
    assert _login("alice", PASSWORD).status_code == 429
    LoginFailure.objects.update(created_at=timezone.now() - timedelta(minutes=15, seconds=1))
    assert _login("alice", PASSWORD).status_code == 200


def test_admin_login_is_throttled_too(alice, prod_mode):
    alice.is_staff = True
    alice.save()
    _fail(10)
    client = Client(REMOTE_ADDR="192.0.2.77")
    response = client.post("/admin/login/?next=/admin/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 200  # formulaire réaffiché : refusé
    assert client.get("/admin/").status_code == 302
    assert LoginFailure.objects.filter(username="alice").count() == 11
