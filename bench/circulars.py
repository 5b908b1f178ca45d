"""Benchmark of the electronic circular board (issue 11), on the database DATABASE_URL names.

    createdb -h 127.0.0.1 -U postgres h_circulars_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_circulars_bench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_circulars_bench .venv/bin/python bench/circulars.py

Builds one bench district of 150 associations: one of 1,000 households, one of 100, and 148 of
196 (about 30,000 households; one in ten on paper, the others with one resident account each).
Then measures, through the same services and pages the portal uses:
- publishing a circular to 100 and to 1,000 households (roster INSERT ... SELECT and the
  notifications): the number of queries at each size (the same: set-based) and the time;
- a household opening a circular (p50/p99 of the compare-and-set);
- the unread reminder at 100 and 1,000 households (queries, time);
- the officer's progress page of the 1,000-household circular (in-process WSGI through the whole
  middleware stack): its queries at 100 and 1,000 households and its p50/p99;
- a safety check to every association of the district (about 30,000 households): created and
  notified in one set-based pass (queries, time, households and notifications).
Emails are sent by the Celery worker after commit and are not part of these figures: the task
that would be queued is counted instead of sent. Everything the script builds is deleted at the
end unless --keep. Prints `name: value unit` lines.
"""
import argparse
import os
import statistics
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
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from asahikawa.accounts.models import Association, District, Profile  # noqa: E402
from asahikawa.notifications import tasks as notification_tasks  # noqa: E402
from asahikawa.notifications.models import Notification  # noqa: E402
from community.circulars import services  # noqa: E402
from community.circulars.models import (  # noqa: E402
    Circular,
    DistrictCheck,
    Group,
    Household,
    Membership,
    Receipt,
    Reminder,
)

EMAIL_DOMAIN = "circulars.bench.invalid"
DISTRICT = "bench-circulars"
User = get_user_model()
queued = []


class _NoSend:
    """Stands in for the email task: counts what would be queued (the worker's work, not measured)."""

    @staticmethod
    def delay(*args):
        queued.append(args)


def out(name, value, unit=""):
    print(f"{name}: {value} {unit}".rstrip(), flush=True)


def percentile(samples, fraction):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def clean():
    """Remove everything the bench made (in SQL: a collector would load 30,000 rows)."""
    district = District.objects.filter(code=DISTRICT).first()
    users = User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}")
    with transaction.atomic():
        if district is not None:
            associations = Association.objects.filter(district=district)
            circulars = Circular.objects.filter(association__in=associations)
            Receipt.objects.filter(circular__in=circulars)._raw_delete(connection.alias)
            Reminder.objects.filter(circular__in=circulars)._raw_delete(connection.alias)
            Circular.groups.through.objects.filter(circular__in=circulars)._raw_delete(connection.alias)
            circulars._raw_delete(connection.alias)
            DistrictCheck.objects.filter(district=district)._raw_delete(connection.alias)
            Membership.objects.filter(association__in=associations)._raw_delete(connection.alias)
            Household.objects.filter(association__in=associations)._raw_delete(connection.alias)
            Group.objects.filter(association__in=associations)._raw_delete(connection.alias)
            Profile.objects.filter(officer_of__in=associations).update(officer_of=None, association=None)
            associations._raw_delete(connection.alias)
        Notification.objects.filter(user__in=users)._raw_delete(connection.alias)
        Profile.objects.filter(user__in=users)._raw_delete(connection.alias)
        users._raw_delete(connection.alias)
        if district is not None:
            district.delete()


def build(sizes):
    """One district, its associations (households per association in `sizes`), one account per
    household except one in ten on paper. bulk_create in batches: a few seconds for 30,000."""
    district = District.objects.create(code=DISTRICT, name="ベンチ地区", is_sample=True)
    associations = Association.objects.bulk_create(
        [Association(name=f"ベンチ町内会{n:03d}", district=district, is_sample=True) for n in range(len(sizes))]
    )
    groups = Group.objects.bulk_create(
        [Group(association=a, name=f"{g}班", position=g) for a in associations for g in range(1, 6)]
    )
    by_association = {}
    for group in groups:
        by_association.setdefault(group.association_id, []).append(group)
    households = []
    for association, size in zip(associations, sizes):
        own = by_association[association.pk]
        households.extend(
            Household(association=association, group=own[n % 5], name=f"世帯{n}", position=n, paper_only=n % 10 == 9,
                      is_sample=True)
            for n in range(size)
        )
    households = Household.objects.bulk_create(households, batch_size=5000)
    with_account = [h for h in households if not h.paper_only]
    users = User.objects.bulk_create(
        [User(email=f"resident-{n}@{EMAIL_DOMAIN}", password="!") for n in range(len(with_account))], batch_size=5000
    )
    Membership.objects.bulk_create(
        [Membership(household=h, association_id=h.association_id, user=u) for h, u in zip(with_account, users)],
        batch_size=5000,
    )
    officers = {}
    for association in associations[:2]:
        officer = User.objects.create(email=f"officer-{association.pk}@{EMAIL_DOMAIN}", password="!")
        Profile.objects.create(user=officer, officer_of=association)
        officers[association.pk] = officer
    return district, associations, officers, {h.pk: u for h, u in zip(with_account, users)}


def measured(call):
    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        result = call()
        elapsed = (time.perf_counter() - start) * 1000
    return result, len(captured), elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--associations", type=int, default=150)
    parser.add_argument("--households", type=int, default=196, help="households of each ordinary association")
    parser.add_argument("--requests", type=int, default=50, help="requests per page for p50/p99")
    parser.add_argument("--keep", action="store_true", help="keep the bench data")
    args = parser.parse_args()
    notification_tasks.send_notification_emails_for_key = _NoSend
    notification_tasks.send_notification_emails = _NoSend

    out("database", connection.vendor)
    clean()
    sizes = [1000, 100] + [args.households] * (args.associations - 2)
    start = time.perf_counter()
    district, associations, officers, account_of = build(sizes)
    out("build", f"{time.perf_counter() - start:.1f}", "s")
    out("district_households", Household.objects.filter(association__district=district).count(), "households")
    out("district_accounts", len(account_of), "accounts")
    big, small = associations[0], associations[1]
    try:
        # a first publication warms the connection and the caches (not measured)
        warm = associations[2]
        officer = User.objects.create(email=f"officer-{warm.pk}@{EMAIL_DOMAIN}", password="!")
        Profile.objects.create(user=officer, officer_of=warm)
        services.circular_create(association=warm, author=officer, data=services.CircularInput(title="warm-up"))
        circulars = {}
        for label, association in (("100", small), ("1000", big)):
            circular, queries, elapsed = measured(lambda a=association: services.circular_create(
                association=a, author=officers[a.pk],
                data=services.CircularInput(title="ベンチの回覧", question="yes_no", question_text="?"))
            )
            circulars[label] = circular
            out(f"publish_queries_{label}_households", queries, "queries")
            out(f"publish_{label}_households", f"{elapsed:.0f}", "ms")
        out("publish_notifications_1000_households",
            Notification.objects.filter(dedupe_key=f"circular:{circulars['1000'].pk}").count(), "notifications")

        # six in ten households of the big association open it, through the service
        samples = []
        receipts = list(Receipt.objects.filter(circular=circulars["1000"]).values_list("household_id", flat=True))
        for household_id in receipts[: len(receipts) * 6 // 10]:
            user = account_of.get(household_id)
            if user is None:
                continue
            started = time.perf_counter()
            services.circular_open(user=user, circular=circulars["1000"])
            samples.append((time.perf_counter() - started) * 1000)
        out("open_p50", f"{statistics.median(samples):.2f}", "ms")
        out("open_p99", f"{percentile(samples, 0.99):.2f}", "ms")
        for n, household_id in enumerate(receipts[:300]):
            if household_id in account_of and n % 3 == 0:
                services.circular_answer(user=account_of[household_id], circular=circulars["1000"], answer="yes")

        for label in ("100", "1000"):
            reminder, queries, elapsed = measured(lambda c=circulars[label]: services.circular_remind(circular=c))
            out(f"reminder_queries_{label}_households", queries, "queries")
            out(f"reminder_{label}_households", f"{elapsed:.0f}", "ms")
            out(f"reminder_notified_{label}_households", reminder.notified, "notifications")

        client = Client(SERVER_NAME="localhost")
        for label, association in (("100", small), ("1000", big)):
            client.force_login(officers[association.pk])
            url = f"/community/circulars/manage/circulars/{circulars[label].pk}/"
            assert client.get(url).status_code == 200
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            out(f"progress_page_queries_{label}_households", len(captured), "queries")
        samples = []
        url = f"/community/circulars/manage/circulars/{circulars['1000'].pk}/"
        for _ in range(args.requests):
            started = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200 and response.content
        out("progress_page_1000_households_p50", f"{statistics.median(samples):.0f}", "ms")
        out("progress_page_1000_households_p99", f"{percentile(samples, 0.99):.0f}", "ms")
        out("progress_page_requests", args.requests, "requests")

        check, queries, elapsed = measured(lambda: services.district_check_send(
            district=district, actor=None, title="ベンチの安否確認"))
        out("district_safety_check_associations", check.circulars.count(), "associations")
        out("district_safety_check_households", Receipt.objects.filter(circular__district_check=check).count(),
            "households")
        out("district_safety_check_notifications",
            Notification.objects.filter(dedupe_key=f"circulars:district-check:{check.pk}").count(), "notifications")
        out("district_safety_check_queries", queries, "queries")
        out("district_safety_check", f"{elapsed / 1000:.2f}", "s")
        out("email_tasks_queued", len(queued), "tasks")
    finally:
        if not args.keep:
            clean()


if __name__ == "__main__":
    main()
