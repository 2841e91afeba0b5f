"""Journalisation sur une console qui ne sait pas tout écrire (cp850, cp1252 sous Windows)."""

import codecs
import logging


class ConsoleHandler(logging.StreamHandler):
    """StreamHandler qui ne lève jamais sur un caractère que l'encodage du flux ignore :
    le caractère est écrit en échappement (`\\u2713`) au lieu de faire échouer la ligne."""

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        encoding = getattr(self.stream, "encoding", None) or "utf-8"
        try:
            codecs.lookup(encoding)
        except LookupError:
            return text
        return text.encode(encoding, "backslashreplace").decode(encoding)
