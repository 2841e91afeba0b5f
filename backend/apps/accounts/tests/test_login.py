import pytest
from conftest import PASSWORD
from rest_framework.test import APIClient

from apps.core.symbols import USD_ASSETS

pytestmark = pytest.mark.django_db


def test_login_with_right_password_opens_a_session(api, alice, prod_mode):
    response = api.post("/api/auth/login/", {"username": "alice", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    assert response.json()["user"]["username"] == "alice"
    assert api.get("/api/auth/current/").json()["user"]["username"] == "alice"
    assert api.get("/api/accounts/preferences/").status_code == 200


def test_the_session_says_which_assets_count_as_usd(api, alice, prod_mode):
    """La seule liste des actifs à 1 USD (valorisation du serveur) : le front end la lit dans la session."""
    anonymous = api.get("/api/auth/current/").json()["usd_assets"]
    api.post("/api/auth/login/", {"username": "alice", "password": PASSWORD}, format="json")
    logged_in = api.get("/api/auth/current/").json()["usd_assets"]
    assert anonymous == logged_in == sorted(USD_ASSETS)
    assert {"USD", "USDT", "USDC"} <= set(logged_in) and "BTC" not in logged_in


def test_wrong_password_is_refused_in_french(api, alice, prod_mode):
    response = api.post("/api/auth/login/", {"username": "alice", "password": "faux"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Nom d'utilisateur ou mot de passe incorrect."}
    assert api.get("/api/auth/current/").json()["user"] is None


def test_missing_fields_are_refused_in_french(api, prod_mode, db):
    response = api.post("/api/auth/login/", {"username": "alice"}, format="json")
    assert response.status_code == 400
    assert response.json()["password"] == ["Mot de passe requis."]


def test_logout_closes_the_session(api, alice, prod_mode):
    api.post("/api/auth/login/", {"username": "alice", "password": PASSWORD}, format="json")
    response = api.post("/api/auth/logout/")
    assert response.json() == {"user": None, "dev_mode": False, "usd_assets": sorted(USD_ASSETS)}
    assert api.get("/api/accounts/preferences/").status_code in (401, 403)


def test_csrf_is_required_once_logged_in(alice, prod_mode):
    client = APIClient(enforce_csrf_checks=True)
    client.get("/api/auth/current/")
    token = client.cookies["csrftoken"].value
    assert (
        client.post("/api/auth/login/", {"username": "alice", "password": PASSWORD}, format="json").status_code == 403
    )
    response = client.post(
        "/api/auth/login/", {"username": "alice", "password": PASSWORD}, format="json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 200
    refused = client.put("/api/accounts/preferences/", {"theme": "light"}, format="json")
    assert refused.status_code == 403
    fresh = client.cookies["csrftoken"].value
    accepted = client.put("/api/accounts/preferences/", {"theme": "light"}, format="json", HTTP_X_CSRFTOKEN=fresh)
    assert accepted.status_code == 200


@pytest.mark.parametrize(
    "method, url",
    [
        ("get", "/api/accounts/preferences/"),
        ("put", "/api/accounts/preferences/"),
        ("post", "/api/auth/change-password/"),
        ("get", "/api/status/"),
        ("get", "/api/schema/"),
    ],
)
def test_anonymous_is_refused_outside_dev_mode(api, method, url, prod_mode, dev):
    assert getattr(api, method)(url).status_code in (401, 403)
