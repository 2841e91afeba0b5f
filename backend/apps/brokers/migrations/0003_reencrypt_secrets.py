from django.db import migrations


def reencrypt(apps, schema_editor):
    from apps.core.services.secrets_rotation import reencrypt_secrets

    reencrypt_secrets(models=[apps.get_model("brokers", "Broker")])


class Migration(migrations.Migration):
    """Identifiants des brokers rechiffrés avec FIELD_ENCRYPTION_KEY (avant : clé dérivée de SECRET_KEY)."""

    dependencies = [("brokers", "0002_paper_order_client_id")]
    operations = [migrations.RunPython(reencrypt, migrations.RunPython.noop)]
