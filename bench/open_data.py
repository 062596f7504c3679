"""Benchmark of the big open-data downloads: time and memory of streaming a year.

    .venv/bin/python bench/open_data.py                 # 20,000 transactions
    .venv/bin/python bench/open_data.py --allocations 4750 9750

For each size a fresh process migrates an empty SQLite database in a temporary folder and makes
one year of a community fund with `bench.reports.generate` (500 contracts paying in, N
allocations with one tranche each: 500 + 2N transactions; N = 9,750 gives 20,000). It then
downloads, through Django's test client and the real URL, `/open-data/transacties.csv`,
`transacties.json`, `toekenningen.csv` and `besluiten.csv` for that year, reading the streamed
body piece by piece, and records the median time of three downloads (after one to warm up), the
rows, the largest piece and, in one more download, the peak of Python's allocations while
streaming (tracemalloc): flat memory means that peak does not grow with the
rows. Results go to bench/results/open_data.json as a list of
{"measure", "value", "unit", "target", "ok"} (the table of `make bench` reads those files).
"""

import argparse
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))

from bench import measures as measures_module  # noqa: E402

YEAR = 2025
CONTRACTS = 500
DOWNLOADS = ["transacties.csv", "transacties.json", "toekenningen.csv", "besluiten.csv"]


def _read(client, name: str) -> tuple[int, int, int, bool]:
    response = client.get(f"/open-data/{name}", {"jaar": YEAR})
    assert response.status_code == 200, response.status_code  # noqa: S101 - a benchmark
    size = largest = lines = 0
    for piece in response.streaming_content:
        size += len(piece)
        largest = max(largest, len(piece))
        lines += piece.count(b"\n")
    return size, largest, lines, response.streaming


def download(client, name: str, repeat: int) -> dict:
    """The median time of `repeat` downloads, then one more under tracemalloc for the peak (it
    slows Python down, so it is never timed)."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        size, largest, lines, streamed = _read(client, name)
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    _read(client, name)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "name": name,
        "seconds": round(statistics.median(times), 3),
        "all_seconds": [round(t, 3) for t in times],
        "bytes": size,
        "lines": lines,
        "largest_piece": largest,
        "peak_mb": round(peak / 1e6, 1),
        "streamed": streamed,
    }


def child(allocations: int) -> dict:
    folder = measures_module.scratch_folder("burgerkracht-bench-opendata-")
    from bench.run import configure

    configure(f"sqlite:///{folder}/bench.sqlite3")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from bench.reports import generate

    call_command("migrate", verbosity=0)
    facts = generate(allocations, CONTRACTS, random.Random(allocations))
    client = Client()
    for name in DOWNLOADS:  # warm up: imports, the database's page cache
        _read(client, name)
    return {**facts, "downloads": [download(client, name, repeat=3) for name in DOWNLOADS]}


def measures(results: list[dict]) -> list[dict]:
    """The figures against the targets of issue 16, for the table of `make bench`."""
    rows = []
    for result in results:
        n = result["transactions"]
        for item in result["downloads"]:
            label = f"open data {item['name']} ({n:,} transactions in the year)"
            target = 1.0 if item["name"] == "transacties.csv" else None
            rows.append(
                {
                    "measure": f"{label}: time",
                    "value": item["seconds"],
                    "unit": "s",
                    "target": f"≤ {target}" if target else None,
                    "ok": item["seconds"] <= target if target else None,
                }
            )
            rows.append(
                {
                    "measure": f"{label}: peak Python memory while streaming",
                    "value": item["peak_mb"],
                    "unit": "MB",
                    "target": "flat (does not grow with the rows)",
                    "ok": None,
                }
            )
    if len(results) > 1:
        small, big = results[0], results[-1]
        for first, last in zip(small["downloads"], big["downloads"], strict=True):
            growth = last["peak_mb"] / max(first["peak_mb"], 0.1)
            rows.append(
                {
                    "measure": f"open data {first['name']}: peak memory at "
                    f"{big['transactions']:,} / at {small['transactions']:,} transactions",
                    "value": round(growth, 2),
                    "unit": "×",
                    "target": "≤ 1.5 (flat)",
                    "ok": growth <= 1.5,
                }
            )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--allocations", type=int, nargs="+", default=[4_750, 9_750])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    results = measures_module.child_main(__file__, args.allocations, args.child, child)
    if results is None:
        return 0
    for result in results:
        for item in result["downloads"]:
            print(
                f"{result['transactions']:>6} transactions  {item['name']:<18} "
                f"{item['seconds']:6.3f} s  {item['lines']:>6} lines  "
                f"{item['bytes'] / 1e6:5.1f} MB  peak {item['peak_mb']:5.1f} MB "
                f"(largest piece {item['largest_piece'] / 1e3:.0f} kB)",
                flush=True,
            )
    measures_module.write_raw("open_data", measures(results), results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
