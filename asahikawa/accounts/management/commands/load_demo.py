"""Demo data: accounts for every role, then each area's own demo (<app>/demo.py: load(stdout)).

Idempotent: running it again changes nothing that is already there.
"""
from django.core.management.base import BaseCommand
from django.db import transaction

from asahikawa.accounts import demo
from asahikawa.areas import AREAS, optional_module


class Command(BaseCommand):
    help = "Load demo accounts and sample data (idempotent). Invented values are labeled サンプル."

    def handle(self, *args, **options):
        with transaction.atomic():
            logins = demo.load(self.stdout)
            for area in AREAS:
                if module := optional_module(f"{area}.demo"):
                    module.load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo logins (password for all: %s):" % demo.PASSWORD))
        for role, email, note in logins:
            self.stdout.write(f"  {role:<28} {email:<40} {note}")
