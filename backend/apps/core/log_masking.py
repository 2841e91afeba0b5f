"""Le jeton webhook (il vaut mot de passe) n'atteint aucune ligne de journal : chemin masqué en
`/api/webhooks/tradingview/****/`, dans `logging` (filtre des handlers) comme dans le journal d'accès
de Daphne (écrit hors de `logging`). Tout segment en forme de jeton (16 caractères d'URL sûre ou plus) qui suit
`webhooks` est masqué, quels que soient les barres obliques, les segments entre eux ou la requête."""

import logging
import re

from daphne import cli as daphne_cli
from daphne.access import AccessLogGenerator

_AFTER_WEBHOOKS = re.compile(r"(?<=webhooks)[^\s\"'<>]+", re.IGNORECASE)
_TOKEN_SHAPED = re.compile(r"(?<![\w-])[\w-]{16,}(?![\w-])", re.ASCII)
MASK = "****"


def mask_secrets(text: str) -> str:
    return _AFTER_WEBHOOKS.sub(lambda found: _TOKEN_SHAPED.sub(MASK, found.group()), text)


class MaskSecretsFilter(logging.Filter):
    """Filtre de handler : réécrit le message final (et la trace) de chaque enregistrement."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_secrets(record.exc_text)
        return True


class MaskedAccessLogGenerator(AccessLogGenerator):
    def write_entry(self, host, date, request, status=None, length=None, ident=None, user=None):
        super().write_entry(host, date, mask_secrets(request), status, length, ident, user)


def install_daphne_access_log() -> None:
    """Daphne construit son journal d'accès après avoir chargé l'application : celle-ci lui donne le sien."""
    daphne_cli.AccessLogGenerator = MaskedAccessLogGenerator
