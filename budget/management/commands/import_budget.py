"""python manage.py import_budget FILE: import a budget from CSV or Excel (the layouts and the
checks: docs/budget-import.md).

Nothing is written when the file has an error; every error names the file, the row and the column.
"""
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from asahikawa.spreadsheets import SpreadsheetError
from budget.importing import LAYOUTS
from budget.models import GENERAL_ACCOUNT_CODE, UNITS
from budget.services import budget_import


class Command(BaseCommand):
    help = (
        "Import a budget file: the portal's layout (year,table,account,code,parent,name,amount,is_sample) "
        "or spending.jp's (category,category_id,subcategory,subcategory_id,amount,year); CSV or Excel."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--layout", choices=["auto", *LAYOUTS], default="auto",
                            help="The file's layout (default: told by the header).")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and show what would change; write nothing.")
        parser.add_argument("--replace", action="store_true",
                            help="Replace the years/tables the file carries when they are already in the database.")
        parser.add_argument("--sample", action="store_true", help="Mark every figure of the file as sample (サンプル).")
        parser.add_argument("--unit", type=int, choices=UNITS, default=1,
                            help="The unit of the file's amounts: 1 (yen, default) or 1000 (thousands of yen).")
        parser.add_argument("--account", default=GENERAL_ACCOUNT_CODE,
                            help="spending.jp layout: the account its lines belong to (default: general).")
        parser.add_argument("--source", default="", help="The source to record (default: the file name).")

    def handle(self, *args, **options):
        try:
            plan = budget_import(
                file=options["file"], layout=options["layout"], replace=options["replace"], dry_run=options["dry_run"],
                sample=options["sample"], unit=options["unit"], account=options["account"], source=options["source"],
            )
        except FileNotFoundError:
            raise CommandError(_("ファイルがありません: %(file)s") % {"file": options["file"]}) from None
        except SpreadsheetError as exc:
            shown = exc.errors[:50]
            more = len(exc.errors) - len(shown)
            message = _("取り込めません（何も書き込んでいません）。%(count)s件の誤り:") % {"count": len(exc.errors)}
            body = "\n".join(f"  {error}" for error in shown)
            if more:
                body += "\n  " + _("ほか%(more)s件") % {"more": more}
            raise CommandError(f"{message}\n{body}") from None
        for line in plan.describe():
            self.stdout.write(line)
        for warning in plan.warnings:
            self.stdout.write(self.style.WARNING(_("注意: %(warning)s") % {"warning": warning}))
        if options["dry_run"]:
            self.stdout.write(self.style.WARNING(_("--dry-run: 何も書き込んでいません。")))
        else:
            self.stdout.write(self.style.SUCCESS(_("%(rows)s行を取り込みました。") % {"rows": sum(unit.rows for unit in plan.units)}))
