"""python manage.py export_5374 DIR [--year 2023]: writes the fiscal year's calendar as a 5374 data folder."""
from django.core.management.base import BaseCommand
from django.utils import timezone

from asahikawa.dates import fiscal_year_of
from community.garbage.transfer5374 import export_5374


class Command(BaseCommand):
    help = "Export the garbage calendar of a fiscal year as a 5374 data folder (UTF-8)."

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--year", type=int, default=None, help="Fiscal year (default: the current one).")

    def handle(self, *args, directory, year, **options):
        year = year or fiscal_year_of(timezone.localdate())
        counts = export_5374(directory, fiscal_year=year)
        self.stdout.write(f"FY{year}: " + ", ".join(f"{value} {name}" for name, value in counts.items()))
