from rest_framework import serializers

from apps.brokers.keys import mask, masked_fields
from apps.brokers.models import Broker
from apps.core.encryption import is_unreadable
from apps.core.services.ccxt_manager import exchange_ids


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
    """Formulaire du broker : clé, secret et passphrase s'écrivent ici, et ne se relisent que masqués (`keys`)."""

    exchange = serializers.ChoiceField(
        choices=exchange_ids(), error_messages={"invalid_choice": "Exchange inconnu : {input}."}
    )
    is_default = serializers.BooleanField(required=False)
    api_key = serializers.CharField(required=False, allow_blank=True, write_only=True)
    api_secret = serializers.CharField(required=False, allow_blank=True, write_only=True)
    api_password = serializers.CharField(required=False, allow_blank=True, write_only=True)
    unreadable_secrets = serializers.SerializerMethodField()  # à ressaisir : la clé de chiffrement a changé

    class Meta(BrokerListSerializer.Meta):
        fields = BrokerListSerializer.Meta.fields + ["api_key", "api_secret", "api_password", "unreadable_secrets"]
        extra_kwargs = {"name": {"error_messages": {"blank": "Nom requis.", "required": "Nom requis."}}}

    def get_unreadable_secrets(self, broker: Broker) -> list[str]:
        return [field for field in ("api_key", "api_secret", "api_password") if is_unreadable(getattr(broker, field))]

    def to_representation(self, broker: Broker) -> dict:
        return {**super().to_representation(broker), **masked_fields(broker)}


class RevealSerializer(serializers.Serializer):
    password = serializers.CharField(
        trim_whitespace=False, error_messages={"required": "Mot de passe requis.", "blank": "Mot de passe requis."}
    )


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
