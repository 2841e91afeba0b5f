"""Nombres dans les messages destinés à l'utilisateur, à la française comme l'interface (format/numbers.js)."""

from decimal import Decimal

GROUP = "\u202f"  # espace fine insécable, séparateur des milliers


def french_number(value: Decimal | int) -> str:
    """Decimal exact → « 10 326,42 », « 0,0026 » : sans exposant ni zéros inutiles, rien d'arrondi."""
    text = format(Decimal(value).normalize(), "f")
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _, fraction = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + GROUP.join(groups) + ("," + fraction if fraction else "")
