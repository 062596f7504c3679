"""Anonymous GETs of the public pages on gunicorn with PostgreSQL and the Redis page cache,
each as a share of the trivial liveness view on the same server, measured side by side.

    .venv/bin/python bench/pages.py                    # 400 requests per page, 8 client threads
    .venv/bin/python bench/pages.py --requests 1000 --threads 16 --workers 3

What runs: scripts/integration.py's throwaway PostgreSQL and Redis, the schema migrated, the demo
data (`seed_demo`), and gunicorn serving `config.wsgi` as the Dockerfile does (gthread workers, 2
threads, keep-alive; without its access log and `--max-requests`, so that no worker restarts
in the middle of one kind of round) with `CACHE_URL` on that Redis. For each page: short rounds of GET
/_healthz/livez/ and of the page, alternated, from the same client threads; the ratio of their
summed times is the figure (target ≥ 0.5, issue 16). A write between rounds (a new initiative)
shows that the next anonymous GET renders the page anew. Writes bench/results/pages.json.
"""

import argparse
import http.client
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import integration  # noqa: E402 - the throwaway PostgreSQL and Redis

from bench import measures  # noqa: E402
from bench.server import fire, start_gunicorn  # noqa: E402


def pages() -> list[tuple[str, str]]:
    from governance.models import Proposal
    from initiatives.models import Initiative
    from reports.models import AnnualReport
    from sroi.models import Fund

    initiative = Initiative.objects.order_by("pk").first()
    fund = Fund.objects.order_by("pk").first()
    proposal = Proposal.objects.filter(status__in=Proposal.PUBLIC).order_by("-pk").first()
    report = AnnualReport.objects.filter(status=AnnualReport.Status.DONE).order_by("-year").first()
    found = [
        ("register", "/initiatieven/"),
        ("register, filtered", "/initiatieven/?status=actief&sort=nieuwste"),
        ("register, searched", "/initiatieven/?q=tuin"),
        ("initiative page", f"/initiatieven/{initiative.slug}/"),
        ("/sroi/", "/sroi/"),
        ("fund page", f"/sroi/fondsen/{fund.slug}/"),
        ("/voorstellen/", "/voorstellen/"),
        ("proposal page", f"/voorstellen/{proposal.pk}/"),
    ]
    if report is not None:
        found.append(("year page", f"/rapporten/{report.year}/"))
    return found


def main() -> int:
    """Start gunicorn as the Dockerfile does, fill the database, and measure each page against
    livez in alternating rounds; print the table.

    Long because it is the benchmark's script: options, setup, the measuring loop and the
    table, in the order they run.
    """
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=400, help="requests per round")
    parser.add_argument("--threads", type=int, default=8, help="client threads")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (gthread, 2)")
    parser.add_argument("--rounds", type=int, default=8, help="alternations of livez and page")
    args = parser.parse_args()

    stack = integration.Stack()
    gunicorn = None
    rows = []
    try:
        integration.say(f"starting PostgreSQL on port {stack.pg_port} and Redis")
        stack.start_postgres()
        stack.start_redis()
        stack.configure_env()
        stack.env["STATIC_ROOT"] = str(stack.tmp / "static")
        stack.env["CACHE_URL"] = f"redis://127.0.0.1:{stack.redis_port}/1"
        stack.env["PUBLIC_PAGE_CACHE_SECONDS"] = "60"
        os.environ.update(stack.env)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        integration.say("migrating, collecting static files, seeding the demo")
        call_command("migrate", "--no-input", verbosity=0)
        call_command("collectstatic", "--no-input", verbosity=0)
        call_command("seed_demo", verbosity=0, force=True)  # a throwaway database
        targets = pages()
        connection.close()

        port = integration.free_port()
        integration.say(f"starting gunicorn ({args.workers} gthread workers) on port {port}")
        gunicorn = start_gunicorn(stack, port, args.workers, stack.tmp / "gunicorn.log")
        host = {"Host": f"127.0.0.1:{port}"}
        livez = [("GET", "/_healthz/livez/", None, host)] * args.requests
        # Warm-up: every worker thread imports, connects and loads its templates.
        fire(port, args.threads, livez[: 8 * args.threads])

        for name, path in targets:
            page = [("GET", path, None, host)] * args.requests
            fire(port, args.threads, page[: 8 * args.threads])  # warm-up: fills the cache
            # Short rounds, alternated, summed: a busy machine slows both sides alike.
            size = max(args.requests // args.rounds, args.threads)
            base_time = page_time = 0.0
            statuses: dict[str, int] = {}
            latencies = []
            for _ in range(args.rounds):
                elapsed, _results = fire(port, args.threads, livez[:size])
                base_time += elapsed
                elapsed, results = fire(port, args.threads, page[:size])
                page_time += elapsed
                latencies += [seconds for _status, seconds in results]
                for status, _seconds in results:
                    statuses[str(status)] = statuses.get(str(status), 0) + 1
            ratio = base_time / page_time  # the same number of requests on both sides
            ok_statuses = statuses == {"200": size * args.rounds}
            latencies.sort()
            p95 = round(latencies[int(0.95 * (len(latencies) - 1))] * 1000, 1)
            rate = round(size * args.rounds / page_time, 1)
            print(
                f"{name:22} {rate:>8} req/s  p95 {p95:>6} ms"
                f"   livez {round(size * args.rounds / base_time, 1):>8} req/s   ratio {ratio:.2f}"
                f"   {'' if ok_statuses else statuses}"
            )
            rows.append(
                measures.row(
                    f"{name} (anonymous, cached) / livez",
                    round(ratio, 2) if ok_statuses else 0.0,
                    "ratio",
                    0.5,
                    higher_is_better=True,
                )
            )
            rows.append(measures.row(f"{name} p95", p95, "ms"))

        # A write shows at once: a new initiative on the next anonymous GET of the register.
        from initiatives.models import Initiative

        template = Initiative.objects.order_by("pk").first()
        Initiative.objects.create(
            name="Bench: nieuw initiatief",
            slug=f"bench-nieuw-{int(time.time())}",
            summary="Gemaakt door bench/pages.py.",
            area=template.area,
            initiator_type=template.initiator_type,
            organisation_form=template.organisation_form,
            phase=template.phase,
        )
        connection.close()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/initiatieven/?sort=nieuwste", headers=host)
        shown = b"Bench: nieuw initiatief" in conn.getresponse().read()
        conn.close()
        rows.append(
            measures.row(
                "a new initiative shows on the next GET",
                int(shown),
                "yes=1",
                1,
                higher_is_better=True,
            )  # fmt: skip
        )
        print(f"a new initiative shows on the next anonymous GET: {shown}")
    finally:
        if gunicorn is not None:
            integration.stop_process_group(gunicorn, timeout=20)
        stack.stop()
    measures.write("pages", rows)
    return 0 if all(r["ok"] for r in rows if r["ok"] is not None) else 1


if __name__ == "__main__":
    sys.exit(main())
