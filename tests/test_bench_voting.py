"""bench/rounds.py's CPU accounting (where a request's machine time goes, by kind of process) and
its ratio (the median of the rounds')."""

import subprocess
import sys
import time

import pytest

from bench import rounds, server

linux = pytest.mark.skipif(not rounds.os.path.isdir("/proc"), reason="reads /proc")


@linux
def test_the_client_s_own_cpu_time_is_counted_as_the_client():
    me = ("client", rounds.os.getpid())
    before = rounds.cpu_by_process()
    end = time.process_time() + 0.3
    while time.process_time() < end:  # burn 0.3 s of CPU in this process
        pass
    after = rounds.cpu_by_process()
    assert after[me] - before[me] >= 0.2


@linux
def test_another_process_is_counted_by_its_command_line():
    burn = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass\n"
    # A child whose command line names Redis counts as Redis (as redis-server does).
    child = subprocess.Popen(
        [sys.executable, "-c", burn + "input()", "redis"], stdin=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 10
        while rounds.cpu_by_process().get(("redis", child.pid), 0) < 0.2:
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        child.communicate(b"\n", timeout=10)


def test_cpu_per_request_in_milliseconds_by_kind_and_all_together_over_the_processes_of_both():
    before = {("gunicorn", 1): 1.0, ("postgres", 2): 2.0, ("client", 3): 0.5, ("other", 4): 9.0}
    # Process 4 ended: its time is not taken away; process 5 started and counts from nothing.
    after = {("gunicorn", 1): 1.5, ("postgres", 2): 2.1, ("client", 3): 0.55, ("redis", 5): 0.01}
    got = rounds.cpu_per_request(before, after, requests=100)
    assert got == {"client": 0.5, "gunicorn": 5.0, "postgres": 1.0, "redis": 0.1, "all": 6.6}


@linux
def test_the_web_server_s_cpus_and_the_others_split_what_this_process_may_use():
    mine = rounds.os.sched_getaffinity(0)
    if len(mine) < 2:
        pytest.skip("needs two CPUs")
    web, others = server.split_cpus(1)
    assert len(web) == 1
    assert web | others == mine
    assert not web & others
    for impossible in (0, len(mine)):  # none for the web server, or none left for the rest
        with pytest.raises(SystemExit, match="--web-cpus"):
            server.split_cpus(impossible)


def test_the_ratio_pairs_each_vote_round_with_the_livez_round_before_it():
    # Rounds as `fire` gives them: (seconds, results). 1,000 livez/s and 300 votes/s, 250 and 100.
    base_runs = [(1.0, [None] * 1000), (2.0, [None] * 500)]
    vote_runs = [(1.0, [None] * 300), (1.0, [None] * 100)]
    median, each, pooled = rounds.vote_ratio(base_runs, vote_runs)
    assert each == pytest.approx([0.3, 0.4])
    assert median == pytest.approx(0.35)
    assert pooled == pytest.approx((400 / 2.0) / (1500 / 3.0))


def test_one_slow_round_does_not_move_the_ratio():
    votes = [(1.0, [None] * 290)] * 5
    # A busy moment of the machine halves the last livez round: all rounds together would say
    # 0.348; the ratio stays what the other four rounds say.
    livez = [(1.0, [None] * 1000)] * 4 + [(2.0, [None] * 1000)]
    median, _rounds, pooled = rounds.vote_ratio(livez, votes)
    assert median == pytest.approx(0.29)
    assert pooled == pytest.approx(0.348)
