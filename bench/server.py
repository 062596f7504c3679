"""The web server side of the benchmarks that measure over HTTP (voting.py, pages.py): gunicorn
as the Dockerfile runs it, optionally on CPUs of its own, and the keep-alive client threads."""

import http.client
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import integration  # noqa: E402 - scripts/integration.py: the throwaway PostgreSQL and Redis


def split_cpus(web: int) -> tuple[set[int], set[int]]:
    """The CPUs this process may use, split into `web` for gunicorn and the rest for everything
    else (this client, PostgreSQL, Redis): a production shape on one machine, where the web
    server's CPUs are its own."""
    cpus = sorted(os.sched_getaffinity(0))
    if not 1 <= web < len(cpus):
        raise SystemExit(f"--web-cpus {web}: this machine lets us use {len(cpus)} CPUs; "
                         "give the web server at least one and leave at least one for the rest")  # fmt: skip
    return set(cpus[:web]), set(cpus[web:])


def start_gunicorn(
    stack, port: int, workers: int, log: Path, cpus: set[int] | None = None
) -> subprocess.Popen:
    """gunicorn as the Dockerfile runs it; on `cpus` only when given (its workers inherit)."""
    pin = None if cpus is None else (lambda: os.sched_setaffinity(0, cpus))
    with log.open("ab") as out:
        process = subprocess.Popen(  # noqa: S603 - our own venv's gunicorn, fixed arguments
            [str(integration.BIN / "gunicorn"), "config.wsgi:application",
             "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
             "--worker-class", "gthread", "--threads", "2", "--keep-alive", "5",
             "--timeout", "60", "--error-logfile", "-"],
            cwd=integration.ROOT, env=stack.env, stdin=subprocess.DEVNULL, stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=pin,
        )  # fmt: skip
    integration.wait_for(lambda: integration.port_open(port), 30, "gunicorn", process)
    return process


def fire(port: int, threads: int, requests: list[tuple[str, str, bytes | None, dict]]):
    """Send `requests` (method, path, body, headers) from `threads` keep-alive connections.
    Returns (elapsed seconds, [(status, seconds)])."""
    results: list[tuple[int, float] | None] = [None] * len(requests)
    cursor = iter(range(len(requests)))
    lock = threading.Lock()
    barrier = threading.Barrier(threads + 1)

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        barrier.wait()
        while True:
            with lock:
                index = next(cursor, None)
            if index is None:
                break
            method, path, body, headers = requests[index]
            started = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                status = 0
            results[index] = (status, time.perf_counter() - started)
        connection.close()

    workers = [threading.Thread(target=client) for _ in range(threads)]
    for worker in workers:
        worker.start()
    barrier.wait()
    started = time.perf_counter()
    for worker in workers:
        worker.join()
    return time.perf_counter() - started, results
