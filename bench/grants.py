"""Benchmark of the subsidy engine (issue 15), on the PostgreSQL database DATABASE_URL names.

    createdb -h 127.0.0.1 -U postgres h_grants_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_grants_bench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_grants_bench .venv/bin/python bench/grants.py

Builds its own programs (fiscal year 2099, codes BENCH0..BENCH9) and their applications inside
PostgreSQL (INSERT ... SELECT generate_series), in every status. Then:

1. the staff review queue's first page with filters (program, "waiting for staff", a date range),
   through the whole middleware stack (in-process WSGI, a signed-in staff user with TOTP): p50/p99
   and the number of SQL queries, with 2,000 applications over 10 programs and again with 20,000;
2. 50 concurrent approvals (50 threads, each its own database connection, released together by a
   barrier) against a program whose quota is 25: the time until all have settled, and how many were
   approved (must be exactly 25);
3. the payment export of 5,000 approved applications to Excel (the staff view, openpyxl) in a
   forked child process: the time, and the child's peak resident memory (and its growth during the
   export).

Everything it wrote is deleted at the end unless --keep. Prints `name: value unit` lines.
"""
import argparse
import multiprocessing
import os
import resource
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asahikawa.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "false")  # no query log growing in memory
os.environ.setdefault("EMAIL_URL", "dummymail://")  # the approvals' notifications send no real email

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402

from agriculture.grants import services  # noqa: E402
from agriculture.grants.models import Application, LotteryDraw, Program, ReceiptCounter, Status  # noqa: E402
from asahikawa.accounts.models import User  # noqa: E402
from asahikawa.notifications.models import Notification  # noqa: E402

YEAR = 2099
DOMAIN = "grants-bench.invalid"
PROGRAMS = 10
SMALL, LARGE = 2_000, 20_000
QUOTA, APPROVERS = 25, 50
EXPORT_ROWS = 5_000
# n % 20 -> status: 30 % submitted, 15 % under review, then one slot each (5 %) for the rest.
STATUS_SLOTS = (["submitted"] * 6 + ["under_review"] * 3 + ["returned", "resubmitted", "approved", "approved",
                "approved", "completion_reported", "confirmed", "paid", "rejected", "withdrawn", "draft"])


def out(name, value, unit=""):
    print(f"{name}: {value} {unit}".rstrip(), flush=True)


def sql(statement, params=None):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


def percentile(samples, fraction):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def clean():
    programs = Program.objects.filter(fiscal_year=YEAR)
    Notification.objects.filter(user__email__endswith=f"@{DOMAIN}").delete()
    LotteryDraw.objects.filter(program__in=programs).delete()
    Application.objects.filter(program__in=programs).delete()
    programs.delete()
    ReceiptCounter.objects.filter(prefix__startswith="R81-").delete()


def users(count):
    sql(
        """
        INSERT INTO accounts_user (password, is_superuser, email, is_staff, is_active, date_joined)
        SELECT '!', false, 'grants-bench-' || n || '@' || %s, false, true, now()
        FROM generate_series(1, %s) AS n
        ON CONFLICT (email) DO NOTHING
        """,
        [DOMAIN, count],
    )
    return list(User.objects.filter(email__endswith=f"@{DOMAIN}", is_staff=False).order_by("pk").values_list("pk", flat=True))


def staff_user():
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user, _ = User.objects.get_or_create(email=f"grants-bench-staff@{DOMAIN}", defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name="agriculture"))
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
    return user


def program(code, **fields):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    return Program.objects.create(
        code=code, fiscal_year=YEAR, department="agriculture", name=f"ベンチマーク {code}",
        opens_on=today - datetime.timedelta(days=400), closes_on=today + datetime.timedelta(days=30),
        allow_individual=True, rate_numerator=2, rate_denominator=10, cap=1_000_000, rounding_unit=1000,
        combined_numerator=5, combined_denominator=10, is_sample=True, **fields,
    )


def insert_applications(program_ids, user_ids, first, last, *, status=None):
    """Applications first..last (1-based numbers), program n % len(program_ids), in every status
    (or all in `status`), each with one line item of 1,000,000 yen (the subsidy: 200,000)."""
    slots = "ARRAY[" + ",".join(f"'{s}'" for s in STATUS_SLOTS) + "]"
    status_sql = "%(status)s" if status else f"({slots})[(n %% 20) + 1]"
    sql(
        f"""
        WITH rows AS (
            SELECT n, (%(programs)s::bigint[])[(n %% %(count)s) + 1] AS program_id,
                   (%(users)s::bigint[])[(n %% %(users_count)s) + 1] AS applicant_id, {status_sql} AS status
            FROM generate_series(%(first)s, %(last)s) AS n
        ), inserted AS (
            INSERT INTO grants_application (
                program_id, applicant_id, status, receipt_number, applicant_type, applicant_name, business_name,
                applicant_address, applicant_phone, eligibility, national_subsidy, eligible_cost, requested_amount,
                approved_amount, confirmed_amount, actual_cost, submitted_at, decided_at, status_changed_at,
                is_sample, created_at, updated_at)
            SELECT program_id, applicant_id, status,
                   CASE WHEN status = 'draft' THEN NULL ELSE 'R81-BENCH-' || lpad(n::text, 7, '0') END,
                   'individual', 'ベンチ 申請者' || n, '', '旭川市（ベンチ）', '0166-00-0000', '{{}}'::jsonb, 300000,
                   1000000, 200000,
                   CASE WHEN status IN ('approved', 'completion_reported', 'confirmed', 'paid') THEN 200000 END,
                   CASE WHEN status IN ('confirmed', 'paid') THEN 180000 END,
                   CASE WHEN status IN ('completion_reported', 'confirmed', 'paid') THEN 900000 END,
                   CASE WHEN status = 'draft' THEN NULL ELSE now() - (n %% 300) * interval '1 day' END,
                   CASE WHEN status IN ('approved', 'completion_reported', 'confirmed', 'paid') THEN now() END,
                   now() - (n %% 300) * interval '1 day', true, now(), now()
            FROM rows
            RETURNING id
        )
        INSERT INTO grants_lineitem (application_id, "order", name, cost)
        SELECT id, 0, '設備（ベンチ）', 1000000 FROM inserted
        """,
        {"programs": program_ids, "count": len(program_ids), "users": user_ids, "users_count": len(user_ids),
         "first": first, "last": last, "status": status},
    )
    sql("ANALYZE grants_application")
    sql("ANALYZE grants_lineitem")


def queue_page(client, url, requests):
    for _ in range(5):  # warm-up: imports, template compilation, connection
        assert client.get(url).status_code == 200
    counted = []

    def count(execute, statement, params, many, context):
        counted.append(statement)
        return execute(statement, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200 and b"R81-BENCH-" in response.content, response.status_code
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return statistics.median(samples), percentile(samples, 0.99), len(counted)


def concurrent_approvals(staff, user_ids):
    quota_program = program("BENCHQ", max_grants=QUOTA)
    insert_applications([quota_program.pk], user_ids, 900_001, 900_000 + APPROVERS, status=Status.UNDER_REVIEW)
    ids = list(Application.objects.filter(program=quota_program).values_list("pk", flat=True))
    connections.close_all()
    barrier = threading.Barrier(len(ids) + 1)
    outcomes, lock = [], threading.Lock()

    def approve(application_id):
        try:
            barrier.wait()
            services.application_approve(application_id=application_id, actor=staff)
            result = "approved"
        except Exception as exc:  # noqa: BLE001 - counted below: refusals by the quota are expected
            result = getattr(exc, "code", type(exc).__name__)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=approve, args=(pk,)) for pk in ids]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    approved = Application.objects.filter(program=quota_program, status=Status.APPROVED).count()
    return elapsed, outcomes.count("approved"), approved, outcomes.count("limit_reached")


def _rss_kb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _export_child(url, staff_pk, queue):
    connections.close_all()
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(pk=staff_pk))
    before = _rss_kb()
    started = time.perf_counter()
    response = client.get(url)
    body = response.content
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put((elapsed, response.status_code, len(body), before, peak, body))


def export(staff, user_ids):
    export_program = program("BENCHX")
    insert_applications([export_program.pk], user_ids, 800_001, 800_000 + EXPORT_ROWS, status=Status.APPROVED)
    url = f"/grants/staff/export/payments.xlsx?program={export_program.pk}"
    connections.close_all()
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_export_child, args=(url, staff.pk, queue))
    child.start()
    elapsed, status, size, before, peak, body = queue.get()
    child.join()
    import io

    import openpyxl

    rows = openpyxl.load_workbook(io.BytesIO(body), read_only=True).active.max_row - 1
    return elapsed, status, size, rows, before, peak


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="timed requests of the queue page per size")
    parser.add_argument("--keep", action="store_true", help="keep the bench programs and applications")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("bench/grants.py needs PostgreSQL: set DATABASE_URL")
    clean()
    out("database", connection.vendor)
    user_ids = users(2_000)
    staff = staff_user()
    programs = [program(f"BENCH{i}") for i in range(PROGRAMS)]
    program_ids = [p.pk for p in programs]
    client = Client(HTTP_HOST="localhost")
    client.force_login(staff)
    url = f"/grants/staff/?program={program_ids[3]}&status=waiting&submitted_from=2000-01-01&submitted_to=2200-01-01"
    try:
        started = time.perf_counter()
        insert_applications(program_ids, user_ids, 1, SMALL)
        out("build_2000_seconds", f"{time.perf_counter() - started:.2f}", "s")
        p50, p99, queries_small = queue_page(client, url, args.requests)
        out("queue_first_page_2000_p50", f"{p50:.1f}", "ms")
        out("queue_first_page_2000_p99", f"{p99:.1f}", "ms")
        out("queue_first_page_2000_queries", queries_small, "queries")

        started = time.perf_counter()
        insert_applications(program_ids, user_ids, SMALL + 1, LARGE)
        out("build_20000_seconds", f"{time.perf_counter() - started:.2f}", "s")
        out("applications", Application.objects.filter(program__in=programs).count(), "rows")
        p50, p99, queries_large = queue_page(client, url, args.requests)
        out("queue_first_page_20000_p50", f"{p50:.1f}", "ms")
        out("queue_first_page_20000_p99", f"{p99:.1f}", "ms")
        out("queue_first_page_20000_queries", queries_large, "queries")
        out("queue_queries_same_at_both_sizes", "yes" if queries_small == queries_large else "no")

        elapsed, ok, approved, refused = concurrent_approvals(staff, user_ids)
        out("concurrent_approvals", APPROVERS, "threads")
        out("concurrent_approvals_quota", QUOTA, "grants")
        out("concurrent_approvals_settle", f"{elapsed:.2f}", "s")
        out("concurrent_approvals_approved", approved, "grants")
        out("concurrent_approvals_refused_by_quota", refused, "requests")
        out("concurrent_approvals_exactly_quota", "yes" if approved == ok == QUOTA else "no")

        elapsed, status, size, rows, before, peak = export(staff, user_ids)
        out("payment_export_rows", rows, "rows")
        out("payment_export_status", status)
        out("payment_export_xlsx_seconds", f"{elapsed:.2f}", "s")
        out("payment_export_xlsx_bytes", size, "bytes")
        out("payment_export_peak_rss", f"{peak / 1024:.0f}", "MB")
        out("payment_export_rss_growth", f"{(peak - before) / 1024:.0f}", "MB")
    finally:
        if not args.keep:
            clean()


if __name__ == "__main__":
    main()
