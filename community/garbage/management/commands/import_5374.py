"""python manage.py import_5374 DIR [--year 2023] [--on-holiday collect|skip|next_week] [--on-closure skip|next_week]

Reads a 5374 data folder into the fiscal year's calendar (see community/garbage/transfer5374.py).
Any error is printed with its file, row and column, and nothing is imported."""
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from asahikawa.dates import fiscal_year_of
from asahikawa.spreadsheets import SpreadsheetError
from community.garbage.models import OnClosure, OnHoliday
from community.garbage.transfer5374 import import_5374


class Command(BaseCommand):
    help = "Import a 5374 data folder (area_days.csv, center.csv, description.csv, remarks.csv, target.csv)."

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--year", type=int, default=None, help="Fiscal year (default: the current one).")
        parser.add_argument("--on-holiday", choices=OnHoliday.values, default=OnHoliday.COLLECT)
        parser.add_argument("--on-closure", choices=OnClosure.values, default=OnClosure.SKIP)
        parser.add_argument("--sample", action="store_true", help="Mark everything imported as sample (サンプル).")

    def handle(self, *args, directory, year, on_holiday, on_closure, sample, **options):
        year = year or fiscal_year_of(timezone.localdate())
        try:
            result = import_5374(directory, fiscal_year=year, on_holiday=on_holiday, on_closure=on_closure,
                                 is_sample=sample)
        except SpreadsheetError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(exc.errors)} error(s); nothing was imported.") from exc
        self.stdout.write(
            f"FY{result.fiscal_year}: {result.areas} areas, {result.districts_created} new districts, "
            f"{result.rules} rules, {result.categories_created} new categories, {result.closures} closures, "
            f"{result.items} items"
        )
