from django.core.management.base import BaseCommand

from apps.core.services.secrets_rotation import reencrypt_secrets


class Command(BaseCommand):
    help = (
        "Rechiffre les secrets (clés des brokers, clé OpenRouter) avec FIELD_ENCRYPTION_KEY, après l'ajout de "
        "cette clé ou une rotation (ancienne clé dans FIELD_ENCRYPTION_KEYS_OLD)."
    )

    def handle(self, *args, **options):
        counts = reencrypt_secrets()
        self.stdout.write(f"{counts['reencrypted']} secret(s) rechiffré(s) avec FIELD_ENCRYPTION_KEY.")
        if counts["unreadable"]:
            self.stdout.write(
                self.style.WARNING(
                    f"{counts['unreadable']} secret(s) illisible(s) avec les clés connues : "
                    "à ressaisir dans Mon compte."
                )
            )
