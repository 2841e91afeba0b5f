"""Lecture typée des variables d'environnement (.env à la racine du dépôt)."""

import base64
import binascii
import os
from pathlib import Path
from urllib.parse import urlparse

from django.core.exceptions import ImproperlyConfigured

REPO_ROOT = Path(__file__).resolve().parents[2]
DOTENV_PATH = REPO_ROOT / ".env"

# Serveurs locaux démarrés par `make run` / `make test` quand l'URL n'est pas donnée.
LOCAL_DATABASE_URL = "postgres://postgres@127.0.0.1:54329/aristobot"
LOCAL_REDIS_URL = "redis://127.0.0.1:63790/0"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def load_dotenv(path: Path = DOTENV_PATH) -> None:
    """Charge KEY=VALUE depuis `path` sans écraser l'environnement déjà défini."""
    if not path.exists():
        return
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if "=" not in line:
            raise ImproperlyConfigured(f"{path}:{number} : ligne invalide (attendu CLE=valeur) : {raw!r}")
        key, value = line.split("=", 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        os.environ.setdefault(key.strip(), value)


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} : valeur invalide, attendu True ou False.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_url(name: str, schemes: tuple[str, ...], default: str) -> str:
    value = env_str(name) or default
    parsed = urlparse(value)
    if parsed.scheme not in schemes or not parsed.hostname:
        raise ImproperlyConfigured(
            f"{name}={value!r} : URL invalide, attendu {' ou '.join(s + '://hôte...' for s in schemes)}."
        )
    return value


def database_from_url(url: str) -> dict:
    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if not name:
        raise ImproperlyConfigured(f"DATABASE_URL={url!r} : nom de base manquant.")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": parsed.username or "",
        "PASSWORD": parsed.password or "",
        "HOST": parsed.hostname,
        "PORT": str(parsed.port or 5432),
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": True,
    }


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} : nombre entier attendu.") from exc


def env_map(name: str) -> dict[str, str]:
    """« cle=valeur,cle2=valeur2 » → dictionnaire ; une entrée sans « = » arrête le démarrage."""
    result = {}
    for item in env_list(name):
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ImproperlyConfigured(f"{name} : entrée invalide {item!r} (attendu cle=valeur).")
        result[key.strip()] = value.strip()
    return result


def env_fernet_key(name: str, value: str | None = None) -> str:
    """Clé Fernet (32 octets en base64 URL) ; vide permis ; une clé mal formée arrête le démarrage."""
    key = env_str(name) if value is None else value
    if not key:
        return ""
    try:
        valid = len(base64.urlsafe_b64decode(key.encode())) == 32
    except (binascii.Error, ValueError):
        valid = False
    if not valid:
        raise ImproperlyConfigured(
            f"{name} : clé Fernet invalide (44 caractères base64, ex. produite par "
            '`python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`).'
        )
    return key
