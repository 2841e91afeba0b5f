"""Chiffrement Fernet des secrets au repos (clés des brokers, clé OpenRouter).

Chiffré avec FIELD_ENCRYPTION_KEY, indépendante de SECRET_KEY ; lu avec elle, puis les clés de
FIELD_ENCRYPTION_KEYS_OLD, puis la clé dérivée de SECRET_KEY par HKDF (celle des versions précédentes) :
une rotation ne perd rien. Un secret qu'aucune clé ne lit devient `UnreadableSecret` au lieu d'une erreur.
"""

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_INFO = b"aristobot3/secrets/fernet/v1"
UNREADABLE_LABEL = "illisible, à ressaisir"


class UnreadableSecret(str):
    """Secret indéchiffrable : vide (donc faux) pour le code ; le texte chiffré d'origine reste en base
    tant que l'utilisateur n'en saisit pas un nouveau (une ancienne clé remise le rendrait lisible)."""

    token: str

    def __new__(cls, token: str):
        secret = super().__new__(cls, "")
        secret.token = token
        return secret


def is_unreadable(value) -> bool:
    return isinstance(value, UnreadableSecret)


def legacy_key(secret_key: str) -> bytes:
    """La clé des versions précédentes : HKDF-SHA256 de SECRET_KEY."""
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret_key.encode())
    return base64.urlsafe_b64encode(derived)


@lru_cache(maxsize=8)
def _keyring(primary: str, old: tuple[str, ...], secret_key: str) -> MultiFernet:
    keys = [key.encode() for key in (primary, *old) if key] + [legacy_key(secret_key)]
    return MultiFernet([Fernet(key) for key in keys])


def _current() -> MultiFernet:
    return _keyring(settings.FIELD_ENCRYPTION_KEY, tuple(settings.FIELD_ENCRYPTION_KEYS_OLD), settings.SECRET_KEY)


def encrypt(plaintext: str) -> str:
    """Chiffre `plaintext` avec la clé principale ; la chaîne vide reste vide."""
    if not plaintext:
        return ""
    return _current().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    """Déchiffre `token` avec la première clé qui le lit ; `UnreadableSecret` si aucune ne le lit."""
    if not token:
        return ""
    try:
        return _current().decrypt(token.encode()).decode()
    except InvalidToken:
        return UnreadableSecret(token)
