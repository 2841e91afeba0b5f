"""Avertissement de `python run.py` : le mode dev (tout visiteur est `dev`) avec un proxy déclaré, c'est-à-dire
Aristobot probablement joignable depuis Internet."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "backend"))

from aristobot.env import env_bool, env_str

# Réglages qui déclarent un proxy ou un tunnel devant Daphne (.env.example).
PROXY_SETTINGS = ("TRUSTED_PROXY_HEADER", "WEBHOOK_TRUSTED_PROXY_HEADER")
HTTPS_PROXY_SETTING = "BEHIND_HTTPS_PROXY"


def dev_mode_proxy_warning() -> str | None:
    """Le texte de l'avertissement (lu dans l'environnement), ou None si rien à signaler."""
    if not (env_bool("DEBUG") and env_bool("DEBUG_ARISTOBOT")):
        return None
    declared = [name for name in PROXY_SETTINGS if env_str(name)]
    if env_bool(HTTPS_PROXY_SETTING):
        declared.append(HTTPS_PROXY_SETTING)
    if not declared:
        return None
    rule = "!" * 78
    return (
        f"{rule}\n"
        "!! ATTENTION : MODE DEV ACTIF (DEBUG=True et DEBUG_ARISTOBOT=True) ALORS QU'UN PROXY EST DÉCLARÉ\n"
        f"!! ({', '.join(declared)}).\n"
        "!! Le mode dev n'est accordé qu'au poste local sans en-tête de proxy, mais ce réglage veut dire\n"
        "!! qu'Aristobot est exposé : mettez DEBUG=False et DEBUG_ARISTOBOT=False dans .env\n"
        "!! (voir « Mettre Aristobot en ligne » dans Aristobot3.md).\n"
        f"{rule}\n"
    )
