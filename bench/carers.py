"""Benchmark of the young-carer support (issue 14), on the PostgreSQL database DATABASE_URL names.

    createdb -h 127.0.0.1 -U postgres h_carers_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_carers_bench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_carers_bench .venv/bin/python bench/carers.py

Builds open cases (active plans of three visits a week: Monday, Wednesday, Friday; two hours;
20 agencies with one staff account each; every household opted in to the visit reminders), first
200 then 2,000, and at each size measures:

1. generating a month of visits from the plans (services.visits_generate: one INSERT ... SELECT);
2. the day-before reminders to the households and the agencies (reminders.day_before_send);
3. the monthly report per agency and per household, with the cost (selectors.monthly_report),
   after recording every visit of the month as done.

Each prints its time and its number of SQL queries (the same at both sizes: set-based). Everything
the bench wrote is deleted at the end unless --keep. Prints `name: value unit` lines.
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asahikawa.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "false")  # no query log growing in memory

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from asahikawa.accounts.models import HelperAgency, Profile  # noqa: E402
from asahikawa.notifications import tasks as notification_tasks  # noqa: E402
from asahikawa.notifications.models import Notification, NotificationPreference  # noqa: E402
from wellness.carers import reminders, selectors, services  # noqa: E402
from wellness.carers.models import Case, CaseEvent, Status, Visit, weekday_mask  # noqa: E402

EMAIL_DOMAIN = "carers.bench.invalid"
AGENCY_PREFIX = "ベンチ家事支援"
AGENCIES = 20
SIZES = (200, 2_000)
User = get_user_model()


class _NoSend:
    """Stands in for the email task (the worker's work, not measured)."""

    @staticmethod
    def delay(*args):
        return None


def out(name, value, unit=""):
    print(f"{name}: {value} {unit}".rstrip(), flush=True)


def clean():
    users = User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}")
    agencies = HelperAgency.objects.filter(name__startswith=AGENCY_PREFIX)
    with transaction.atomic():
        cases = Case.objects.filter(agency__in=agencies)
        Visit.objects.filter(case__in=cases)._raw_delete(connection.alias)
        CaseEvent.objects.filter(case__in=cases)._raw_delete(connection.alias)
        cases._raw_delete(connection.alias)
        Notification.objects.filter(user__in=users)._raw_delete(connection.alias)
        NotificationPreference.objects.filter(user__in=users)._raw_delete(connection.alias)
        Profile.objects.filter(user__in=users)._raw_delete(connection.alias)
        users._raw_delete(connection.alias)
        agencies.delete()


def build_agencies():
    agencies = HelperAgency.objects.bulk_create(
        [HelperAgency(name=f"{AGENCY_PREFIX}{n:02d}", is_sample=True) for n in range(AGENCIES)]
    )
    staff = User.objects.bulk_create([User(email=f"agency-{n}@{EMAIL_DOMAIN}", password="!") for n in range(AGENCIES)])
    Profile.objects.bulk_create([Profile(user=user, agency=agency) for user, agency in zip(staff, agencies)])
    NotificationPreference.objects.bulk_create(
        [NotificationPreference(user=user, kind="visit_reminder", channel="inbox") for user in staff]
    )
    return agencies


def add_cases(agencies, start_number, count, plan_start, plan_end):
    households = User.objects.bulk_create(
        [User(email=f"household-{n}@{EMAIL_DOMAIN}", password="!") for n in range(start_number, start_number + count)],
        batch_size=2000,
    )
    NotificationPreference.objects.bulk_create(
        [NotificationPreference(user=user, kind="visit_reminder", channel="inbox") for user in households],
        batch_size=2000,
    )
    now = timezone.now()
    Case.objects.bulk_create(
        [
            Case(
                status=Status.ACTIVE,
                household=user,
                applied_by=user,
                applied_as="guardian",
                guardian_name=f"ベンチ 保護者{n}",
                address=f"旭川市ベンチ町{n}",
                phone="0166-00-0000",
                reason="illness",
                services_wanted=["cooking"],
                wanted_from=plan_start,
                wanted_to=plan_end,
                consent_at=now,
                plan_start=plan_start,
                plan_end=plan_end,
                plan_weekdays=weekday_mask([0, 2, 4]),
                minutes_per_visit=120,
                plan_tasks=["cooking", "cleaning"],
                agency=agencies[n % len(agencies)],
                is_sample=True,
            )
            for n, user in zip(range(start_number, start_number + count), households)
        ],
        batch_size=2000,
    )


def measured(call):
    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        result = call()
        elapsed = (time.perf_counter() - start) * 1000
    return result, len(captured), elapsed


def run(size, agencies, first, last):
    bench_cases = Case.objects.filter(agency__in=agencies)
    Visit.objects.filter(case__in=bench_cases)._raw_delete(connection.alias)
    created, queries, ms = measured(lambda: transaction.atomic()(services.visits_generate)(start=first, end=last))
    out(f"generate_month_{size}_cases_visits", created, "visits")
    out(f"generate_month_{size}_cases", f"{ms:.0f}", "ms")
    out(f"generate_month_{size}_cases_queries", queries, "queries")

    # The day before the first Monday of the month.
    monday = first + datetime.timedelta(days=(7 - first.weekday()) % 7)
    sent, queries, ms = measured(
        lambda: transaction.atomic()(reminders.day_before_send)(today=monday - datetime.timedelta(days=1))
    )
    out(f"day_before_reminders_{size}_cases_sent", sent, "notifications")
    out(f"day_before_reminders_{size}_cases", f"{ms:.0f}", "ms")
    out(f"day_before_reminders_{size}_cases_queries", queries, "queries")
    Notification.objects.filter(user__email__endswith=f"@{EMAIL_DOMAIN}")._raw_delete(connection.alias)

    Visit.objects.filter(case__in=bench_cases).update(state="done", minutes=120, tasks_done=["cooking"])
    report, queries, ms = measured(lambda: selectors.monthly_report(first))
    bench_rows = [row for row in report["agencies"] if row["name"].startswith(AGENCY_PREFIX)]
    out(
        f"monthly_report_{size}_cases_households",
        sum(1 for row in report["households"] if row["agency"].startswith(AGENCY_PREFIX)),
        "rows",
    )
    out(f"monthly_report_{size}_cases_hours", f"{sum(row['minutes'] for row in bench_rows) / 60:.0f}", "h")
    out(f"monthly_report_{size}_cases", f"{ms:.0f}", "ms")
    out(f"monthly_report_{size}_cases_queries", queries, "queries")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keep", action="store_true", help="keep the bench data")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("needs PostgreSQL: set DATABASE_URL", file=sys.stderr)
        return 2
    notification_tasks.send_notification_emails_for_key = _NoSend
    notification_tasks.send_notification_emails = _NoSend
    clean()
    today = timezone.localdate()
    first = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)  # next month
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    try:
        agencies = build_agencies()
        built = 0
        for size in SIZES:
            add_cases(agencies, built, size - built, first, last + datetime.timedelta(days=30))
            built = size
            run(size, agencies, first, last)
    finally:
        if not args.keep:
            clean()
    return 0


if __name__ == "__main__":
    sys.exit(main())
