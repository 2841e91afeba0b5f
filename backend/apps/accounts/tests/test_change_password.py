import pytest
from conftest import PASSWORD

pytestmark = pytest.mark.django_db
URL = "/api/auth/change-password/"


def test_change_password_then_login_with_the_new_one(api, alice, prod_mode):
    api.post("/api/auth/login/", {"username": "alice", "password": PASSWORD}, format="json")
    response = api.post(URL, {"old_password": PASSWORD, "new_password": "nouveau-secret-99"}, format="json")
    assert response.status_code == 200
    assert response.json() == {"detail": "Mot de passe modifié."}
    assert api.get("/api/auth/current/").json()["user"]["username"] == "alice"
    alice.refresh_from_db()
    assert alice.check_password("nouveau-secret-99")


def test_wrong_old_password_is_refused(alice_api, alice):
    response = alice_api.post(URL, {"old_password": "faux", "new_password": "nouveau-secret-99"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Ancien mot de passe incorrect."}
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_weak_new_password_is_refused_in_french(alice_api):
    response = alice_api.post(URL, {"old_password": PASSWORD, "new_password": "123"}, format="json")
    assert response.status_code == 400
    assert "court" in response.json()["detail"]


def test_dev_has_no_password_to_change(api, dev, dev_mode):
    response = api.post(URL, {"old_password": "x", "new_password": "nouveau-secret-99"}, format="json")
    assert response.status_code == 400
    assert "utilisateur dev" in response.json()["detail"]


def test_the_session_says_whether_the_user_has_a_password(api, alice_api, dev, dev_mode):
    assert alice_api.get("/api/auth/current/").json()["user"]["has_password"] is True
    user = api.get("/api/auth/current/").json()["user"]
    assert user["username"] == "dev" and user["has_password"] is False
