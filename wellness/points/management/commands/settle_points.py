"""python manage.py settle_points [--date YYYY-MM-DD] [--check]"""
import datetime

from django.core.management.base import BaseCommand, CommandError

from wellness.points import selectors, services


class Command(BaseCommand):
    help = (
        "Credit the points earned by the records of --date (default: yesterday, Asia/Tokyo) and of the "
        "7 days before it (late syncs). Idempotent: running it again credits nothing twice. "
        "--check compares every cached balance with its ledger sum (exit status 1 on a mismatch)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the last day to settle, YYYY-MM-DD (default: yesterday)")
        parser.add_argument("--since", help="also settle from this day, YYYY-MM-DD (catching up after an outage)")
        parser.add_argument("--check", action="store_true", help="only run the reconciliation check")

    def handle(self, *args, date=None, since=None, check=False, **options):
        if not check:
            try:
                day = datetime.date.fromisoformat(date) if date else None
                since_day = datetime.date.fromisoformat(since) if since else None
            except ValueError:
                raise CommandError("--date and --since must be YYYY-MM-DD") from None
            run = services.points_settle(day=day, since=since_day)
            self.stdout.write(
                f"settled {run.first_day}..{run.last_day}: {run.credited_entries} entries, {run.credited_points} points"
            )
        mismatches = selectors.balances_reconcile()
        if mismatches:
            for row in mismatches[:20]:
                self.stderr.write(f"balance mismatch: user {row['user_id']} cached {row['balance']} ledger {row['ledger']}")
            raise CommandError(f"{len(mismatches)} balance(s) differ from the ledger")
        self.stdout.write("reconciliation: every balance equals its ledger sum")
