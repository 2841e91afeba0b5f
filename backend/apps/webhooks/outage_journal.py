"""Les livraisons reçues pendant une panne de PostgreSQL : écrites dans un journal sur disque, rejouées dans
l'ordre d'arrivée quand la base revient.

Pourquoi un fichier et pas Redis : le Redis local tourne sans persistance (`--save ""`), et une panne peut toucher
les deux ; un fichier écrit et synchronisé (fsync) avant la réponse 200 survit à un arrêt brutal de Daphne comme
de la machine. Un fichier par processus (`<pid>.jsonl`, lignes JSON), dans WEBHOOK_BUFFER_DIR.

Rejeu : le fichier est d'abord renommé (`.replay`), enregistré par `receive_all` comme une livraison ordinaire
(heure d'arrivée d'origine), puis supprimé. Rejoué deux fois après un arrêt entre les deux, une livraison
retombe sur la détection des doublons (même id, ou même message à moins de 10 s) : jamais un second ordre.
"""

import base64
import json
import logging
import os
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils.datastructures import CaseInsensitiveMapping

from apps.webhooks.services.receiving import Delivery

logger = logging.getLogger("aristobot.webhooks")


def _directory() -> Path:
    path = Path(settings.WEBHOOK_BUFFER_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def append(delivery: Delivery) -> None:
    """Écrit la livraison, synchronisée sur disque avant de rendre la main."""
    line = {
        "token": delivery.token,
        "body": base64.b64encode(delivery.body).decode(),
        "content_type": delivery.content_type,
        "headers": dict(delivery.headers),
        "remote_addr": delivery.remote_addr,
        "received_at": delivery.received_at.isoformat(),
    }
    with open(_directory() / f"{os.getpid()}.jsonl", "a", encoding="utf-8") as journal:
        journal.write(json.dumps(line) + "\n")
        journal.flush()
        os.fsync(journal.fileno())


def has_entries() -> bool:
    directory = Path(settings.WEBHOOK_BUFFER_DIR)
    return directory.is_dir() and any(directory.glob("*.jsonl*"))


def _read(path: Path) -> list[Delivery]:
    entries = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        try:
            line = json.loads(raw)
        except ValueError:
            continue  # ligne coupée par un arrêt pendant l'écriture : jamais répondue 200
        delivery = Delivery(
            token=line["token"],
            body=base64.b64decode(line["body"]),
            content_type=line["content_type"],
            headers=CaseInsensitiveMapping(line["headers"]),
            remote_addr=line["remote_addr"],
            received_at=datetime.fromisoformat(line["received_at"]),
        )
        entries.append(delivery)
    return entries


def replay(receive) -> list:
    """Rejoue tout le journal, les plus anciennes d'abord, par `receive(entrées)` (fonction synchrone qui
    enregistre et retourne ce qu'il faut annoncer) ; base encore injoignable : OperationalError, rien n'est lu."""
    connection.ensure_connection()
    directory = _directory()
    for path in sorted(directory.glob("*.jsonl")):
        target = path.with_suffix(f".jsonl.{os.getpid()}.replay")
        try:
            os.replace(path, target)
        except FileNotFoundError:
            continue  # pris par un autre processus
    stored = []
    replays = [(path, _read(path)) for path in directory.glob("*.replay")]
    entries = sorted((delivery for _, lines in replays for delivery in lines), key=lambda d: d.received_at)
    if entries:
        stored = receive(entries)
        logger.warning("Base revenue : %d webhooks reçus pendant la panne enregistrés", len(stored))
    for path, _ in replays:
        path.unlink(missing_ok=True)
    return stored
