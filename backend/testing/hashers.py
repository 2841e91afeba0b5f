"""Hachage des mots de passe des tests : le PBKDF2 de Django avec une seule itération (600 000 en production, environ
0,5 s par utilisateur créé). Même format `pbkdf2_sha256$…` : un processus lancé par un test (Daphne, commandes) le
vérifie avec ses réglages normaux."""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class FastPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1
