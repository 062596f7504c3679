"""Benchmarks: server time and query counts of the main pages on a large generated data set.

    make bench                      # SQLite file in a temporary folder, then the table of all results
    .venv/bin/python bench/run.py --postgres      # a throwaway PostgreSQL (scripts/integration.py)
    BENCH_DATABASE_URL=postgres://… make bench   # the same against PostgreSQL (an empty database)

Each page is requested through Django's test client (no network), after a warm-up; we report the
median and 95th percentile of the server time and the number of SQL queries per request. The
timed requests render templates as a web process does: the test client's instrumentation, which
copies every template's context for `response.context` (the warm-up uses it to count the
matches), is off while timing; it cost 2-4 ms a request and, through the objects it kept,
collector pauses that made the p95 (measured side by side, 2026-12-02). After the bulk load
the tables get `VACUUM ANALYZE`, as autovacuum gives a table that has had many inserts: the
statistics, and the visibility map an index-only scan needs. The
query count must not depend on the amount of data: the suite pins that with tests, this reports
what it costs at production scale. The shared page cache is switched off: these are the
uncached times. Figures go to bench/results/registry.json (the format bench/table.py prints:
a list of {"measure", "value", "unit", "target", "ok"}) and into the README by hand.
"""

import argparse
import contextlib
import json
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def configure(database_url: str | None) -> str | None:
    """Set up the environment; returns the temporary folder made for SQLite, if any."""
    folder = None
    if database_url is None:
        folder = tempfile.mkdtemp(prefix="burgerkracht-bench-")
        database_url = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault(
        "SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
    )
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ["IGNORE_DOTENV"] = "1"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return folder


def staff_client(user):
    """A test client logged in as staff and past the second step, with a real TOTP device
    (as after typing a right code), so staff pages are measured and not the redirect."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or (
        TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def measure(client, path: str, params: dict | None, repeat: int, render=None) -> dict:
    """Median and p95 of `repeat` requests after three warm-ups; `render`: the template
    engine's own `Template._render`, used while timing instead of the test client's."""
    from django.db import connection
    from django.template.base import Template
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):  # warm-up: template loading, caches
        response = client.get(path, params or {})
        assert response.status_code == 200, (path, response.status_code)
    # How many initiatives the page lists: proves that a filter matched something.
    page = response.context["page"] if response.context and "page" in response.context else None
    matches = page.paginator.count if page is not None else None
    timings = []
    queries = set()
    instrumented, Template._render = Template._render, render or Template._render
    try:
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.get(path, params or {})
                if hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)
                timings.append((time.perf_counter() - start) * 1000)
            queries.add(len(captured))
    finally:
        Template._render = instrumented
    timings.sort()
    return {
        "median_ms": round(statistics.median(timings), 1),
        # Nearest-rank percentile: the smallest timing with at least 95 % of them at or below it.
        "p95_ms": round(timings[math.ceil(len(timings) * 0.95) - 1], 1),
        "queries": sorted(queries),
        "matches": matches,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--initiatives", type=int, default=10_000)
    parser.add_argument("--intakes", type=int, default=30_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="start a throwaway PostgreSQL (scripts/integration.py) and use it",
    )
    args = parser.parse_args()

    with bench_database(postgres=args.postgres):
        return run(args)


def settle_heap() -> None:
    """Set the collector as a web process sets it (`config.collector.settle`, called by
    `config/wsgi.py` once the application is loaded), here after the data is generated: the
    generator's objects are frozen with the rest, as a web process never walks them."""
    from config import collector  # the project's root is on the path only from here on

    collector.settle()


@contextlib.contextmanager
def bench_database(*, postgres: bool):
    """The benchmark's database for the block: a throwaway PostgreSQL (`postgres`, the one the
    integration suite starts), `BENCH_DATABASE_URL`, or a temporary SQLite file; gone after."""
    stack = None
    database_url = os.environ.get("BENCH_DATABASE_URL")
    if postgres:
        sys.path.insert(0, str(ROOT / "scripts"))
        import integration  # the throwaway PostgreSQL of the integration suite

        stack = integration.Stack()
        integration.say(f"starting PostgreSQL on port {stack.pg_port}")
        stack.start_postgres()
        database_url = stack.database_url()
    folder = configure(database_url)
    try:
        yield
    finally:
        from django.db import connections

        connections.close_all()
        if folder:  # the SQLite file (~40 MB) is not needed afterwards
            shutil.rmtree(folder, ignore_errors=True)
        if stack is not None:
            stack.stop()


def run(args) -> int:
    """Set up the database, fill it and measure the register's pages; print the figures.

    Long because it is the benchmark's script: setup, data, the measuring loop and the
    report, in the order they run.
    """
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.template.base import Template
    from django.test import Client
    from django.test.utils import setup_test_environment

    render = Template._render  # the engine's own, before the test environment wraps it
    setup_test_environment()  # lets the test client run with DEBUG off
    from django.conf import settings

    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # uncached: what every write costs the next reader
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    from bench import generate
    from bench import measures as measures_

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    facts = generate.populate(initiatives=args.initiatives, intakes=args.intakes)
    if connection.vendor == "postgresql":
        # Planner statistics and the visibility map of the freshly bulk-loaded tables, as
        # autovacuum makes them after many inserts.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    generation_s = round(time.perf_counter() - started, 1)
    print(
        f"generated {facts['initiatives']} initiatives and {facts['intakes']} intakes "
        f"in {generation_s:.0f} s on {connection.vendor}"
    )

    settle_heap()
    anonymous = Client()
    staff = staff_client(facts["civil_servant"])
    cases = [
        ("register, unfiltered", anonymous, "/initiatieven/", None),
        ("register, page 200", anonymous, "/initiatieven/", {"page": 200}),
        ("register, search 'tuin'", anonymous, "/initiatieven/", {"q": "tuin"}),
        ("register, search + 2 filters", anonymous, "/initiatieven/", facts["register_filter"]),
        ("initiative page", anonymous, f"/initiatieven/{facts['slug']}/", None),
        ("intake overview", staff, "/intake/", None),
        ("intake overview, filtered", staff, "/intake/", facts["overview_filter"]),
    ]
    results = {}
    for name, client, path, params in cases:
        results[name] = measure(client, path, params, args.repeat, render)
        r = results[name]
        print(
            f"{name:32} median {r['median_ms']:7.1f} ms   p95 {r['p95_ms']:7.1f} ms   "
            f"queries {r['queries']}   matches {r['matches']}"
        )

    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    vendor = connection.vendor
    measures = []
    for name, r in results.items():
        target = 50.0 if name.startswith("register") else None
        measures.append(
            measures_.row(
                f"{name} p95, {vendor}, {args.initiatives:,} initiatives", r["p95_ms"], "ms", target
            )
        )
        measures.append(measures_.row(f"{name} queries", max(r["queries"]), "queries", 12))
    measures_.write("registry" if vendor == "postgresql" else f"registry-{vendor}", measures)
    (out / f"registry-{vendor}-details.json").write_text(
        json.dumps(
            {
                "vendor": vendor,
                "initiatives": args.initiatives,
                "intakes": args.intakes,
                "generation_s": generation_s,
                "repeat": args.repeat,
                "results": results,
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
