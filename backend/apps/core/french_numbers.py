"""Nombres dans les messages destinés à l'utilisateur, à la française comme l'interface (format/numbers.js)."""

from decimal import Decimal

GROUP = "\u202f"  # espace fine insécable, séparateur des milliers


def french_number(value: Decimal | int, places: int | None = None) -> str:
    """Decimal exact → « 10 326,42 », « 0,0026 » : sans exposant ni zéros inutiles, rien d'arrondi ; avec `places`,
    arrondi à ce nombre de décimales, zéros gardés (« 10 012,50 » pour un montant en USD)."""
    number = Decimal(value).normalize() if places is None else Decimal(value).quantize(Decimal(1).scaleb(-places))
    text = format(number if number else abs(number), "f")
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _, fraction = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + GROUP.join(groups) + ("," + fraction if fraction else "")
