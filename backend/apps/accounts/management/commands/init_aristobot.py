from django.core.management.base import BaseCommand

from apps.accounts.services import init_aristobot


class Command(BaseCommand):
    help = "Crée les utilisateurs initiaux 'dev' et 'dac' (idempotent)."

    def handle(self, *args, **options):
        for message in init_aristobot():
            self.stdout.write(message)
