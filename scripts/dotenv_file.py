"""Crée .env depuis .env.example au premier lancement, avec SECRET_KEY et FIELD_ENCRYPTION_KEY neuves.

Ne réécrit jamais un .env existant ; y ajoute seulement FIELD_ENCRYPTION_KEY s'il n'en a pas (fichier
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
    """Ajoute FIELD_ENCRYPTION_KEY à la fin d'un .env qui n'en a pas ; retourne True si ajoutée."""
    if any(line.startswith(f"{ENCRYPTION_KEY}=") for line in path.read_text().splitlines()):
        return False
    with path.open("a") as dotenv:
        dotenv.write(f"\n# Ajoutée automatiquement : clé de chiffrement des secrets (ne pas la perdre).\n"
                     f"{ENCRYPTION_KEY}={new_fernet_key()}\n")
    return True


def ensure_dotenv(path: Path = ROOT / ".env", example: Path = ROOT / ".env.example") -> bool:
    """Retourne True si le fichier vient d'être créé."""
    if path.exists():
        if ensure_encryption_key(path):
            print(f"{ENCRYPTION_KEY} ajoutée à .env (les secrets seront rechiffrés par la migration).")
        return False
    lines = [_generated(line) for line in example.read_text().splitlines()]
    path.write_text("\n".join(lines) + "\n")
    path.chmod(0o600)
    return True
