"""Benchmark of the city notices' fan-out (issue 12), on the PostgreSQL database DATABASE_URL names.

    createdb -h 127.0.0.1 -U postgres h_notices_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_notices_bench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_notices_bench .venv/bin/python bench/notice_fanout.py

1. RESIDENTS residents (default 150,000) in 1,000 associations of 10 districts (15,000 each),
   birth years spread over every age band (made once, by SQL; reused by later runs).
2. A city-wide notice and a district notice (15,000): the fan-out (services._fan_out: the inbox
   rows through notify_selected, one INSERT ... SELECT) timed beside one hand-written
   INSERT ... SELECT of the same inbox rows; each rolled back and repeated, medians
   compared: fanout_vs_sql_ratio (target <= 2). The peak memory of this process while fanning out
   (tracemalloc's peak of Python allocations, and the process's peak resident size).
3. The home page and the dashboard of a resident with 3 urgent notices and 50 ordinary ones live:
   p50 and p99 over SAMPLES requests through Django (in-process WSGI).
Prints `name: value unit` lines.
"""

import argparse
import os
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asahikawa.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "false")

import logging  # noqa: E402

import django  # noqa: E402

django.setup()
logging.getLogger("asahikawa.request").setLevel(logging.WARNING)  # one line per request would drown the figures

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from community.notices import services  # noqa: E402
from community.notices.models import Notice  # noqa: E402

EMAIL_DOMAIN = "notice-bench.invalid"
DISTRICTS = 10
ASSOCIATIONS = 1000


def out(name, value, unit=""):
    print(f"{name}: {value} {unit}".rstrip(), flush=True)


def sql(statement, params=None):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def build(residents):
    """Districts, associations and residents with profiles (idempotent, set-based)."""
    for n in range(DISTRICTS):
        sql(
            "INSERT INTO accounts_district (code, name, is_sample) VALUES (%s, %s, true) ON CONFLICT (code) DO NOTHING",
            [f"nbench-{n}", f"ベンチ地区{n}（サンプル）"],
        )
    sql(
        """INSERT INTO accounts_association (name, district_id, is_sample)
           SELECT 'ベンチ町内会' || a || '（サンプル）', d.id, true
           FROM generate_series(0, %s) AS a JOIN accounts_district d ON d.code = 'nbench-' || (a %% %s)
           ON CONFLICT (name) DO NOTHING""",
        [ASSOCIATIONS - 1, DISTRICTS],
    )
    have = sql("SELECT count(*) FROM accounts_user WHERE email LIKE %s", [f"%@{EMAIL_DOMAIN}"])[0][0]
    year = timezone.localdate().year
    if have < residents:
        sql(
            """INSERT INTO accounts_user (password, is_superuser, email, is_staff, is_active, date_joined)
               SELECT '!', false, 'n-' || n || '@' || %s, false, true, now() FROM generate_series(%s, %s) AS n""",
            [EMAIL_DOMAIN, have + 1, residents],
        )
    if sql(
        "SELECT count(*) FROM accounts_user WHERE email LIKE %s AND id NOT IN (SELECT user_id FROM accounts_profile)",
        [f"%@{EMAIL_DOMAIN}"],
    )[0][0]:
        # The n-th resident: association n % 1000 (so district n % 10), born 0 to 94 years ago, 1 in 20 in English.
        sql(
            """INSERT INTO accounts_profile (display_name, birth_year, language, district_id, association_id,
                                             user_id, is_sample)
               SELECT '', %s - (u.n %% 95), CASE WHEN u.n %% 20 = 0 THEN 'en' ELSE 'ja' END, a.district_id, a.id,
                      u.id, true
               FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM accounts_user
                     WHERE email LIKE %s AND id NOT IN (SELECT user_id FROM accounts_profile)) u
               JOIN (SELECT id, district_id, row_number() OVER (ORDER BY id) - 1 AS k FROM accounts_association
                     WHERE name LIKE 'ベンチ町内会%%') a ON a.k = u.n %% %s""",
            [year, f"%@{EMAIL_DOMAIN}", ASSOCIATIONS],
        )
        sql("ANALYZE accounts_user")
        sql("ANALYZE accounts_profile")
    return sql("SELECT id FROM accounts_district WHERE code = 'nbench-3'")[0][0]


HAND_SQL = """
    INSERT INTO notifications_notification (user_id, kind, title, body, url, urgent, delivery, created_at, dedupe_key)
    SELECT u.id, 'city_notice', %s, %s, %s, false, COALESCE(np.channel, 'email'), now(), %s
    FROM accounts_user u
    {join}
    LEFT JOIN notifications_notificationpreference np ON np.user_id = u.id AND np.kind = 'city_notice'
    WHERE u.is_active {where}
    ON CONFLICT DO NOTHING"""


def bench_fanout(label, notice, hand_sql, params, rounds):
    fan_times, sql_times = [], []
    peak_python = 0
    for _ in range(rounds):
        with transaction.atomic():
            tracemalloc.start()
            started = time.perf_counter()
            delivered = services._fan_out(notice)
            fan_times.append(time.perf_counter() - started)
            peak_python = max(peak_python, tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
            transaction.set_rollback(True)
        with transaction.atomic():
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(hand_sql, params)
                by_sql = cursor.rowcount
            sql_times.append(time.perf_counter() - started)
            transaction.set_rollback(True)
    assert delivered == by_sql, (delivered, by_sql)
    fan, hand = statistics.median(fan_times), statistics.median(sql_times)
    out(f"{label}_residents", delivered)
    out(f"{label}_fanout_s", f"{fan:.2f}", "s")
    out(f"{label}_sql_s", f"{hand:.2f}", "s")
    out(f"{label}_fanout_vs_sql_ratio", f"{fan / hand:.2f}")
    out(f"{label}_fanout_python_peak_mb", f"{peak_python / 1024 / 1024:.1f}", "MB")
    return fan / hand


def bench_pages(district_id, samples):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    Notice.objects.filter(title__startswith="ベンチ").delete()
    user = User.objects.filter(email=f"n-3@{EMAIL_DOMAIN}").get()
    association_id = user.profile.association_id
    for n in range(3):
        notice = services.notice_save(
            author=None,
            category="snow",
            title=f"ベンチ緊急{n}（サンプル）",
            body="排雪します。",
            urgent=True,
            district_ids=[district_id],
            association_ids=[association_id],
            is_sample=True,
            publish_now=True,
        )
        services.notice_publish(notice_id=notice.pk)
    for n in range(50):
        notice = services.notice_save(
            author=None,
            category="event",
            title=f"ベンチのお知らせ{n}（サンプル）",
            body="**イベント**のお知らせ。",
            association_ids=[association_id],
            public=True,
            is_sample=True,
            publish_now=True,
        )
        services.notice_publish(notice_id=notice.pk)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    anonymous = Client(HTTP_HOST="127.0.0.1")
    for name, who, url in (
        ("home", client, "/"),
        ("dashboard", client, "/dashboard/"),
        ("notices_list", client, "/community/notices/"),
        ("home_public", anonymous, "/"),
    ):
        who.get(url)
        times = []
        for _ in range(samples):
            started = time.perf_counter()
            response = who.get(url)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
        if name == "home":
            assert response.content.count(b"notice-banner") == 3
        out(f"{name}_p50_ms", f"{statistics.median(times) * 1000:.1f}", "ms")
        out(f"{name}_p99_ms", f"{percentile(times, 0.99) * 1000:.1f}", "ms")
    Notice.objects.filter(title__startswith="ベンチ").delete()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=150_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/notice_fanout.py runs on PostgreSQL: set DATABASE_URL")
    out("database", connection.settings_dict["NAME"])
    started = time.perf_counter()
    district_id = build(args.residents)
    out("build_s", f"{time.perf_counter() - started:.1f}", "s")
    out("residents_active", sql("SELECT count(*) FROM accounts_user WHERE is_active")[0][0])

    city = Notice.objects.create(
        category="snow",
        title="ベンチ全市（サンプル）",
        body="全市のお知らせ。" * 20,
        everyone=True,
        is_sample=True,
        published_at=timezone.now(),
    )
    district = Notice.objects.create(
        category="snow",
        title="ベンチ地区（サンプル）",
        body="地区のお知らせ。" * 20,
        is_sample=True,
        published_at=timezone.now(),
    )
    district.districts.set([district_id])
    try:
        body = services._summary(city)
        district_ratio = bench_fanout(
            "district",
            district,
            HAND_SQL.format(join="JOIN accounts_profile p ON p.user_id = u.id", where="AND p.district_id = %s"),
            [
                "ベンチ地区（サンプル）",
                services._summary(district),
                f"/community/notices/{district.pk}/",
                district.dedupe_key,
                district_id,
            ],
            args.rounds,
        )
        city_ratio = bench_fanout(
            "city",
            city,
            HAND_SQL.format(join="", where=""),
            ["ベンチ全市（サンプル）", body, f"/community/notices/{city.pk}/", city.dedupe_key],
            args.rounds,
        )
    finally:
        Notice.objects.filter(pk__in=[city.pk, district.pk]).delete()
    out("peak_rss_mb", f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}", "MB")
    bench_pages(district_id, args.samples)
    out("fanout_vs_sql_ratio", f"{max(district_ratio, city_ratio):.2f}")  # the worse of the two


if __name__ == "__main__":
    main()
