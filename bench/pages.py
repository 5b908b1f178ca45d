"""The pages residents open most, under load, beside a plain Django page (issue 9).

    createdb -h 127.0.0.1 -U postgres bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/pages.py

Serves the portal with gunicorn under the production settings (4 sync workers, as in the
Dockerfile) on the PostgreSQL database DATABASE_URL names, with the demo data and ten budget years
loaded (bench years are added below the demo's, and left in place: run it on a bench database),
and in the same run a reference: a plain Django project (bench/reference/) whose one page renders
20 rows from the same PostgreSQL, served by gunicorn the same way. Each page is driven with wrk
(or, without wrk, a Python load generator) at 32 connections, one page at a time, after a warm-up.

Prints `name: value unit` lines: for each page `<page>_rps`, `<page>_p99` and
`<page>_vs_reference` (its requests/s over the reference's), `<page>_queries` (database queries of
one request, in-process), and last `worst_vs_reference`. The layout alone (floor_pages: public and
signed in) is printed the same way, for comparison, and not counted in worst and median.
"""
import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "asahikawa.settings.production"
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-pages-" + "x" * 40)
os.environ["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1,localhost"
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"

import django  # noqa: E402

django.setup()

import logging  # noqa: E402

logging.getLogger("asahikawa.request").setLevel(logging.WARNING)  # the in-process query counts log no lines

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model  # noqa: E402
from django.contrib.sessions.backends.cached_db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

CONNECTIONS = 32
WORKERS = 4
TEN_YEARS = 10
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}  # as the TLS proxy in front of production sends


def out(name, value, unit=""):
    print(f"{name}: {value} {unit}".rstrip(), flush=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- data ---------------------------------------------------------------------------------------

def load_data(quiet):
    call_command("load_demo", stdout=quiet)
    from budget.models import Account, FiscalYear, FundBalance

    have = FiscalYear.objects.count()
    if have < TEN_YEARS:
        from bench.budget import SOURCE, build_file
        from budget.services import budget_import

        oldest = min(FiscalYear.objects.order_by("year").values_list("year", flat=True).first(),
                     FundBalance.objects.order_by("year").values_list("year", flat=True).first() or 9999)
        first = oldest - (TEN_YEARS - have)
        specials = list(Account.objects.filter(kind=Account.Kind.SPECIAL).order_by("order").values_list("code", flat=True))
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / SOURCE
            build_file(path, (TEN_YEARS - have) * 2_500, specials, first_year=first)
            budget_import(file=path, source=SOURCE)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_reference_row "
                       "(id bigserial PRIMARY KEY, name varchar(100) NOT NULL, amount bigint NOT NULL, day date NOT NULL)")
        cursor.execute("SELECT count(*) FROM bench_reference_row")
        if cursor.fetchone()[0] < 1000:
            cursor.execute("INSERT INTO bench_reference_row (name, amount, day) "
                           "SELECT '行 ' || n, n * 1000, DATE '2023-04-01' + n % 365 FROM generate_series(1, 1000) n")


def resident_session():
    """A signed-in session of the demo resident, as the browser would hold it."""
    user = get_user_model().objects.get(email="resident@example.jp")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return user, session.session_key


def pages():
    """(name, path, signed in?) of the pages to measure. Areas add their main pages here."""
    from budget.models import BudgetItem

    item = (BudgetItem.objects.filter(breakdown="purpose", parent__isnull=True, account__code="general")
            .order_by("-fiscal_year__year", "order").select_related("fiscal_year").first())
    year, code = item.fiscal_year.year, item.code
    return [
        ("home", "/", False),
        ("budget_api_years", "/api/v1/budget/years/", False),
        ("budget_api_items", f"/api/v1/budget/years/{year}/items/?breakdown=purpose", False),
        ("budget_overview", "/budget/", False),
        ("budget_drilldown", f"/budget/{year}/purpose/{code}/", False),
        ("inbox", "/notifications/", True),
        ("dashboard", "/dashboard/", True),
        ("wellness_home", "/wellness/", True),
        ("wellness_points", "/wellness/points/", True),
        # The areas' main pages.
        ("notices", "/community/notices/", False),
        ("garbage_home", "/community/garbage/", False),
        ("grants", "/grants/", False),
        ("circulars", "/community/circulars/", True),
    ]


def floor_pages():
    """(name, path, signed in?) of the layout alone (the privacy page: static text), public and
    signed in: what any page costs before its own content (a signed-in page also loads the session
    and the user). Printed like the pages, not counted in worst and median."""
    return [("layout_public", "/privacy/", False), ("layout_signed_in", "/privacy/", True)]


# --- servers ------------------------------------------------------------------------------------

def serve(wsgi, port, env, log):
    command = [sys.executable, "-m", "gunicorn", wsgi, "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS),
               "--access-logfile", str(log)]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(log.with_suffix(".err"), "w"),
                               start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz" if "asahikawa" in wsgi else f"http://127.0.0.1:{port}/",
                                   timeout=2)
            return process
        except Exception:
            if process.poll() is not None:
                raise SystemExit(f"{wsgi} did not start: see {log.with_suffix('.err')}") from None
            time.sleep(0.3)
    raise SystemExit(f"{wsgi} did not answer within 60 s")


def stop(process):
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


# --- load ---------------------------------------------------------------------------------------

_WRK_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
_WRK_P99 = re.compile(r"^\s*99%\s+([\d.]+)(us|ms|s)\s*$", re.M)
_WRK_NON2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")


def wrk(url, headers, seconds):
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "30s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    result = subprocess.run([*command, url], capture_output=True, text=True, check=True)
    text = result.stdout
    if match := _WRK_NON2XX.search(text):
        raise SystemExit(f"{url}: {match.group(1)} answers were not 2xx/3xx\n{text}")
    rps = float(_WRK_RPS.search(text).group(1))
    value, unit = _WRK_P99.search(text).groups()
    p99 = float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    return rps, p99


def python_load(url, headers, seconds):
    """The same measure without wrk: CONNECTIONS threads with keep-alive connections."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    samples, stop_at = [], time.time() + seconds
    lock = threading.Lock()

    def worker():
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        mine = []
        while time.time() < stop_at:
            start = time.perf_counter()
            conn.request("GET", target, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status >= 400:
                raise SystemExit(f"{url}: {response.status}")
            mine.append((time.perf_counter() - start) * 1000)
        with lock:
            samples.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(CONNECTIONS)]
    begin = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - begin
    samples.sort()
    return len(samples) / elapsed, samples[min(len(samples) - 1, int(0.99 * (len(samples) - 1)))]


def measure(url, headers, seconds, warmup):
    load = wrk if shutil.which("wrk") else python_load
    load(url, headers, warmup)
    return load(url, headers, seconds)


def queries_of(path, user):
    client = Client(SERVER_NAME="127.0.0.1", **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in PROXY_HEADERS.items()})
    if user is not None:
        client.force_login(user)
    client.get(path)  # warm caches as the server's would be
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10, help="measured seconds per page")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--only", help="comma-separated page names")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("bench/pages.py measures PostgreSQL: set DATABASE_URL=postgres://...")

    with open(os.devnull, "w") as quiet:
        load_data(quiet)
        call_command("collectstatic", "--noinput", stdout=quiet)
    user, session_key = resident_session()
    chosen, floor = pages(), floor_pages()
    if args.only:
        wanted = set(args.only.split(","))
        chosen = [page for page in chosen if page[0] in wanted]
        floor = [page for page in floor if page[0] in wanted]

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "asahikawa.settings.production", "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory() as folder:
        portal_port, reference_port = free_port(), free_port()
        portal = serve("asahikawa.wsgi:application", portal_port, env, Path(folder) / "portal.log")
        reference = serve("bench.reference.wsgi:application", reference_port,
                          {**env, "DJANGO_SETTINGS_MODULE": "bench.reference.settings"}, Path(folder) / "reference.log")
        try:
            out("load_generator", "wrk" if shutil.which("wrk") else "python")
            out("connections", CONNECTIONS)
            ref_rps, ref_p99 = measure(f"http://127.0.0.1:{reference_port}/", {}, args.seconds, args.warmup)
            out("reference_rps", f"{ref_rps:.0f}", "req/s")
            out("reference_p99", f"{ref_p99:.1f}", "ms")
            cookie = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key}"}
            ratios = {}
            for name, path, signed_in in [*chosen, *floor]:
                headers = {**PROXY_HEADERS, **(cookie if signed_in else {})}
                rps, p99 = measure(f"http://127.0.0.1:{portal_port}{path}", headers, args.seconds, args.warmup)
                ratios[name] = rps / ref_rps
                out(f"{name}_rps", f"{rps:.0f}", "req/s")
                out(f"{name}_p99", f"{p99:.1f}", "ms")
                out(f"{name}_vs_reference", f"{ratios[name]:.2f}")
                out(f"{name}_queries", queries_of(path, user if signed_in else None), "queries")
            ratios = {name: ratios[name] for name, _path, _signed_in in chosen}
            if not ratios:
                return
            worst = min(ratios, key=ratios.get)
            out("worst_page", worst)
            out("worst_vs_reference", f"{ratios[worst]:.2f}")
            out("median_vs_reference", f"{statistics.median(ratios.values()):.2f}")
        finally:
            stop(portal)
            stop(reference)


if __name__ == "__main__":
    main()
