"""Lecteur JSON de toute l'API DRF : refuse en 400 français ce qui ferait une erreur 500 plus loin.

Imbrication profonde (RecursionError), NaN / Infinity, flottants hors limites (1e309), entiers géants
(au-delà de 64 bits), caractère NUL et demi-paires UTF-16 isolées (que PostgreSQL refuse) : aucun champ
de l'API n'en a l'usage.
"""

import json
import math

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32
MAX_INTEGER = 2**63 - 1


class JSONRefused(ValueError):
    """JSON bien formé mais refusé ; le message est en français."""


def _constant(name: str):
    raise JSONRefused(f"valeur {name} refusée (nombre fini attendu)")


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JSONRefused(f"nombre hors limites : {text[:40]}")
    return value


def _int(text: str) -> int:
    if len(text.lstrip("-")) > 19 or abs(value := int(text)) > MAX_INTEGER:
        raise JSONRefused(f"entier hors limites : {text[:40]}{'…' if len(text) > 40 else ''}")
    return value


def _check(data) -> None:
    """Profondeur limitée, et textes qu'enregistre PostgreSQL : ni NUL ni demi-paire UTF-16 isolée."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                raise JSONRefused("caractère NUL refusé")
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise JSONRefused("caractère Unicode invalide (demi-paire isolée)") from None
        elif isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise JSONRefused(f"trop imbriqué ({MAX_DEPTH} niveaux au plus)")
            children = [*value.keys(), *value.values()] if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)


def loads(text: str, *, parse_float=_float, parse_constant=_constant):
    """`json.loads` qui lève JSONRefused pour ce qui est refusé ; JSONDecodeError et RecursionError passent."""
    data = json.loads(text, parse_constant=parse_constant, parse_float=parse_float, parse_int=_int)
    _check(data)
    return data


def parse_json(raw: bytes | str):
    """Texte JSON → données Python ; lève ParseError (français) pour un texte illisible ou refusé."""
    try:
        data = loads(raw.decode("utf-8") if isinstance(raw, bytes) else raw)
    except UnicodeDecodeError:
        raise ParseError("Corps illisible : UTF-8 attendu.") from None
    except RecursionError:
        raise ParseError(f"JSON refusé : trop imbriqué ({MAX_DEPTH} niveaux au plus).") from None
    except JSONRefused as exc:
        raise ParseError(f"JSON refusé : {exc}.") from None
    except ValueError as exc:
        raise ParseError(f"JSON invalide : {exc}.") from None
    return data


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return parse_json(stream.read() if stream is not None else b"")
