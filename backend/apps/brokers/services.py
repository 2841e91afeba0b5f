"""Cas d'usage des brokers : créer, modifier, supprimer, tester, choisir le broker par défaut."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from apps.brokers.models import PAPER, Broker
from apps.core.encryption import is_unreadable
from apps.core.services.ccxt_manager import ccxt_manager, exchange_profile
from apps.core.services.exchange_data import Balance
from apps.market_data.services import start_markets_reload

SECRET_FIELDS = ("api_key", "api_secret", "api_password")


def validate_broker(broker: Broker) -> None:
    """Exchange connu, identifiants demandés par CCXT présents, testnet seulement si l'exchange en a un."""
    profile = exchange_profile(broker.exchange)
    if profile is None:
        raise ValidationError(f"Exchange inconnu : {broker.exchange}.")
    if broker.is_testnet and not profile["has_sandbox"]:
        raise ValidationError(
            f"{profile['name']} n'a pas de testnet dans CCXT : ce broker ne peut pas être marqué testnet."
        )
    if profile["unsupported_credentials"]:
        raise ValidationError(
            f"{profile['name']} demande des identifiants non pris en charge : "
            f"{', '.join(profile['unsupported_credentials'])}."
        )
    labels = {"api_key": "la clé API", "api_secret": "le secret", "api_password": "la passphrase"}
    unreadable = [labels[field] for field in SECRET_FIELDS if is_unreadable(getattr(broker, field))]
    if unreadable:
        raise ValidationError(
            f"Identifiants illisibles (la clé de chiffrement a changé) : ressaisissez {', '.join(unreadable)}."
        )
    missing = [labels[field] for field in profile["credentials"] if not getattr(broker, field)]
    if missing:
        raise ValidationError(f"{profile['name']} demande {', '.join(missing)}.")
    if broker.exchange == PAPER and broker.paper_starting_balance <= 0:
        raise ValidationError("Le solde de départ paper doit être positif.")


def apply_form(broker: Broker, data: dict) -> None:
    """Copie les champs du formulaire sur `broker` (sans enregistrer) ; un secret vide, ou son masque renvoyé
    tel quel, garde l'ancien."""
    for field, value in data.items():
        if field in SECRET_FIELDS and (not value or "•" in value):
            continue  # vide ou masqué = garder le secret enregistré
        setattr(broker, field, value)
    if broker.exchange == PAPER:
        broker.is_testnet = False
        for field in SECRET_FIELDS:
            setattr(broker, field, "")


def _set_default(broker: Broker, is_default: bool | None) -> None:
    user = broker.user
    if is_default:
        user.default_broker = broker
    elif is_default is False and user.default_broker_id == broker.pk:
        user.default_broker = None
    else:
        return
    user.save(update_fields=["default_broker"])


def _after_save(broker: Broker) -> None:
    """Après validation en base : l'ancienne instance CCXT est oubliée et les paires se rechargent en fond."""
    ccxt_manager.sync.forget(broker.pk)
    start_markets_reload(broker=broker, user_id=broker.user_id)


@transaction.atomic
def broker_create(*, user, data: dict) -> Broker:
    data = dict(data)
    is_default = data.pop("is_default", None)
    broker = Broker(user=user)
    apply_form(broker, data)
    validate_broker(broker)
    broker.save()
    _set_default(broker, is_default or not user.brokers.exclude(pk=broker.pk).exists() or None)
    transaction.on_commit(lambda: _after_save(broker))
    return broker


@transaction.atomic
def broker_update(*, broker: Broker, data: dict) -> Broker:
    data = dict(data)
    is_default = data.pop("is_default", None)
    apply_form(broker, data)
    validate_broker(broker)
    broker.save()
    _set_default(broker, is_default)
    transaction.on_commit(lambda: _after_save(broker))
    return broker


@transaction.atomic
def broker_delete(*, broker: Broker) -> None:
    """Supprime le broker ; refusé s'il a des trades (ou des ordres paper). Le broker par défaut supprimé,
    le plus ancien des brokers restants de l'utilisateur le devient."""
    broker_id, user = broker.pk, broker.user
    was_default = user.default_broker_id == broker_id
    try:
        with transaction.atomic():
            broker.delete()
    except ProtectedError:
        raise ValidationError(
            f"Le broker « {broker.name} » a des trades enregistrés : suppression refusée (l'historique est conservé)."
        ) from None
    if was_default:
        user.default_broker = user.brokers.order_by("created_at", "pk").first()
        user.save(update_fields=["default_broker"])
    transaction.on_commit(lambda: ccxt_manager.sync.forget(broker_id))


def broker_test(*, broker: Broker) -> dict[str, Balance]:
    """Teste la connexion (soldes) d'un broker enregistré ou non ; lève une ExchangeError traduite."""
    validate_broker(broker)
    return ccxt_manager.sync.test_connection(broker)


def testnet_mode_allows(*, user, broker: Broker) -> bool:
    """En mode Testnet, seuls les brokers testnet ou paper peuvent passer des ordres."""
    return not user.testnet_mode or broker.is_testnet or broker.is_paper


def ensure_orders_allowed(*, user, broker: Broker) -> None:
    """Pour le service d'ordres : lève ValidationError si le mode Testnet interdit ce broker."""
    if not testnet_mode_allows(user=user, broker=broker):
        raise ValidationError(f"Mode Testnet actif : le broker « {broker.name} » est en production, ordre refusé.")
