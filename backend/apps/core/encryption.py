"""Chiffrement Fernet des secrets au repos ; la clé dérive de SECRET_KEY par HKDF-SHA256."""
import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_INFO = b"aristobot3/secrets/fernet/v1"


@lru_cache(maxsize=4)
def _fernet(secret_key: str) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def encrypt(plaintext: str) -> str:
    """Chiffre `plaintext` ; la chaîne vide reste vide."""
    if not plaintext:
        return ""
    return _fernet(settings.SECRET_KEY).encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    """Déchiffre `token` ; lève ValueError si SECRET_KEY a changé depuis le chiffrement."""
    if not token:
        return ""
    try:
        return _fernet(settings.SECRET_KEY).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("Secret illisible : SECRET_KEY a changé depuis son enregistrement.") from exc
