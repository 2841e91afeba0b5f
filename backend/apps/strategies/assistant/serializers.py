from rest_framework import serializers

ASK_REQUIRED = "Écrivez votre demande à l'assistant."


class TextField(serializers.CharField):
    """Un texte JSON, jamais un nombre ou un booléen converti en texte."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class ReportedErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(min_value=0, allow_null=True, required=False)
    column = serializers.IntegerField(min_value=0, allow_null=True, required=False)
    message = TextField(max_length=2000)


class AssistantRequestSerializer(serializers.Serializer):
    request = TextField(max_length=4000, error_messages={"required": ASK_REQUIRED, "blank": ASK_REQUIRED})
    code = TextField(max_length=100_000, required=False, allow_blank=True, trim_whitespace=False, default="")
    errors = ReportedErrorSerializer(many=True, required=False, max_length=50, default=list)
