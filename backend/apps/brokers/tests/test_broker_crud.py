"""CRUD des brokers par l'API : création, liste masquée, formulaire en clair pour le propriétaire, suppression."""

from decimal import Decimal

import pytest

from apps.brokers.models import Broker, PaperOrder

pytestmark = pytest.mark.django_db

BINANCE = {
    "name": "Principal",
    "exchange": "binance",
    "description": "Sous-compte01",
    "api_key": "cleAPI-abcdef123456",
    "api_secret": "secret-xyz-987",
}


def test_create_then_list_masks_the_key(alice_api):
    created = alice_api.post("/api/brokers/", BINANCE, format="json")
    listed = alice_api.get("/api/brokers/")

    assert created.status_code == 201, created.data
    assert listed.data == [
        {
            "id": created.data["id"],
            "name": "Principal",
            "exchange": "binance",
            "description": "Sous-compte01",
            "api_key_masked": "cleA••••3456",
            "is_default": True,
            "is_testnet": False,
            "market_source": "binance",
            "paper_starting_balance": "10000.00000000",
            "owner": "alice",
            "created_at": listed.data[0]["created_at"],
            "updated_at": listed.data[0]["updated_at"],
        }
    ]
    assert "secret-xyz-987" not in str(listed.data)


def test_owner_form_shows_key_and_secret_masked(alice_api):
    created = alice_api.post("/api/brokers/", BINANCE, format="json").data

    detail = alice_api.get(f"/api/brokers/{created['id']}/").data

    assert (detail["api_key_masked"], detail["api_secret_masked"], detail["api_password_masked"]) == (
        "cleA••••3456",
        "••••-987",
        "",
    )
    assert "api_key" not in detail and "api_secret" not in detail and "secret-xyz" not in str(created)


def test_first_broker_becomes_default_the_next_ones_do_not(alice, alice_api):
    first = alice_api.post("/api/brokers/", BINANCE, format="json").data
    second = alice_api.post("/api/brokers/", {**BINANCE, "name": "Second"}, format="json").data

    alice.refresh_from_db()
    assert (first["is_default"], second["is_default"]) == (True, False)
    assert alice.default_broker_id == first["id"]


def test_update_keeps_blank_secret_and_can_make_default(alice, alice_api):
    first = alice_api.post("/api/brokers/", BINANCE, format="json").data
    second = alice_api.post("/api/brokers/", {**BINANCE, "name": "Second"}, format="json").data

    response = alice_api.put(
        f"/api/brokers/{second['id']}/",
        {"description": "Sous-compte02", "api_secret": "", "is_default": True},
        format="json",
    )

    assert response.status_code == 200, response.data
    broker = Broker.objects.get(pk=second["id"])
    assert (broker.description, broker.api_secret) == ("Sous-compte02", "secret-xyz-987")
    alice.refresh_from_db()
    assert alice.default_broker_id == second["id"] != first["id"]
    assert [b["is_default"] for b in alice_api.get("/api/brokers/").data] == [False, True]


@pytest.mark.parametrize(
    "payload, message",
    [
        ({**BINANCE, "api_secret": ""}, "Binance demande le secret."),
        ({**BINANCE, "exchange": "okx", "api_password": ""}, "OKX demande la passphrase."),
        (
            {**BINANCE, "exchange": "bitstamp", "is_testnet": True},
            "Bitstamp n'a pas de testnet dans CCXT : ce broker ne peut pas être marqué testnet.",
        ),
        (
            {**BINANCE, "exchange": "paper", "paper_starting_balance": "0"},
            "Le solde de départ paper doit être positif.",
        ),
    ],
)
def test_invalid_broker_is_refused_in_french(alice_api, payload, message):
    response = alice_api.post("/api/brokers/", payload, format="json")

    assert response.status_code == 400
    assert response.data["detail"] == message
    assert not Broker.objects.exists()


def test_unknown_exchange_is_refused(alice_api):
    response = alice_api.post("/api/brokers/", {**BINANCE, "exchange": "nasdaq"}, format="json")

    assert response.status_code == 400
    assert response.data["exchange"] == ["Exchange inconnu : nasdaq."]


def test_paper_broker_needs_no_keys_and_keeps_its_starting_balance(alice_api):
    response = alice_api.post(
        "/api/brokers/",
        {"name": "Démo", "exchange": "paper", "api_key": "ignored", "paper_starting_balance": "2500"},
        format="json",
    )

    assert response.status_code == 201, response.data
    broker = Broker.objects.get()
    assert (broker.api_key, broker.paper_starting_balance, broker.is_testnet) == ("", Decimal("2500"), False)


def test_exchange_list_offers_paper_and_ccxt_exchanges_with_their_credentials(alice_api):
    exchanges = {e["id"]: e for e in alice_api.get("/api/brokers/exchanges/").data}

    assert exchanges["paper"]["credentials"] == []
    assert exchanges["binance"] == {
        "id": "binance",
        "name": "Binance",
        "has_sandbox": True,
        "credentials": ["api_key", "api_secret"],
        "unsupported_credentials": [],
    }
    assert exchanges["kucoin"]["credentials"] == ["api_key", "api_secret", "api_password"]
    assert exchanges["kraken"]["has_sandbox"] is False
    assert len(exchanges) > 100


def test_delete_broker(alice, alice_api):
    created = alice_api.post("/api/brokers/", BINANCE, format="json").data

    response = alice_api.delete(f"/api/brokers/{created['id']}/")

    assert response.status_code == 204
    assert not Broker.objects.exists()
    alice.refresh_from_db()
    assert alice.default_broker is None


def test_delete_broker_with_trades_is_refused(alice, alice_api):
    broker = Broker.objects.create(user=alice, name="Démo", exchange="paper")
    PaperOrder.objects.create(broker=broker, symbol="BTC/USDT", type="market", side="buy", amount=Decimal("0.01"))

    response = alice_api.delete(f"/api/brokers/{broker.pk}/")

    assert response.status_code == 400
    assert response.data["detail"] == (
        "Le broker « Démo » a des trades enregistrés : suppression refusée (l'historique est conservé)."
    )
    assert Broker.objects.filter(pk=broker.pk).exists()


def test_anonymous_is_refused(api, prod_mode):
    assert api.get("/api/brokers/").status_code == 403
