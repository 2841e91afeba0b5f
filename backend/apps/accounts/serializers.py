from django.core.validators import URLValidator
from rest_framework import serializers

from apps.accounts.models import OLLAMA_URL_ERROR, User
from apps.brokers.models import Broker
from apps.core.encryption import is_unreadable

DEFAULT_BROKER_ERROR = "Broker inconnu : choisissez un de vos brokers."


class UserSerializer(serializers.ModelSerializer):
    is_dev = serializers.BooleanField(read_only=True)
    has_password = serializers.BooleanField(source="has_usable_password", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "is_dev", "is_staff", "has_password", "theme", "display_timezone"]


class LoginSerializer(serializers.Serializer):
    username = serializers.CharField(error_messages={"required": "Nom d'utilisateur requis."})
    password = serializers.CharField(error_messages={"required": "Mot de passe requis."})


class ActAsSerializer(serializers.Serializer):
    user_id = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, error_messages={"required": "Choisissez un utilisateur."}
    )


class DevChoiceSerializer(serializers.ModelSerializer):
    is_dev = serializers.BooleanField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "is_dev", "is_staff"]


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(error_messages={"required": "Ancien mot de passe requis."})
    new_password = serializers.CharField(error_messages={"required": "Nouveau mot de passe requis."})


class PreferencesSerializer(serializers.ModelSerializer):
    ai_openrouter_key = serializers.CharField(write_only=True, required=False, allow_blank=True)
    ai_ollama_url = serializers.CharField(
        max_length=200, required=False, validators=[URLValidator(schemes=["http", "https"], message=OLLAMA_URL_ERROR)]
    )
    default_broker = serializers.PrimaryKeyRelatedField(
        queryset=Broker.objects.all(),
        allow_null=True,
        required=False,
        error_messages={"does_not_exist": DEFAULT_BROKER_ERROR, "incorrect_type": DEFAULT_BROKER_ERROR},
    )
    ai_openrouter_key_set = serializers.SerializerMethodField()
    ai_openrouter_key_unreadable = serializers.SerializerMethodField()  # « illisible, à ressaisir »

    class Meta:
        model = User
        fields = [
            "theme",
            "display_timezone",
            "testnet_mode",
            "ai_openrouter_enabled",
            "ai_openrouter_key",
            "ai_openrouter_key_set",
            "ai_openrouter_model",
            "ai_openrouter_key_unreadable",
            "ai_ollama_enabled",
            "ai_ollama_url",
            "ai_ollama_model",
            "default_broker",
        ]
        extra_kwargs = {
            "theme": {"error_messages": {"invalid_choice": "Thème inconnu : choisissez dark ou light."}},
        }

    def validate_default_broker(self, broker: Broker | None) -> Broker | None:
        if broker is not None and broker.user_id != self.instance.pk:
            raise serializers.ValidationError(DEFAULT_BROKER_ERROR)
        return broker

    def get_ai_openrouter_key_set(self, user: User) -> bool:
        return bool(user.ai_openrouter_key)

    def get_ai_openrouter_key_unreadable(self, user: User) -> bool:
        return is_unreadable(user.ai_openrouter_key)
