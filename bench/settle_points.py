"""Benchmark of the nightly point settlement (issue 3), on the PostgreSQL database DATABASE_URL names.

    createdb -h 127.0.0.1 -U postgres h_wellness_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_wellness_bench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_wellness_bench .venv/bin/python bench/settle_points.py

Builds RESIDENTS x DAYS daily records (default 100,000 x 10 = 1,000,000) for bench users, then
times (a) the settlement service (the same code the nightly task runs, in a forked child process
whose peak RSS is measured) and (b) one hand-written INSERT ... SELECT ... ON CONFLICT DO NOTHING
that computes the same credits with the sample rules' numbers written in, and checks that both
produce the same ledger. Last, the p50/p99 of a 30-day batch sync through the API (in-process
WSGI, token auth, the whole middleware stack). Prints `name: value unit` lines, ending with
settle_vs_sql_ratio.
"""
import argparse
import datetime
import multiprocessing
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asahikawa.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "false")  # no query log growing in memory

import django  # noqa: E402

django.setup()

from django.db import connection, connections, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from wellness.points import demo, selectors, services  # noqa: E402
from wellness.points.models import PointRule  # noqa: E402

EMAIL_DOMAIN = "bench.invalid"


def out(name, value, unit=""):
    print(f"{name}: {value} {unit}".rstrip(), flush=True)


def sql(statement, params=None):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


def build(residents, days, last_day):
    """Bench users, participants and records, generated inside PostgreSQL (idempotent)."""
    have = sql("SELECT count(*) FROM accounts_user WHERE email LIKE %s", [f"%@{EMAIL_DOMAIN}"])[0][0]
    if have < residents:
        sql(
            """
            INSERT INTO accounts_user (password, is_superuser, email, is_staff, is_active, date_joined)
            SELECT '!', false, 'bench-' || n || '@' || %s, false, true, now()
            FROM generate_series(1, %s) AS n
            ON CONFLICT (email) DO NOTHING
            """,
            [EMAIL_DOMAIN, residents],
        )
    sql(
        """
        INSERT INTO wellness_participant (user_id, consented_at, balance, created_at)
        SELECT id, now(), 0, now() FROM accounts_user WHERE email LIKE %s
        ON CONFLICT (user_id) DO NOTHING
        """,
        [f"%@{EMAIL_DOMAIN}"],
    )
    first_day = last_day - datetime.timedelta(days=days - 1)
    sql("DELETE FROM wellness_healthrecord WHERE day < %s OR day > %s", [first_day, last_day])
    sql(
        """
        INSERT INTO wellness_healthrecord (user_id, day, steps, weight_kg, body_fat_pct, systolic, diastolic,
            steps_source, weight_source, body_fat_source, bp_source, created_at, updated_at)
        SELECT u.id, d.day,
               (u.id * 7919 + d.n * 104729) %% 16000,
               CASE WHEN (u.id + d.n) %% 3 = 0 THEN 50 + (u.id %% 400) / 10.0 END,
               NULL,
               CASE WHEN (u.id + d.n) %% 4 = 0 THEN 120 + u.id %% 20 END,
               CASE WHEN (u.id + d.n) %% 4 = 0 THEN 75 + u.id %% 10 END,
               'app', CASE WHEN (u.id + d.n) %% 3 = 0 THEN 'app' ELSE '' END, '',
               CASE WHEN (u.id + d.n) %% 4 = 0 THEN 'app' ELSE '' END, now(), now()
        FROM (SELECT id FROM accounts_user WHERE email LIKE %s ORDER BY id LIMIT %s) u
        CROSS JOIN (SELECT n, (%s::date - n) AS day FROM generate_series(0, %s) AS n) d
        ON CONFLICT (user_id, day) DO NOTHING
        """,
        [f"%@{EMAIL_DOMAIN}", residents, last_day, days - 1],
    )
    sql("VACUUM ANALYZE wellness_healthrecord")  # hint bits set now, not during the first timed run
    sql("VACUUM ANALYZE wellness_participant")
    return first_day


def reset():
    sql("TRUNCATE wellness_ledgerentry, wellness_settlementrun")
    sql("UPDATE wellness_participant SET balance = 0 WHERE balance <> 0")


def snapshot(table):
    sql(f"DROP TABLE IF EXISTS {table}")
    sql(f"CREATE TABLE {table} AS SELECT user_id, day, rule_code, points FROM wellness_ledgerentry")


BASELINE = """
INSERT INTO wellness_ledgerentry (user_id, day, rule_code, rule_id, points, kind, run_id, note, created_at)
SELECT r.user_id, r.day, 'steps', %(steps_id)s, LEAST(10, r.steps / 1000), 'credit', NULL::bigint, '', now()
FROM wellness_healthrecord r
WHERE r.day BETWEEN %(first)s AND %(last)s AND r.steps >= 1000
UNION ALL
SELECT r.user_id, r.day, 'weight', %(weight_id)s, 1, 'credit', NULL::bigint, '', now()
FROM wellness_healthrecord r
WHERE r.day BETWEEN %(first)s AND %(last)s AND r.weight_kg IS NOT NULL
UNION ALL
SELECT r.user_id, r.day, 'bp', %(bp_id)s, 1, 'credit', NULL::bigint, '', now()
FROM wellness_healthrecord r
WHERE r.day BETWEEN %(first)s AND %(last)s AND r.systolic IS NOT NULL
UNION ALL
SELECT r.user_id, r.day, 'streak7', %(streak_id)s, 5, 'credit', NULL::bigint, '', now()
FROM wellness_healthrecord r
WHERE r.day BETWEEN %(first)s AND %(last)s AND r.steps >= 8000
  AND (r.day - DATE '2023-04-01') %% 7 = 6
  AND (SELECT count(*) FROM wellness_healthrecord r3
       WHERE r3.user_id = r.user_id AND r3.steps >= 8000 AND r3.day BETWEEN r.day - 6 AND r.day) = 7
ON CONFLICT DO NOTHING
"""


def run_baseline(first, last):
    rule = {code: PointRule.objects.get(code=code, valid_from=demo.RULES_FROM).pk for code in ("steps", "weight", "bp", "streak7")}
    ids = {"steps_id": rule["steps"], "weight_id": rule["weight"], "bp_id": rule["bp"], "streak_id": rule["streak7"]}
    started = time.perf_counter()
    with transaction.atomic():
        sql(BASELINE, {**ids, "first": first, "last": last})
    return time.perf_counter() - started


def _settle_child(first, last, queue):
    connections.close_all()  # the child opens its own connection
    started = time.perf_counter()
    run = services.points_settle(day=last, since=first)
    elapsed = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put((elapsed, run.credited_entries, run.credited_points, peak_kb))


def run_settlement(first, last):
    connections.close_all()
    queue = multiprocessing.get_context("fork").Queue()
    child = multiprocessing.get_context("fork").Process(target=_settle_child, args=(first, last, queue))
    child.start()
    result = queue.get()
    child.join()
    return result


def differences(a, b):
    return sql(f"SELECT (SELECT count(*) FROM (SELECT * FROM {a} EXCEPT ALL SELECT * FROM {b}) x) + "
               f"(SELECT count(*) FROM (SELECT * FROM {b} EXCEPT ALL SELECT * FROM {a}) y)")[0][0]


def api_sync(samples, last_day):
    """p50/p99 of POST /api/v1/wellness/records/ with 30 days, each sample a different resident."""
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from asahikawa.accounts.models import User

    warmup = 5  # the first requests import and compile; they are not counted
    users = list(User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").order_by("-id")[: samples + warmup])
    timings = []
    for index, user in enumerate(users):
        token, _ = Token.objects.get_or_create(user=user)
        body = {"records": [
            {"date": (last_day - datetime.timedelta(days=n)).isoformat(), "steps": 4000 + index + n,
             "weight_kg": "61.5", "systolic": 121, "diastolic": 79}
            for n in range(30)
        ]}
        client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Token {token.key}")
        started = time.perf_counter()
        response = client.post("/api/v1/wellness/records/", body, content_type="application/json")
        if index >= warmup:
            timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"API sync failed: {response.status_code} {response.content[:300]}")
    timings.sort()
    return statistics.median(timings), timings[min(len(timings) - 1, int(round(0.99 * (len(timings) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=2, help="timed runs of each; the best is reported")
    parser.add_argument("--sync-samples", type=int, default=200)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("bench/settle_points.py needs PostgreSQL: set DATABASE_URL")

    demo.rules_ensure()
    last_day = timezone.localdate() - datetime.timedelta(days=1)
    started = time.perf_counter()
    first_day = build(args.residents, args.days, last_day)
    records = sql("SELECT count(*) FROM wellness_healthrecord WHERE day BETWEEN %s AND %s", [first_day, last_day])[0][0]
    out("records", records, "rows")
    out("build_seconds", f"{time.perf_counter() - started:.1f}", "s")

    baseline_times, settle_times, peaks = [], [], []
    for _ in range(args.repeat):
        reset()
        sql("VACUUM ANALYZE wellness_participant")
        baseline_times.append(run_baseline(first_day, last_day))
        snapshot("bench_baseline_ledger")
        reset()
        elapsed, entries, points, peak_kb = run_settlement(first_day, last_day)
        settle_times.append(elapsed)
        peaks.append(peak_kb)
    snapshot("bench_settle_ledger")
    out("ledger_entries", entries, "rows")
    out("ledger_points", points, "points")
    diff = differences("bench_settle_ledger", "bench_baseline_ledger")
    out("ledger_differences_vs_baseline", diff, "rows")
    out("ledger_identical", "yes" if diff == 0 else "no")
    mismatches = selectors.balances_reconcile()
    out("balance_mismatches", len(mismatches), "rows")
    # a second run over the same days credits nothing (idempotence at full size)
    elapsed, again, _points, _peak = run_settlement(first_day, last_day)
    out("second_run_credited", again, "rows")
    out("second_run_seconds", f"{elapsed:.2f}", "s")
    out("sql_baseline_seconds", f"{min(baseline_times):.2f}", "s")
    out("settle_seconds", f"{min(settle_times):.2f}", "s")
    out("settle_peak_rss", f"{max(peaks) / 1024:.0f}", "MB")
    p50, p99 = api_sync(args.sync_samples, last_day)
    out("api_sync_30_days_p50", f"{p50:.1f}", "ms")
    out("api_sync_30_days_p99", f"{p99:.1f}", "ms")
    out("settle_vs_sql_ratio", f"{min(settle_times) / min(baseline_times):.2f}")


if __name__ == "__main__":
    main()
