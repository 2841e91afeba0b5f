"""Rechiffrer les secrets au repos avec la clé principale (FIELD_ENCRYPTION_KEY), après son ajout ou une rotation."""

from django.apps import apps as installed_apps
from django.db import transaction

from apps.core.encryption import is_unreadable
from apps.core.fields import EncryptedTextField


@transaction.atomic
def reencrypt_secrets(*, models=None) -> dict[str, int]:
    """Rechiffre chaque secret lisible de `models` (tous les modèles par défaut) avec la clé principale.

    Un secret illisible est laissé tel quel. Retourne {"reencrypted": n, "unreadable": m}.
    """
    counts = {"reencrypted": 0, "unreadable": 0}
    for model in models or installed_apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if not fields:
            continue
        for row in model._base_manager.only("pk", *fields).iterator():
            readable = {}
            for name in fields:
                value = getattr(row, name)
                if is_unreadable(value):
                    counts["unreadable"] += 1
                elif value:
                    readable[name] = value
            if readable:
                model._base_manager.filter(pk=row.pk).update(**readable)
                counts["reencrypted"] += len(readable)
    return counts
