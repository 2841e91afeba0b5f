from django.db import models

from apps.core.encryption import decrypt, encrypt


class EncryptedTextField(models.TextField):
    """Texte stocké chiffré (Fernet) en base, en clair en Python."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value
