"""Lier son chat Telegram par un code (jamais en tapant un chat id) ; commandes du chat lié seulement ; /pause ne
suspend que les activations de son compte."""

import pytest
from django.db import connection

from apps.alerts.models import AlertSettings
from apps.alerts.preferences import link_chat, new_link_code
from apps.brokers.models import Broker
from apps.trading_engine.models import ActiveStrategy
from testing.activations import activate, new_strategy

pytestmark = pytest.mark.django_db(transaction=True)
State = ActiveStrategy.State


def activation(user) -> ActiveStrategy:
    broker = Broker.objects.create(user=user, name=f"Paper {user.username}", exchange="paper")
    return activate(user, new_strategy(user), broker)


def test_a_chat_is_linked_with_the_code_from_mon_compte_and_never_shown_whole(alice_api, telegram, running_worker):
    code = alice_api.post("/api/alerts/settings/telegram-code/").data["telegram"]["link_code"]
    assert len(code) == 8

    telegram.user_says(chat_id=987654, text=f"/start {code}")

    assert "Chat lié au compte alice" in telegram.wait_for_message(987654, "lié")
    shown = alice_api.get("/api/alerts/settings/").data["telegram"]
    assert shown == {**shown, "linked": True, "chat": "...654", "link_code": ""}
    assert "987654" not in str(alice_api.get("/api/alerts/settings/").data)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT telegram_chat_id FROM {AlertSettings._meta.db_table}")
        assert "987654" not in cursor.fetchone()[0]  # chiffré en base


def test_a_wrong_or_reused_code_and_a_strangers_commands_get_no_answer(alice, telegram, running_worker):
    code = new_link_code(user_id=alice.pk).telegram_link_code
    link_chat(code=code, chat="1111")
    telegram.user_says(chat_id=2222, text=f"/start {code}")  # déjà utilisé
    telegram.user_says(chat_id=2222, text="/start FAUXCODE")
    telegram.user_says(chat_id=2222, text="/statut")
    telegram.user_says(chat_id=1111, text="/positions")  # traité après ceux de l'inconnu

    assert telegram.wait_for_message(1111, "position") == "Aucune position ouverte."
    assert telegram.messages_to(2222) == []


def test_pause_suspends_only_my_activations_then_resume(alice, bob, telegram, running_worker):
    link_chat(code=new_link_code(user_id=alice.pk).telegram_link_code, chat="1111")
    mine, theirs = activation(alice), activation(bob)

    telegram.user_says(chat_id=1111, text="/pause")

    assert telegram.wait_for_message(1111, "suspendue") == "1 stratégie(s) suspendue(s). /reprendre pour les relancer."
    mine.refresh_from_db(), theirs.refresh_from_db()
    assert (mine.state, theirs.state) == (State.SUSPENDED, State.RUNNING)

    telegram.user_says(chat_id=1111, text="/reprendre")

    assert telegram.wait_for_message(1111, "reprise") == "1 stratégie(s) reprise(s)."
    mine.refresh_from_db()
    assert mine.state == State.RUNNING


def test_statut_lists_services_heartbeat_positions_and_pnl(alice, telegram, running_worker):
    link_chat(code=new_link_code(user_id=alice.pk).telegram_link_code, chat="1111")

    telegram.user_says(chat_id=1111, text="/statut")

    status = telegram.wait_for_message(1111, "Services")
    assert (
        "Heartbeat : déconnecté" in status and "Positions ouvertes : 0" in status and "P&L du jour (UTC) : 0" in status
    )
