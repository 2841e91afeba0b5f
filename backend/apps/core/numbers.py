"""Nombres reçus de l'extérieur (signaux, tickets d'ordre) : bornés avant tout calcul.

Un texte de 5 000 chiffres ou « 1e999999999 » serait lent à convertir ou à écrire en entier ; on les refuse
d'emblée avec un message français.
"""

from decimal import Decimal, InvalidOperation

MAX_DIGITS = 40  # longueur du texte d'un nombre
MAX_EXPONENT = 30  # 10^±30 : bien au-delà de tout prix ou quantité réels


class NumberRefused(ValueError):
    """Le texte n'est pas un nombre fini et raisonnable ; le message dit pourquoi (français).

    `kind` : "not_number", "too_long" ou "out_of_range".
    """

    def __init__(self, message: str, kind: str):
        super().__init__(message)
        self.kind = kind


def bounded_decimal(value) -> Decimal:
    """`value` (texte, int ou Decimal) → Decimal fini, au plus MAX_DIGITS caractères et 10^±MAX_EXPONENT."""
    if isinstance(value, int) and not isinstance(value, bool):
        if value.bit_length() > 133:  # ≈ 40 chiffres, sans convertir un entier géant en texte
            raise NumberRefused(f"nombre trop long ({MAX_DIGITS} caractères au plus)", "too_long")
        value = str(value)
    text = value if isinstance(value, str) else format(value, "") if isinstance(value, Decimal) else None
    if text is None:
        raise NumberRefused("un nombre est attendu", "not_number")
    text = text.strip()
    if len(text) > MAX_DIGITS:
        raise NumberRefused(f"nombre trop long ({MAX_DIGITS} caractères au plus)", "too_long")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise NumberRefused("ce n'est pas un nombre", "not_number") from None
    if not number.is_finite():
        raise NumberRefused("nombre infini ou indéfini", "out_of_range")
    if number and abs(number.adjusted()) > MAX_EXPONENT:
        raise NumberRefused(f"nombre hors limites (10^±{MAX_EXPONENT})", "out_of_range")
    return number


def json_decimal(text: str) -> Decimal:
    """parse_float de json.loads : Decimal exact et borné."""
    return bounded_decimal(text)
