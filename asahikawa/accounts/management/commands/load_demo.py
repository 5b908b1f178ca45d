"""Demo data: each app's own (its AppConfig's load_demo), in the order of INSTALLED_APPS, the
accounts for every role first.

Idempotent: running it again changes nothing that is already there.
"""
from django.core.management.base import BaseCommand
from django.db import transaction

from asahikawa.areas import portal_apps


class Command(BaseCommand):
    help = "Load demo accounts and sample data (idempotent). Invented values are labeled サンプル."

    def handle(self, *args, **options):
        with transaction.atomic():
            for config in portal_apps():
                config.load_demo(self.stdout)
