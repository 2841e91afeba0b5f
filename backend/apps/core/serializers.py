from decimal import Decimal

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


def decimal_text(value: Decimal | None) -> str | None:
    """Decimal → texte sans exposant ni zéros inutiles (« 0.01 », « 50000 ») ; None reste None."""
    return None if value is None else format(value.normalize(), "f")


@extend_schema_field(OpenApiTypes.DECIMAL)
class DecimalText(serializers.Field):
    """Nombre en lecture seule, rendu par decimal_text."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return decimal_text(value)
