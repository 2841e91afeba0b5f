from rest_framework import serializers

from apps.strategies.models import Strategy
from apps.strategies.runner.policy import MAX_CODE_CHARS

_CODE_ERRORS = {
    "required": "Le code est obligatoire.",
    "blank": "Le code est vide.",
    "max_length": f"Code trop long : {MAX_CODE_CHARS} caractères au plus.",
    "invalid": "Le code doit être un texte.",
}


class CodeField(serializers.CharField):
    """Texte seulement (un nombre ou une liste sont refusés, pas convertis) ; fins de ligne conservées."""

    def __init__(self, **kwargs):
        super().__init__(max_length=MAX_CODE_CHARS, trim_whitespace=False, error_messages=_CODE_ERRORS, **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrategySerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="user.username", read_only=True)
    code = CodeField()

    class Meta:
        model = Strategy
        fields = [
            "id",
            "owner",
            "name",
            "description",
            "code",
            "timeframe",
            "is_valid",
            "last_tested_at",
            "error_message",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "owner", "is_valid", "last_tested_at", "error_message", "created_at", "updated_at"]
        extra_kwargs = {
            "name": {"error_messages": {"blank": "Le nom est obligatoire.", "required": "Le nom est obligatoire."}}
        }

    def validate_name(self, value: str) -> str:
        value = value.strip()
        if not value:
            raise serializers.ValidationError("Le nom est obligatoire.")
        return value


class StrategyListSerializer(StrategySerializer):
    class Meta(StrategySerializer.Meta):
        fields = [f for f in StrategySerializer.Meta.fields if f != "code"]


class CodeSerializer(serializers.Serializer):
    code = CodeField()
    timeframe = serializers.ChoiceField(choices=Strategy.Timeframe.choices, default=Strategy.Timeframe.M15)


class CodeErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(allow_null=True)
    column = serializers.IntegerField(allow_null=True)
    message = serializers.CharField()


class DryRunSerializer(serializers.Serializer):
    candles = serializers.IntegerField()
    signals = serializers.IntegerField()
    ms = serializers.FloatField()
    symbol = serializers.CharField(allow_null=True, help_text="Série stockée utilisée ; null = bougies générées.")
    generated = serializers.BooleanField()


class CheckResultSerializer(serializers.Serializer):
    """Réponse de « Tester » (schéma OpenAPI) : `CheckReport.as_dict()`."""

    ok = serializers.BooleanField()
    errors = CodeErrorSerializer(many=True)
    # « class » est un mot réservé de Python : le champ est renommé dans le schéma.
    class_name = serializers.CharField(allow_null=True)
    warnings = serializers.ListField(child=serializers.CharField())
    dry_run = DryRunSerializer(allow_null=True)

    def get_fields(self):
        fields = super().get_fields()
        fields["class"] = fields.pop("class_name")
        return fields


class TemplateSerializer(serializers.Serializer):
    code = serializers.CharField()
