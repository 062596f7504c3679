"""What the rounds of a benchmark over HTTP measured (bench/voting.py): requests/s and latency per
kind of request, the CPU each request cost the machine by kind of process, and the ratio of two
kinds."""

import os
import statistics
from pathlib import Path


def cpu_by_process() -> dict[tuple[str, int], float]:
    """CPU seconds used so far by each process of this machine, by (kind, pid); kinds: the web
    server (gunicorn), PostgreSQL, Redis, this client, the rest. Empty where there is no /proc."""
    used: dict[tuple[str, int], float] = {}
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    for pid in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if not pid.isdigit():
            continue
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:  # ended meanwhile, or not ours to read
            continue
        fields = stat.rsplit(")", 1)[1].split()
        seconds = (int(fields[11]) + int(fields[12])) / tick  # utime + stime
        if int(pid) == os.getpid():
            group = "client"
        else:
            group = next(
                (name for name in ("gunicorn", "postgres", "redis") if name.encode() in command),
                "other",
            )
        used[(group, int(pid))] = seconds
    return used


def cpu_per_request(before: dict, after: dict, requests: int) -> dict[str, float]:
    """Milliseconds of CPU per request by kind of process between two `cpu_by_process` (a
    process that ended in between is left out; one that started counts from nothing)."""
    used: dict[str, float] = {}
    for (group, pid), seconds in after.items():
        used[group] = used.get(group, 0.0) + seconds - before.get((group, pid), 0.0)
    per = {group: round(1000 * seconds / requests, 2) for group, seconds in sorted(used.items())}
    return {**per, "all": round(1000 * sum(used.values()) / requests, 2)}


def combine(runs) -> tuple[float, list]:
    """The rounds of one kind as one run: their seconds added, their results joined."""
    return sum(elapsed for elapsed, _results in runs), [r for _e, results in runs for r in results]


def vote_ratio(base_runs, vote_runs) -> tuple[float, list[float], float]:
    """The benchmark's ratio, each round's, and all rounds' together.

    Each vote round's requests/s is a share of the livez round just before it; the median of
    those is the benchmark's ratio: a round that a busy moment of the machine (another program,
    a neighbour on a shared host) slowed down is one value of five, not a fifth of the sum, as
    it is in the ratio of all rounds together."""
    rounds = [
        (len(votes) / vote_seconds) / (len(livez) / livez_seconds)
        for (livez_seconds, livez), (vote_seconds, votes) in zip(base_runs, vote_runs, strict=True)
    ]
    (base_seconds, base), (vote_seconds, votes) = combine(base_runs), combine(vote_runs)
    pooled = (len(votes) / vote_seconds) / (len(base) / base_seconds)
    return statistics.median(rounds), rounds, pooled


def summarise(name: str, runs, expected: int, threads: int) -> dict:
    """One kind's rounds as one figure, with each round's requests/s beside it (the spread)."""
    elapsed, results = combine(runs)
    latencies = sorted(seconds for _status, seconds in results)
    statuses: dict[int, int] = {}
    for status, _seconds in results:
        statuses[status] = statuses.get(status, 0) + 1
    return {
        "name": name,
        "requests": len(results),
        "expected_status": expected,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "seconds": round(elapsed, 3),
        "requests_per_second": round(len(results) / elapsed, 1),
        "rounds_requests_per_second": [round(len(r) / seconds, 1) for seconds, r in runs],
        "latency_ms_median": round(statistics.median(latencies) * 1000, 1),
        "latency_ms_p95": round(latencies[int(0.95 * (len(latencies) - 1))] * 1000, 1),
        # The share of the rounds' time the client threads were waiting for an answer: below 1
        # at a round's start and end (threads that finished wait for the last), which weighs
        # more the shorter the rounds are.
        "client_busy_share": round(sum(latencies) / (threads * elapsed), 3),
    }
