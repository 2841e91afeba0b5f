"""Crée .env depuis .env.example au premier lancement, avec SECRET_KEY et FIELD_ENCRYPTION_KEY neuves.

Ne réécrit jamais un .env existant ; y pose seulement FIELD_ENCRYPTION_KEY s'il n'en a pas (fichier
d'une version précédente : les secrets déjà enregistrés restent lisibles par la clé dérivée de SECRET_KEY
et la migration `reencrypt_secrets` les rechiffre avec la nouvelle clé).
"""

import base64
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENCRYPTION_KEY = "FIELD_ENCRYPTION_KEY"


def new_fernet_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def _generated(line: str) -> str:
    if line.startswith("SECRET_KEY="):
        return "SECRET_KEY=" + secrets.token_urlsafe(50)
    if line.startswith(f"{ENCRYPTION_KEY}="):
        return f"{ENCRYPTION_KEY}={new_fernet_key()}"
    return line


def ensure_encryption_key(path: Path) -> bool:
    """Donne une FIELD_ENCRYPTION_KEY à un .env qui n'en a pas ou l'a vide (copie de .env.example) ;
    retourne True si elle vient d'être posée. Aucune autre ligne n'est touchée."""
    lines = path.read_text(encoding="utf-8").splitlines()
    prefix = f"{ENCRYPTION_KEY}="
    if any(line.startswith(prefix) and line[len(prefix) :].strip() for line in lines):
        return False
    key_line = prefix + new_fernet_key()
    if any(line.startswith(prefix) for line in lines):
        lines = [key_line if line.startswith(prefix) else line for line in lines]
    else:
        lines += ["", "# Ajoutée automatiquement : clé de chiffrement des secrets (ne pas la perdre).", key_line]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return True


def ensure_dotenv(path: Path = ROOT / ".env", example: Path = ROOT / ".env.example") -> bool:
    """Retourne True si le fichier vient d'être créé."""
    if path.exists():
        if ensure_encryption_key(path):
            print(
                f"{ENCRYPTION_KEY} ajoutée à .env. Secrets déjà enregistrés : la migration les rechiffre ; "
                "si elle est déjà passée, lancez `manage.py reencrypt_secrets`."
            )
        return False
    lines = [_generated(line) for line in example.read_text(encoding="utf-8").splitlines()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.chmod(0o600)
    return True
