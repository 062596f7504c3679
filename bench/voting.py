"""Casting throughput on the integration stack, against a trivial view on the same stack.

    make bench-voting                                  # defaults: 500 voters, 16 client threads
    .venv/bin/python bench/voting.py --voters 1000 --threads 8 --workers 3
    .venv/bin/python bench/voting.py --sqlite --voters 100 --threads 2 --workers 1   # small run

What runs: scripts/integration.py's throwaway PostgreSQL and Redis (in a temporary folder, on free
ports, removed afterwards), the schema migrated, and gunicorn serving `config.wsgi` the way the
Dockerfile does (gthread workers, 2 threads each, keep-alive; without its access log and
`--max-requests`, so that no worker restarts in the middle of one kind of round). The script then
makes one open community poll whose electorate is `--voters` verified members (and a few more
who look at the ballot and vote to warm the server up), and gives each a CSRF cookie.

Measured, over real HTTP with `http.client` (one keep-alive connection per client thread):
- vote: every voter POSTs one secret ballot to /voorstellen/<pk>/stemmen/ (expects 200: the
  receipt with the tracking code; the ballot is sealed with the poll's key);
- baseline: four GETs of /_healthz/livez/ per ballot (expects 200), the trivial view of the
  site: no template, no database, no broker, through the same middleware stack.
The two alternate in `--rounds` rounds (livez, then a group of voters who log in just before,
as a voter logs in and then votes; `log_in`). Both run with the same number of client threads;
the report gives requests/s, median and p95 latency over all rounds, the ratio
vote/baseline (the median of the rounds' ratios, each vote round against the livez round just
before it: one round that a busy moment of the machine slowed down does not move it; the ratio
of all rounds together is printed beside it), and the CPU each request cost the machine by
kind of process (gunicorn, PostgreSQL, Redis, this client; from /proc, on Linux): which part
to make cheaper. Afterwards the poll is closed and the tally is checked
against the stored ballots (every vote counted once), after three trustees entered their keys. The client threads share the machine with
gunicorn and PostgreSQL, so absolute figures depend on the host; the ratio is the figure to watch.
`--web-cpus N` gives gunicorn N CPUs of its own and leaves the others to this client, PostgreSQL
and Redis, as when those run on other machines: a second figure (`voting-web-cpus` in the table),
never in place of the first.
JSON goes to bench/results/voting-<time>.json (gitignored).
"""

import argparse
import json
import os
import secrets
import string
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import integration  # noqa: E402 - scripts/integration.py: the throwaway PostgreSQL and Redis

from bench.rounds import cpu_by_process, cpu_per_request, summarise, vote_ratio  # noqa: E402
from bench.server import fire, split_cpus, start_gunicorn  # noqa: E402

CSRF_CHARS = string.ascii_letters + string.digits
# livez answers several times faster than a vote: this many per ballot keeps both kinds of
# round about equally long, so each is measured over a comparable stretch of time.
LIVEZ_PER_VOTE = 4


def prepare(voters: int) -> tuple[int, list]:
    """An open poll with `voters` verified members; returns its pk and the voters."""
    from django.utils import timezone

    from accounts.models import Area, MemberVerification, User
    from accounts.roles import sync_role_groups
    from governance import services
    from governance.models import Body, DecisionRule, Proposal, Seat, Side

    sync_role_groups()
    # The trustees of the poll's key: the community side of a community board.
    board = Body.objects.create(name="Bench-bestuur", slug="bench-bestuur", kind=Body.Kind.BOARD)
    for i in range(3):
        trustee = User.objects.create(username=f"bench-sleutelhouder{i}")
        Seat.objects.create(body=board, user=trustee, side=Side.COMMUNITY)
    area = Area.objects.create(name="Bench-wijk", slug="bench-wijk", kind=Area.Kind.NEIGHBOURHOOD)
    clerk = User.objects.create(username="bench-ambtenaar")
    users = User.objects.bulk_create(User(username=f"kiezer{i:05d}") for i in range(voters))
    MemberVerification.objects.bulk_create(
        MemberVerification(
            user=user, area=area, method=MemberVerification.Method.IN_PERSON, verified_by=clerk
        )
        for user in users
    )
    rule = DecisionRule.objects.create(
        name="Bench",
        quorum=DecisionRule.Quorum.NONE,
        community_guarantee=False,
        min_discussion_days=0,
    )
    poll = services.create_proposal(
        title="Bench-peiling",
        text="Een peiling om het stemmen te meten.",
        method=Proposal.Method.POLL,
        areas=[area],
        decision_rule=rule,
        actor=None,
    )
    services.start_discussion(proposal=poll, actor=None)
    services.open_voting(proposal=poll, closes_at=timezone.now() + timedelta(hours=1), actor=None)
    return poll.pk, list(User.objects.filter(username__startswith="kiezer").order_by("username"))


def log_in(users) -> list[tuple[str, str]]:
    """Log each of `users` in as the log-in page does, and give each a CSRF secret; returns
    their (session key, CSRF secret).

    Django's `login()` on the configured session engine (the session in the database and in the
    cache) with its `user_logged_in` signal, which stamps the idle clock
    (`accounts.middleware.start_idle_clock`), as a real log-in does: so a vote soon after logging
    in reads its session from the cache and does not write it back. (Sessions written straight
    into the database had neither: every vote then read its session from the database and wrote
    it again, which no voter's request does.)
    """
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import login
    from django.http import HttpRequest

    engine = import_module(settings.SESSION_ENGINE)
    logins = []
    for user in users:
        request = HttpRequest()
        request.session = engine.SessionStore()
        # The password backend: the others (axes, rules, the OIDC log-ins) restore no user.
        login(request, user, backend="accounts.backends.ModelBackend")
        request.session.save()
        logins.append(
            (request.session.session_key, "".join(secrets.choice(CSRF_CHARS) for _ in range(32)))
        )
    return logins


def main() -> int:
    """Start PostgreSQL, Redis and gunicorn, make the voters, and measure casting a vote against
    livez in alternating rounds; print the figures.

    Long because it is the benchmark's script: options, setup, the measuring loop and the
    table, in the order they run.
    """
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--voters", type=int, default=500)
    parser.add_argument("--threads", type=int, default=16, help="client threads")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (gthread, 2)")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds of each kind")
    parser.add_argument(
        "--sqlite",
        action="store_true",
        help="a throwaway SQLite file instead of PostgreSQL (a small run on a laptop)",
    )
    parser.add_argument(
        "--web-cpus",
        type=int,
        default=0,
        help="give gunicorn this many CPUs of its own, and the client, PostgreSQL and Redis the "
        "others (as when they run on other machines); 0: all share every CPU (the default)",
    )
    args = parser.parse_args()
    web_cpus = None
    if args.web_cpus and len(os.sched_getaffinity(0)) < 2:
        print("--web-cpus: skipped, this machine lets us use one CPU only")
        (ROOT / "bench" / "results" / "voting-web-cpus.json").unlink(missing_ok=True)
        return 0
    if args.web_cpus:
        web_cpus, others = split_cpus(args.web_cpus)
        # PostgreSQL and Redis are started from here, so they (and this client) stay on `others`.
        os.sched_setaffinity(0, others)

    stack = integration.Stack()
    gunicorn = None
    try:
        if args.sqlite:
            integration.say("a throwaway SQLite file, and Redis")
        else:
            integration.say(f"starting PostgreSQL on port {stack.pg_port} and Redis")
            stack.start_postgres()
        stack.start_redis()
        stack.configure_env()
        if args.sqlite:
            stack.env["DATABASE_URL"] = f"sqlite:///{stack.tmp / 'bench.sqlite3'}"
        # The cache on that Redis, as in production (.env.example): sessions are read through it,
        # rate limits counted in it, shared by every web process.
        stack.env["CACHE_URL"] = f"redis://127.0.0.1:{stack.redis_port}/1"
        # Without DEBUG the pages use the collected static files' manifest, as in the image.
        stack.env["STATIC_ROOT"] = str(stack.tmp / "static")
        os.environ.update(stack.env)
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection

        from governance.tally import CHOICES

        integration.say("migrating")
        call_command("migrate", "--no-input", verbosity=0)
        call_command("collectstatic", "--no-input", verbosity=0)
        warm_count = min(args.voters, 4 * args.threads)
        integration.say(f"making a poll with {args.voters} voters")
        poll_pk, voters = prepare(args.voters + warm_count)
        voters, warmers = voters[: args.voters], voters[args.voters :]
        if connection.vendor == "postgresql":
            # The voters, their verifications and the frozen roll were written a moment ago; a
            # database that takes votes has had autovacuum see its tables long before. Without
            # this, autovacuum's ANALYZE of them ran in the middle of the first rounds.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        connection.close()

        port = integration.free_port()
        integration.say(f"starting gunicorn ({args.workers} gthread workers) on port {port}")
        gunicorn = start_gunicorn(
            stack, port, args.workers, stack.tmp / "gunicorn.log", cpus=web_cpus
        )
        host = {"Host": f"127.0.0.1:{port}"}

        def ballot(method: str, i: int, session_key: str, csrf: str):
            headers = {
                **host,
                "Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key}; "
                f"{settings.CSRF_COOKIE_NAME}={csrf}",
                "X-CSRFToken": csrf,
                "Content-Type": "application/x-www-form-urlencoded",
            }
            body = f"choice={CHOICES[i % 3]}".encode() if method == "POST" else None
            return (method, f"/voorstellen/{poll_pk}/stemmen/", body, headers)

        livez = ("GET", "/_healthz/livez/", None, host)
        # Warm-up: each worker's threads connect to PostgreSQL and Redis (the URLs, translations
        # and templates a worker loads as it starts: config/warmup.py); the warm-up's own
        # voters look at the ballot and then vote, so the first measured round does not pay
        # for what a worker does once (the receipt's kept page, the statements PostgreSQL
        # plans per connection). Their ballots are counted with the others at the end.
        warm_logins = log_in(warmers)
        warm = [ballot("GET", i, *login) for i, login in enumerate(warm_logins)]
        fire(port, args.threads, [livez] * len(warm) + warm)
        fire(port, args.threads, [ballot("POST", i, *login) for i, login in enumerate(warm_logins)])

        # Alternating rounds, so a quiet or busy moment of the machine falls on both kinds.
        # Each round's voters log in just before it, as a voter logs in and then votes.
        rounds = max(1, min(args.rounds, args.voters))
        base_runs, vote_runs = [], []
        cpu = {"baseline": [{}, {}], "vote": [{}, {}]}  # CPU used in each kind's rounds
        for number in range(rounds):
            group = voters[number::rounds]
            votes = [  # a voter's choice by their place in the whole list
                ballot("POST", number + rounds * i, *login) for i, login in enumerate(log_in(group))
            ]
            connection.close()
            for kind, runs, requests in (
                ("baseline", base_runs, [livez] * (LIVEZ_PER_VOTE * len(votes))),
                ("vote", vote_runs, votes),
            ):
                before = cpu_by_process()
                runs.append(fire(port, args.threads, requests))
                after = cpu_by_process()
                for process, seconds in after.items():  # the rounds of a kind added up
                    start = cpu[kind][0].get(process, 0) + before.get(process, 0)
                    cpu[kind][0][process] = start
                    cpu[kind][1][process] = cpu[kind][1].get(process, 0) + seconds
        integration.say(
            f"{rounds} rounds: {LIVEZ_PER_VOTE * args.voters} GET /_healthz/livez/ and "
            f"{args.voters} ballots POSTed, from {args.threads} client threads"
        )
        base = summarise("baseline GET /_healthz/livez/", base_runs, 200, args.threads)
        cast = summarise("vote POST /voorstellen/<pk>/stemmen/", vote_runs, 200, args.threads)
        base["cpu_ms_per_request"] = cpu_per_request(*cpu["baseline"], base["requests"])
        cast["cpu_ms_per_request"] = cpu_per_request(*cpu["vote"], cast["requests"])

        # Every ballot counted once: the stored rows and the tally agree with the requests (the
        # measured voters' and the warm-up's).
        from governance.models import Ballot, Participation, Proposal
        from tests.governance.factories import count_poll

        poll = Proposal.objects.get(pk=poll_pk)
        decision = count_poll(poll)
        counted = {
            "participations": Participation.objects.filter(proposal=poll).count(),
            "ballots": Ballot.objects.filter(proposal=poll).count(),
            "tally_turnout": decision.result.turnout,
        }
        connection.close()
    finally:
        if gunicorn is not None:
            integration.stop_process_group(gunicorn, timeout=20)
            log = stack.tmp / "gunicorn.log"
            if log.exists():  # keep the server's log next to the results for a look afterwards
                (ROOT / "bench" / "results").mkdir(exist_ok=True)
                (ROOT / "bench" / "results" / "voting-gunicorn.log").write_bytes(
                    log.read_bytes()[-200_000:]
                )
        stack.stop()

    ratio, rounds_ratios, pooled = vote_ratio(base_runs, vote_runs)
    report = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "setup": {
            "voters": args.voters,
            "client_threads": args.threads,
            "gunicorn": f"{args.workers} workers, gthread, 2 threads, keep-alive 5",
            "database": (
                "SQLite (throwaway file, WAL)"
                if args.sqlite
                else "PostgreSQL (throwaway, fsync off)"
            )
            + ", Redis broker",
            "cpus": os.cpu_count(),
            "web_server_cpus": sorted(web_cpus) if web_cpus else "shared with everything",
        },
        "baseline": base,
        "vote": cast,
        "ratio_vote_to_baseline": round(ratio, 3),
        "rounds_ratios": [round(r, 3) for r in rounds_ratios],
        "ratio_all_rounds_together": round(pooled, 3),
        "counted": counted,
    }
    print()
    print(f"{'':40} {'req/s':>8} {'median ms':>10} {'p95 ms':>8}  statuses")
    for row in (base, cast):
        print(
            f"{row['name']:40} {row['requests_per_second']:>8} {row['latency_ms_median']:>10} "
            f"{row['latency_ms_p95']:>8}  {row['statuses']}"
        )
    print(f"{'ratio vote / baseline':40} {ratio:>8.3f}  (median of the rounds' ratios)")
    print(
        f"ratio per round: {[round(r, 3) for r in rounds_ratios]}; all rounds together: {pooled:.3f}"
    )
    for row in (base, cast):
        print(f"requests/s per round, {row['name']}: {row['rounds_requests_per_second']}")
    for row in (base, cast):  # where the machine's time went, per request
        print(f"CPU ms per request, {row['name']}: {row['cpu_ms_per_request']}")
    print(f"counted: {counted}")
    out = ROOT / "bench" / "results" / f"voting-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written to {out.relative_to(ROOT)}")
    from bench import measures

    # The figure with the web server on its own CPUs is a second measure beside the first,
    # never in its place.
    name, shape = ("voting", "") if not web_cpus else ("voting-web-cpus", ", own web CPUs")
    measures.write(
        name,
        [
            measures.row(
                f"livez (baseline) requests/s{shape}", base["requests_per_second"], "req/s"
            ),
            measures.row(f"casting a vote requests/s{shape}", cast["requests_per_second"], "req/s"),
            measures.row(f"casting a vote p95{shape}", cast["latency_ms_p95"], "ms"),
            measures.row(
                f"casting a vote / livez{shape}",
                round(ratio, 3),
                "ratio",
                0.30,
                higher_is_better=True,
            ),
            measures.row(
                f"every ballot counted once{shape}",
                int(set(counted.values()) == {args.voters + warm_count}),
                "yes=1",
                1,
                higher_is_better=True,
            ),
        ],
    )
    ok = (
        cast["statuses"] == {"200": args.voters}
        and base["statuses"] == {"200": LIVEZ_PER_VOTE * args.voters}
        and set(counted.values()) == {args.voters + warm_count}
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
