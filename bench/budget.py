"""Benchmark of the budget disclosure (issue 4) on the database DATABASE_URL names.

    createdb -h 127.0.0.1 -U postgres h_budget_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_budget_bench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_budget_bench .venv/bin/python bench/budget.py

Writes its own multi-year budget file in the portal's layout (default 50,000 lines: 20 fiscal
years 1990-2009 of 2,500 lines each, with 款/項 by purpose, nature and revenue breakdowns that
add up, account lines, stated totals and fund balances) into a temporary directory, then times
(a) the check alone (--dry-run) and (b) the import through the same service as
`manage.py import_budget`; then, with that data loaded, the p50/p99 of the overview page and of
the API (in-process WSGI through the whole middleware stack; no network, no web server).
It touches only its own years (refusing to run if one of them holds data it did not write) and
deletes them at the end unless --keep. Prints `name: value unit` lines.

Memory (issue 9): with --memory-mb N (default 200; 0 to skip) it also writes a file of about N MB
(years from 1868, each a general account and 50 款 of 600 項 per 200 MB asked: about 30,000 lines a
year for 200 MB, 60,000 for 400 MB, so that the years stay before 2022) and imports
it (check and write) in a child process, which reports its own peak resident memory
(`import_large_peak_rss`); the target is under 500 MB whatever the file's size, as the import reads
it in chunks and holds its lines compactly on disk by year, checking and writing one year at a time
(budget/importing/compact.py).
"""
import argparse
import csv
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asahikawa.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "false")  # no query log growing in memory

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from budget.models import Account, BudgetItem, FiscalYear, FundBalance  # noqa: E402
from budget.services import budget_import  # noqa: E402

SOURCE = "bench-budget.csv"
FUND_NOTE = "bench/budget.py"
FIRST_YEAR = 1990
LINES_PER_YEAR = 2_500


def out(name, value, unit=""):
    print(f"{name}: {value} {unit}".rstrip(), flush=True)


def split(total, count, rng):
    weights = [rng.randint(1, 1000) for _ in range(count)]
    whole = sum(weights)
    parts = [total * w // whole for w in weights]
    parts[-1] += total - sum(parts)
    return parts


def tree(writer, year, table, total, tops, children, rng, prefix):
    """tops lines, each with `children` sub-lines (0 for none), adding up to total; returns lines written."""
    written = 0
    for i, top_amount in enumerate(split(total, tops, rng), start=1):
        code = f"{prefix}{i:02d}"
        writer.writerow([year, table, "general", code, "", f"{table}{i}（ベンチ）", top_amount, "true"])
        written += 1
        if children:
            for j, amount in enumerate(split(top_amount, children, rng), start=1):
                writer.writerow([year, table, "general", f"{code}-{j:02d}", code, f"{table}{i}-{j}（ベンチ）", amount, "true"])
                written += 1
    return written


def build_file(path, lines, specials, seed=4, first_year=FIRST_YEAR):
    """A file of exactly `lines` lines (plus the header), LINES_PER_YEAR per year from first_year."""
    rng = random.Random(seed)
    years = []
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["year", "table", "account", "code", "parent", "name", "amount", "is_sample"])
        remaining, year = lines, first_year
        while remaining > 0:
            budget = min(LINES_PER_YEAR, remaining)
            written = 0
            general = rng.randint(150_000, 180_000) * 1_000_000
            special = [rng.randint(100, 50_000) * 1_000_000 for _ in specials]
            writer.writerow([year, "account", "general", "", "", "一般会計", general, "true"])
            for code, amount in zip(specials, special):
                writer.writerow([year, "account", code, "", "", code, amount, "true"])
            writer.writerow([year, "total", "", "all", "", "", general + sum(special), "true"])
            writer.writerow([year, "total", "", "special", "", "", sum(special), "true"])
            writer.writerow([year, "fund", "", "", "", FUND_NOTE, rng.randint(3_000, 9_000) * 1_000_000, "true"])
            written += 4 + len(specials)
            # purpose: 款 with 40 項 each; nature and revenue: 20 区分 with 20 each; the rest as top-level revenue lines.
            rest = budget - written
            purpose_tops = max(1, min(40, rest * 2 // 3 // 41))
            written += tree(writer, year, "purpose", general, purpose_tops, 40, rng, "P")
            nature_tops = max(1, min(20, (budget - written) // 2 // 21))
            written += tree(writer, year, "nature", general, nature_tops, 20, rng, "N")
            left = budget - written
            revenue_with = max(1, min(20, left // 21))
            extra = max(0, left - revenue_with * 21)
            revenue_parts = split(general, 2, rng)
            written += tree(writer, year, "revenue", revenue_parts[0], revenue_with, 20, rng, "R")
            if extra:
                written += tree(writer, year, "revenue", revenue_parts[1], extra, 0, rng, "X")
            else:  # no room for extra lines: fold the second part into the first top line's year total
                raise SystemExit("file too small for one year; use --lines >= 2500")
            years.append(year)
            remaining -= written
            year += 1
    return years


LARGE_FIRST_YEAR = 1868
LARGE_SOURCE = "bench-budget-large.csv"


def build_large_file(path, megabytes, first_year=LARGE_FIRST_YEAR, tops=50, children=600):
    """A portal-layout file of about `megabytes` MB: per year a general account and a purpose
    breakdown of `tops` 款 with `children` 項 each, adding up. Returns its years."""
    target = megabytes * 1_000_000
    written = 0
    year = first_year
    with open(path, "w", encoding="utf-8") as handle:
        written += handle.write("year,table,account,code,parent,name,amount,is_sample\n")
        while written < target:
            child_amount = 1_000_000 + year
            top_amount = child_amount * children
            written += handle.write(f"{year},account,general,,,一般会計,{top_amount * tops},true\n")
            for i in range(1, tops + 1):
                written += handle.write(f"{year},purpose,general,P{i:02d},,目的{i}（ベンチ）,{top_amount},true\n")
                written += handle.write("".join(
                    f"{year},purpose,general,P{i:02d}-{j:04d},P{i:02d},目的{i}-{j}（ベンチ）,{child_amount},true\n"
                    for j in range(1, children + 1)))
            year += 1
    return list(range(first_year, year))


def clean_large(years):
    """The large file's years, deleted in three statements (the ORM's cascade would load every row)."""
    ids = list(FiscalYear.objects.filter(year__in=years, source=LARGE_SOURCE).values_list("id", flat=True))
    if not ids:
        return
    with connection.cursor() as cursor:
        for table in (BudgetItem._meta.db_table, "budget_accountbudget"):
            cursor.execute(f"DELETE FROM {table} WHERE fiscal_year_id = ANY(%s)", [ids])
        cursor.execute(f"DELETE FROM {FiscalYear._meta.db_table} WHERE id = ANY(%s)", [ids])


def import_in_child(path):
    """Run in a child process: import the file, print seconds and this process's peak RSS."""
    start = time.perf_counter()
    plan = budget_import(file=path, source=LARGE_SOURCE)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024  # KB on Linux
    print(f"CHILD {sum(unit.rows for unit in plan.units)} {elapsed:.1f} {peak}", flush=True)


def bench_memory(megabytes):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / LARGE_SOURCE
        # 600 項 a 款 per 200 MB: the years stay before those the database holds (2022-) and before
        # the import's latest year, however large the file.
        years = build_large_file(path, megabytes, children=600 * max(1, -(-megabytes // 200)))
        guard_large(years)
        out("import_large_file_size", f"{path.stat().st_size / 1_000_000:.0f}", "MB")
        try:
            result = subprocess.run([sys.executable, __file__, "--import-child", str(path)], capture_output=True, text=True,
                                    env=os.environ.copy())
            line = next((line for line in result.stdout.splitlines() if line.startswith("CHILD ")), None)
            if line is None:
                raise SystemExit(f"the import failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
            _child, rows, seconds, peak = line.split()
            out("import_large_lines", rows, "lines")
            out("import_large_seconds", seconds, "s")
            out("import_large_peak_rss", peak, "MB")
        finally:
            clean_large(years)


def guard_large(years):
    foreign = FiscalYear.objects.filter(year__in=years).exclude(source=LARGE_SOURCE).values_list("year", flat=True)
    if foreign:
        raise SystemExit(f"years {sorted(foreign)} hold data this script did not write; not touching them")
    clean_large(years)


def bench_years(count):
    return list(range(FIRST_YEAR, FIRST_YEAR + count))


def clean(years):
    FiscalYear.objects.filter(year__in=years, source=SOURCE).delete()
    FundBalance.objects.filter(year__in=years, note=FUND_NOTE).delete()


def guard(years):
    foreign = FiscalYear.objects.filter(year__in=years).exclude(source=SOURCE).values_list("year", flat=True)
    foreign_fund = FundBalance.objects.filter(year__in=years).exclude(note=FUND_NOTE).values_list("year", flat=True)
    if foreign or foreign_fund:
        raise SystemExit(f"years {sorted(set(foreign) | set(foreign_fund))} hold data this script did not write; not touching them")


def percentile(samples, fraction):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def timed_requests(client, url, count, warmup=5):
    for _ in range(warmup):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200 and body
    return samples


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--keep", action="store_true", help="keep the bench years in the database afterwards")
    parser.add_argument("--memory-mb", type=int, default=200, help="size of the large file for the memory figure (0: skip)")
    parser.add_argument("--memory-only", action="store_true", help="only the memory figure")
    parser.add_argument("--import-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.import_child:
        import_in_child(args.import_child)
        return
    if args.memory_only:
        bench_memory(args.memory_mb)
        return
    if args.lines < LINES_PER_YEAR:
        raise SystemExit("--lines must be at least 2500")

    specials = list(Account.objects.filter(kind=Account.Kind.SPECIAL).order_by("order").values_list("code", flat=True))
    if not specials:
        raise SystemExit("no special accounts: run migrate first (the budget data migration creates them)")
    count_years = -(-args.lines // LINES_PER_YEAR)
    years = bench_years(count_years)
    guard(years)
    clean(years)

    out("database", connection.vendor)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / SOURCE
        start = time.perf_counter()
        written_years = build_file(path, args.lines, specials)
        out("file_build", f"{time.perf_counter() - start:.2f}", "s")
        with open(path, encoding="utf-8") as handle:
            file_lines = sum(1 for _ in handle) - 1
        out("file_lines", file_lines, "lines")
        out("file_years", len(written_years), "years")

        start = time.perf_counter()
        budget_import(file=path, dry_run=True, source=SOURCE)
        check = time.perf_counter() - start
        out("import_check_only", f"{check:.2f}", "s")

        start = time.perf_counter()
        plan = budget_import(file=path, source=SOURCE)
        elapsed = time.perf_counter() - start
        out("import_50000_lines" if file_lines == 50_000 else f"import_{file_lines}_lines", f"{elapsed:.2f}", "s")
        out("import_rate", f"{file_lines / elapsed:.0f}", "lines/s")
        stored = BudgetItem.objects.filter(fiscal_year__year__in=written_years).count()
        out("items_stored", stored, "rows")
        assert sum(unit.rows for unit in plan.units) + 2 * len(written_years) == file_lines

    try:
        client = Client(SERVER_NAME="localhost")
        last = written_years[-1]
        pages = {
            "overview_latest": "/budget/",
            "overview_bench_year": f"/budget/{last}/",
            "years_page": "/budget/years/",
            "api_years": "/api/v1/budget/years/",
            "api_year_detail": f"/api/v1/budget/years/{last}/",
            "api_items_purpose": f"/api/v1/budget/years/{last}/items/?breakdown=purpose&page_size=50",
        }
        for name, url in pages.items():
            samples = timed_requests(client, url, args.requests)
            out(f"{name}_p50", f"{statistics.median(samples):.1f}", "ms")
            out(f"{name}_p99", f"{percentile(samples, 0.99):.1f}", "ms")
        out("requests_per_url", args.requests, "requests")
    finally:
        if not args.keep:
            clean(written_years)
    if args.memory_mb:
        bench_memory(args.memory_mb)


if __name__ == "__main__":
    main()
