"""Benchmark of the garbage calendar (issue 13), on the PostgreSQL database DATABASE_URL names.

    createdb -h 127.0.0.1 -U postgres h_garbage_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_garbage_bench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_garbage_bench REDIS_URL=redis://127.0.0.1:6379/7 \
        .venv/bin/python bench/garbage.py

1. Imports a generated 5374 folder of AREAS areas (default 500, every one its own pattern, with
   every kind of cell, two centers, remarks and 500 items): the first import, then a re-import.
2. One district's year and its feed, per request: computed and rendered (cold: the district was
   just changed) and from the cache (warm, the normal case), and the whole feed request through
   Django (in-process WSGI). p50 and p99 over SAMPLES districts; target p99 under 50 ms.
3. The evening reminders for RESIDENTS opted-in residents (default 150,000; half of them found by
   their own choice of district, half by their profile's district), set-based, beside one
   hand-written INSERT ... SELECT of the same rows; both rolled back, repeated, medians compared:
   reminders_vs_sql_ratio (target <= 2).
Prints `name: value unit` lines.
"""
import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asahikawa.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")  # no log line per timed request

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from community.garbage import feed, reminders, schedule, selectors, services  # noqa: E402
from community.garbage.models import Area, CollectionDistrict, Item, Rule  # noqa: E402
from community.garbage.transfer5374 import import_5374  # noqa: E402

EMAIL_DOMAIN = "garbage-bench.invalid"
FISCAL_YEAR = 2023
LETTERS = "月火水木金土"
CATEGORIES = ["燃やせるごみ（ベンチ）", "燃やせないごみ（ベンチ）", "資源物（ベンチ）", "古紙（ベンチ）", "プラスチック（ベンチ）"]


def out(name, value, unit=""):
    print(f"{name}: {value} {unit}".rstrip(), flush=True)


def sql(statement, params=None):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def write_folder(directory: Path, areas: int):
    """A 5374 folder: every area its own pattern (weekly, nth with months, fortnightly, dates, remarks)."""
    start = datetime.date(FISCAL_YEAR, 4, 1)
    lines = ["地名,センター," + ",".join(CATEGORIES)]
    for n in range(areas):
        a, b = LETTERS[n % 6], LETTERS[(n // 6 + 2) % 6]
        weekday = (n // 3) % 5
        anchor = start + datetime.timedelta(days=(weekday - start.weekday()) % 7 + 7 * (n % 2))
        dates = " ".join((start + datetime.timedelta(days=40 + (n * 7 + k * 61) % 300)).strftime("%Y%m%d") for k in range(3))
        cells = [
            f"{a} {b}" if a != b else a,
            f"隔{LETTERS[weekday]}{anchor:%Y%m%d}",
            f"{LETTERS[(n + 1) % 6]}",
            f"{LETTERS[(n + 3) % 5]}{1 + n % 2} {LETTERS[(n + 3) % 5]}{3 + n % 2}:4 6 8 10 12 2",
            f"{LETTERS[(n + 4) % 6]} {dates} *{1 + n % 3}",
        ]
        lines.append(f"ベンチ地区{n:04d}（サンプル）," + ("東部" if n % 2 else "西部") + "," + ",".join(cells))
    (directory / "area_days.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (directory / "description.csv").write_text(
        "label,sublabel,description,styles,bgcolor\n" + "\n".join(f"{name},,,," for name in CATEGORIES) + "\n",
        encoding="utf-8")
    (directory / "center.csv").write_text(
        f"名称,休止開始日,休止終了日\n東部,{FISCAL_YEAR}/12/29,{FISCAL_YEAR + 1}/1/4\n西部,{FISCAL_YEAR}/12/30,{FISCAL_YEAR + 1}/1/5\n",
        encoding="utf-8")
    (directory / "remarks.csv").write_text("ID,注意事項\n1,祝日も収集します\n2,一部の地域で曜日が違います\n3,朝8時まで\n",
                                           encoding="utf-8")
    (directory / "target.csv").write_text(
        "type,name,notice,furigana\n" + "\n".join(
            f"{CATEGORIES[n % 5]},ベンチ品目{n}（サンプル）,注意{n},べんちひんもく{n}" for n in range(500)) + "\n",
        encoding="utf-8")


def bench_import(areas):
    with tempfile.TemporaryDirectory() as folder:
        write_folder(Path(folder), areas)
        Area.objects.filter(name__startswith="ベンチ地区").delete()
        CollectionDistrict.objects.filter(areas__isnull=True, name__startswith="ベンチ地区").delete()
        started = time.perf_counter()
        result = import_5374(folder, fiscal_year=FISCAL_YEAR, is_sample=True)
        first = time.perf_counter() - started
        started = time.perf_counter()
        import_5374(folder, fiscal_year=FISCAL_YEAR, is_sample=True)
        again = time.perf_counter() - started
    out("import_5374_areas", result.areas)
    out("import_5374_districts_created", result.districts_created)
    out("import_5374_rules", result.rules)
    out("import_5374_first_s", f"{first:.2f}", "s")
    out("import_5374_again_s", f"{again:.2f}", "s")


def bench_year_and_feed(samples, today):
    districts = list(CollectionDistrict.objects.filter(name__startswith="ベンチ地区")[:samples])
    categories = selectors.categories_by_id()

    def one(district):
        schedule.year(district, FISCAL_YEAR)
        return feed.render(district, categories=categories, today=today, alarm=True)

    one(districts[0])  # imports and the holidays of the years, once per process
    year_cold, cold, warm = [], [], []
    for district in districts:
        services.districts_touch(district_ids=[district.pk])
        district.refresh_from_db()
        started = time.perf_counter()
        schedule.year(district, FISCAL_YEAR)
        year_cold.append(time.perf_counter() - started)
        services.districts_touch(district_ids=[district.pk])
        district.refresh_from_db()
        started = time.perf_counter()
        body = one(district)
        cold.append(time.perf_counter() - started)
        started = time.perf_counter()
        one(district)
        warm.append(time.perf_counter() - started)
    out("feed_events_per_district", body.count(b"BEGIN:VEVENT"))
    out("year_computed_cold_p50_ms", f"{statistics.median(year_cold) * 1000:.1f}", "ms")
    out("year_computed_cold_p99_ms", f"{percentile(year_cold, 0.99) * 1000:.1f}", "ms")
    out("year_and_feed_cold_p50_ms", f"{statistics.median(cold) * 1000:.1f}", "ms")
    out("year_and_feed_cold_p99_ms", f"{percentile(cold, 0.99) * 1000:.1f}", "ms")
    out("year_and_feed_cached_p50_ms", f"{statistics.median(warm) * 1000:.2f}", "ms")
    out("year_and_feed_cached_p99_ms", f"{percentile(warm, 0.99) * 1000:.2f}", "ms")

    client = Client(HTTP_HOST="127.0.0.1")
    requests = []
    for district in districts:
        url = f"/community/garbage/{district.code}.ics?alarm=1"
        client.get(url)  # cache it
        started = time.perf_counter()
        response = client.get(url)
        requests.append(time.perf_counter() - started)
        assert response.status_code == 200
    out("feed_request_cached_p50_ms", f"{statistics.median(requests) * 1000:.1f}", "ms")
    out("feed_request_cached_p99_ms", f"{percentile(requests, 0.99) * 1000:.1f}", "ms")


def build_residents(residents, district_ids):
    """Bench users (idempotent): half choose their district, half are found by their profile's."""
    have = sql("SELECT count(*) FROM accounts_user WHERE email LIKE %s", [f"%@{EMAIL_DOMAIN}"])[0][0]
    if have < residents:
        sql("""INSERT INTO accounts_user (password, is_superuser, email, is_staff, is_active, date_joined)
               SELECT '!', false, 'g-' || n || '@' || %s, false, true, now() FROM generate_series(%s, %s) AS n""",
            [EMAIL_DOMAIN, have + 1, residents])
    users = f"SELECT id, row_number() OVER (ORDER BY id) AS n FROM accounts_user WHERE email LIKE '%%@{EMAIL_DOMAIN}'"
    sql("DELETE FROM garbage_residentdistrict WHERE user_id IN (SELECT id FROM accounts_user WHERE email LIKE %s)",
        [f"%@{EMAIL_DOMAIN}"])
    # Platform districts linked to the first 50 collecting districts (one pattern each).
    linked = district_ids[:50]
    for index, district_id in enumerate(linked):
        sql("""INSERT INTO accounts_district (code, name, is_sample) VALUES (%s, %s, true)
               ON CONFLICT (code) DO NOTHING""", [f"gbench-{index}", f"ベンチ{index}（サンプル）"])
        sql("UPDATE garbage_collectiondistrict SET platform_district_id = NULL WHERE platform_district_id = "
            "(SELECT id FROM accounts_district WHERE code = %s)", [f"gbench-{index}"])
        sql("UPDATE garbage_collectiondistrict SET platform_district_id = (SELECT id FROM accounts_district WHERE code = %s) "
            "WHERE id = %s", [f"gbench-{index}", district_id])
    sql(f"""INSERT INTO accounts_profile (display_name, language, is_sample, user_id, district_id)
            SELECT '', CASE WHEN u.n %% 10 = 0 THEN 'en' ELSE 'ja' END, true, u.id,
                   (SELECT id FROM accounts_district WHERE code = 'gbench-' || (u.n %% %s))
            FROM ({users}) u ON CONFLICT (user_id) DO UPDATE SET district_id = EXCLUDED.district_id""", [len(linked)])
    sql(f"""INSERT INTO garbage_residentdistrict (user_id, district_id, chosen_at)
            SELECT u.id, (%s::bigint[])[1 + (u.n %% %s)], now() FROM ({users}) u WHERE u.n %% 2 = 1""",
        [district_ids, len(district_ids)])
    sql(f"""INSERT INTO notifications_notificationpreference (user_id, kind, channel)
            SELECT u.id, 'garbage_reminder', 'inbox' FROM ({users}) u
            ON CONFLICT (user_id, kind) DO UPDATE SET channel = 'inbox'""")
    sql("ANALYZE")


def bench_reminders(residents, rounds):
    day = datetime.date(FISCAL_YEAR, 6, 6)  # a Tuesday, no holiday
    districts = list(CollectionDistrict.objects.filter(name__startswith="ベンチ地区"))
    collecting = [pk for pk, found in schedule.on_day(districts, day).items() if found]
    build_residents(residents, sorted(collecting))
    hand_sql = """
        INSERT INTO notifications_notification (user_id, kind, title, body, url, urgent, delivery, created_at, dedupe_key)
        SELECT u.id, 'garbage_reminder', '明日はごみの日です', '', '/community/garbage/', false, np.channel, now(), 'garbage:sql'
        FROM accounts_user u
        JOIN notifications_notificationpreference np ON np.user_id = u.id AND np.kind = 'garbage_reminder' AND np.channel <> 'off'
        LEFT JOIN garbage_residentdistrict rd ON rd.user_id = u.id
        LEFT JOIN accounts_profile p ON p.user_id = u.id
        LEFT JOIN garbage_collectiondistrict cd ON cd.platform_district_id = p.district_id
        WHERE u.is_active AND (rd.district_id = ANY(%s) OR (rd.user_id IS NULL AND cd.id = ANY(%s)))
        ON CONFLICT DO NOTHING"""
    service_times, sql_times = [], []
    for _ in range(rounds):
        with transaction.atomic():
            started = time.perf_counter()
            sent = reminders.reminders_send(today=day - datetime.timedelta(days=1))
            service_times.append(time.perf_counter() - started)
            transaction.set_rollback(True)
        with transaction.atomic():
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(hand_sql, [collecting, collecting])
                by_sql = cursor.rowcount
            sql_times.append(time.perf_counter() - started)
            transaction.set_rollback(True)
    assert sent == by_sql, (sent, by_sql)
    out("reminders_districts_collecting", len(collecting))
    out("reminders_sent", sent)
    out("reminders_service_s", f"{statistics.median(service_times):.2f}", "s")
    out("reminders_sql_s", f"{statistics.median(sql_times):.2f}", "s")
    out("reminders_vs_sql_ratio", f"{statistics.median(service_times) / statistics.median(sql_times):.2f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--areas", type=int, default=500)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--residents", type=int, default=150_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--parts", default="import,feed,reminders", help="which parts to run (comma-separated)")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/garbage.py runs on PostgreSQL: set DATABASE_URL")
    out("database", connection.settings_dict["NAME"])
    parts = set(args.parts.split(","))
    if "import" in parts:
        bench_import(args.areas)
    if "feed" in parts:
        bench_year_and_feed(args.samples, today=datetime.date(FISCAL_YEAR, 11, 1))
    if "reminders" in parts:
        bench_reminders(args.residents, args.rounds)
    out("bench_items", Item.objects.count())
    out("bench_rules", Rule.objects.filter(fiscal_year=FISCAL_YEAR).count())


if __name__ == "__main__":
    main()
