from django.db import migrations


def reencrypt(apps, schema_editor):
    from apps.core.services.secrets_rotation import reencrypt_secrets

    reencrypt_secrets(models=[apps.get_model("accounts", "User")])


class Migration(migrations.Migration):
    """Clé OpenRouter rechiffrée avec FIELD_ENCRYPTION_KEY (elle l'était avec une clé dérivée de SECRET_KEY)."""

    dependencies = [("accounts", "0002_user_default_broker")]
    operations = [migrations.RunPython(reencrypt, migrations.RunPython.noop)]
