"""Compile every .po of the project (locale/ and each app's own <app>/locale/) to .mo with polib:
no GNU gettext needed on a fresh machine."""
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand

SKIP = {".venv", "node_modules", ".git", "staticfiles", ".var"}


def po_files() -> list[Path]:
    """The project's translation files: the platform's (LOCALE_PATHS) and every app's locale/."""
    found = set()
    for locale_path in settings.LOCALE_PATHS:
        found.update(Path(locale_path).glob("*/LC_MESSAGES/*.po"))
    for path in Path(settings.BASE_DIR).rglob("locale/*/LC_MESSAGES/*.po"):
        if not SKIP & set(path.relative_to(settings.BASE_DIR).parts):
            found.add(path)
    return sorted(found)


class Command(BaseCommand):
    help = "Compile the project's .po files to .mo (like compilemessages, without gettext)."

    def handle(self, *args, **options):
        count = 0
        for po_path in po_files():
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            count += 1
        self.stdout.write(f"compiled {count} translation file(s)")
