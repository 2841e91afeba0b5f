from django.db import models

from apps.core.encryption import UnreadableSecret, decrypt, encrypt


class EncryptedTextField(models.TextField):
    """Texte stocké chiffré (Fernet) en base, en clair en Python ; illisible → `UnreadableSecret`."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        if isinstance(value, UnreadableSecret):
            return value.token  # rien de nouveau saisi : le texte chiffré d'origine est gardé
        value = super().get_prep_value(value)
        return encrypt(value) if value else value
