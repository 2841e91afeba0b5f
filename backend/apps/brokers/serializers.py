from rest_framework import serializers

from apps.brokers.models import Broker
from apps.core.encryption import UNREADABLE_LABEL, is_unreadable
from apps.core.services.ccxt_manager import exchange_ids


def mask(secret: str) -> str:
    """Clé partiellement masquée pour les listes : 4 premiers et 4 derniers caractères."""
    if is_unreadable(secret):
        return UNREADABLE_LABEL
    if not secret:
        return ""
    if len(secret) <= 10:
        return "•" * len(secret)
    return f"{secret[:4]}••••{secret[-4:]}"


class BrokerListSerializer(serializers.ModelSerializer):
    api_key_masked = serializers.SerializerMethodField()
    is_default = serializers.BooleanField(read_only=True)
    owner = serializers.CharField(source="user.username", read_only=True)
    market_source = serializers.CharField(read_only=True)  # `exchange` des paires dans /api/markets/

    class Meta:
        model = Broker
        fields = [
            "id",
            "name",
            "exchange",
            "description",
            "api_key_masked",
            "is_default",
            "is_testnet",
            "market_source",
            "paper_starting_balance",
            "owner",
            "created_at",
            "updated_at",
        ]

    def get_api_key_masked(self, broker: Broker) -> str:
        return mask(broker.api_key)


class BrokerSerializer(BrokerListSerializer):
    """Formulaire du broker : son propriétaire voit et modifie clé, secret et passphrase (choix de l'utilisateur)."""

    exchange = serializers.ChoiceField(
        choices=exchange_ids(), error_messages={"invalid_choice": "Exchange inconnu : {input}."}
    )
    is_default = serializers.BooleanField(required=False)
    api_key = serializers.CharField(required=False, allow_blank=True)
    api_secret = serializers.CharField(required=False, allow_blank=True)
    api_password = serializers.CharField(required=False, allow_blank=True)
    unreadable_secrets = serializers.SerializerMethodField()  # à ressaisir : la clé de chiffrement a changé

    class Meta(BrokerListSerializer.Meta):
        fields = BrokerListSerializer.Meta.fields + ["api_key", "api_secret", "api_password", "unreadable_secrets"]
        extra_kwargs = {"name": {"error_messages": {"blank": "Nom requis.", "required": "Nom requis."}}}

    def get_unreadable_secrets(self, broker: Broker) -> list[str]:
        return [field for field in ("api_key", "api_secret", "api_password") if is_unreadable(getattr(broker, field))]

    def to_representation(self, broker: Broker) -> dict:
        data = super().to_representation(broker)
        viewer = self.context["request"].user
        if broker.user_id != viewer.pk:  # dev en mode dev : jamais les secrets d'un autre
            for field in ("api_key", "api_secret", "api_password"):
                data[field] = ""
        return data


class BrokerTestSerializer(BrokerSerializer):
    """Les champs du formulaire avant enregistrement ; `id` pour compléter les secrets laissés vides."""

    id = serializers.IntegerField(required=False, allow_null=True)
    name = serializers.CharField(required=False, allow_blank=True)

    class Meta(BrokerSerializer.Meta):
        fields = [
            "id",
            "name",
            "exchange",
            "api_key",
            "api_secret",
            "api_password",
            "is_testnet",
            "paper_starting_balance",
        ]
