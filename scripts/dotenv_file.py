"""Crée .env depuis .env.example au premier lancement, avec une SECRET_KEY neuve ; ne le réécrit jamais."""
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def ensure_dotenv(path: Path = ROOT / ".env", example: Path = ROOT / ".env.example") -> bool:
    """Retourne True si le fichier vient d'être créé."""
    if path.exists():
        return False
    lines = []
    for line in example.read_text(encoding="utf-8").splitlines():
        if line.startswith("SECRET_KEY="):
            line = "SECRET_KEY=" + secrets.token_urlsafe(50)
        lines.append(line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.chmod(0o600)
    return True
