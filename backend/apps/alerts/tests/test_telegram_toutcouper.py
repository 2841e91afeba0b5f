"""/toutcouper : d'abord ce qui sera fait et un code, rien n'est touché ; un code faux ne coupe rien ; le bon code
coupe tout (positions d'Aristobot vendues, activations suspendues) et répond le rapport."""

import re
from decimal import Decimal

import pytest

from apps.alerts.preferences import link_chat, new_link_code
from apps.brokers.models import Broker
from apps.orders.models import Position
from apps.panic.models import CutRun
from apps.trading_engine.models import ActiveStrategy
from testing.activations import activate, new_strategy

pytestmark = pytest.mark.django_db(transaction=True)
CHAT = 1111


@pytest.fixture
def alice_holds(alice, exchange_door, candle, place):
    candle("50000")
    broker = Broker.objects.create(user=alice, name="Démo", exchange="paper")
    activate(alice, new_strategy(alice), broker)
    place(alice, broker, quantity=Decimal("0.01"), stop_loss=Decimal("45000"), take_profit=Decimal("55000"))
    link_chat(code=new_link_code(user_id=alice.pk).telegram_link_code, chat=str(CHAT))
    return broker


def test_toutcouper_asks_for_a_code_then_cuts_everything(alice, alice_holds, telegram, running_worker):
    telegram.user_says(chat_id=CHAT, text="/toutcouper")

    asked = telegram.wait_for_message(CHAT, "Pour confirmer")
    assert asked.startswith(
        "Tout couper (tous les brokers) va : suspendre 1 activation(s), annuler 2 ordre(s) d'Aristobot, "
        "vendre au marché 1 position(s) d'Aristobot"
    )
    assert "- Démo : 1 activation(s), 2 ordre(s), 1 position(s)" in asked
    code = re.search(r"/toutcouper (\d{6})", asked).group(1)
    assert Position.objects.get().status == "open" and not CutRun.objects.exists()

    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    telegram.user_says(chat_id=CHAT, text=f"/toutcouper {wrong}")
    assert telegram.wait_for_message(CHAT, "Code périmé").startswith("Code périmé ou faux. Tout couper")
    assert Position.objects.get().status == "open" and not CutRun.objects.exists()

    telegram.user_says(chat_id=CHAT, text=f"/toutcouper {code}")

    report = telegram.wait_for_message(CHAT, "Reste : rien.")
    assert report.startswith("Tout couper (tous les brokers) : 1 activation(s) suspendue(s), 0 ordre(s) annulé(s)")
    assert Position.objects.get().status == "closed"
    assert ActiveStrategy.objects.get().state == "suspended"
