"""API des alertes : la cloche (liste, non lues, marquer lu) de chacun, réglages refusés en français, « Envoyer un
test » refusé tant que le canal n'est pas prêt, page Services."""

import pytest

from apps.alerts.events import emit
from apps.core.liveness import service_started

pytestmark = pytest.mark.django_db


def test_the_bell_lists_my_alerts_and_marks_only_mine_read(alice, bob, alice_api, bob_api):
    mine = emit(kind="order_filled", user_id=alice.pk, text="Achat exécuté : 0.01 BTC/USDT", key="k1")
    theirs = emit(kind="order_filled", user_id=bob.pk, text="Achat exécuté chez bob", key="k1")

    bell = alice_api.get("/api/alerts/").data
    assert bell["unread"] == 1
    assert [(a["id"], a["kind_label"], a["text"]) for a in bell["results"]] == [
        (mine.pk, "Ordre exécuté", "Achat exécuté : 0.01 BTC/USDT")
    ]
    assert alice_api.post("/api/alerts/read/", {"ids": [theirs.pk]}, format="json").data == {"marked": 0}
    assert bob_api.get("/api/alerts/").data["unread"] == 1
    assert alice_api.post("/api/alerts/read/", {}, format="json").data == {"marked": 1}
    assert alice_api.get("/api/alerts/").data["unread"] == 0


@pytest.mark.parametrize(
    "body, field, message",
    [
        ({"channels": {"order_filled": ["sms"]}}, "channels", "n'est pas un choix valide"),
        ({"channels": {"inconnu": ["app"]}}, "channels", "Genre d'alerte inconnu : inconnu."),
        ({"email": "pas-une-adresse"}, "email", "adresse e-mail valide"),
        ({"channels": "tout"}, "channels", "dictionnaire"),
    ],
)
def test_bad_settings_are_refused_in_french(alice_api, body, field, message):
    response = alice_api.put("/api/alerts/settings/", body, format="json")

    assert response.status_code == 400
    assert message in str(response.data[field])


def test_a_chat_id_cannot_be_typed_in(alice_api):
    response = alice_api.put("/api/alerts/settings/", {"telegram_chat_id": "12345"}, format="json")

    assert response.status_code == 200
    assert response.data["telegram"]["linked"] is False


def test_a_test_on_an_unready_channel_is_refused_in_french(alice_api, settings):
    settings.TELEGRAM_BOT_TOKEN, settings.EMAIL_HOST = "1:x", ""

    telegram = alice_api.post("/api/alerts/test/", {"channel": "telegram"}, format="json")
    email = alice_api.post("/api/alerts/test/", {"channel": "email"}, format="json")

    assert telegram.status_code == email.status_code == 400
    assert "Aucun chat Telegram lié : envoyez d'abord le code de liaison au bot." in str(telegram.data)
    assert "L'e-mail n'est pas configuré sur cette installation" in str(email.data)


def test_services_page_shows_each_service_and_its_restarts(alice_api):
    service_started("Moteur de trading")
    service_started("Moteur de trading")

    view = alice_api.get("/api/alerts/services/").data

    engine = next(s for s in view["services"] if s["name"] == "Moteur de trading")
    assert (engine["alive"], engine["restarts_today"]) == (True, 1)
    assert view["incidents"] == [] and "heartbeat" in view
    assert view["watchdog"] is False  # run_watchdog ne tourne pas


def test_anonymous_gets_nothing(api):
    assert api.get("/api/alerts/").status_code in (401, 403)
    assert api.get("/api/alerts/services/").status_code in (401, 403)
