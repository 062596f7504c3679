"""The one format of benchmark results: bench/results/<name>.json is a list of rows
{"measure", "value", "unit", "target", "ok"}; `make bench` prints them all (bench/table.py)."""

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def row(measure: str, value, unit: str, target=None, *, higher_is_better: bool = False) -> dict:
    """One line of the table; `ok` is None when the measure has no target."""
    ok = None
    if target is not None and higher_is_better:
        ok = value >= target
    elif target is not None:
        ok = value <= target
    return {"measure": measure, "value": value, "unit": unit, "target": target, "ok": ok}


def write(name: str, rows: list[dict]) -> Path:
    """bench/results/<name>.json, replacing that script's previous results."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(rows, indent=2) + "\n")
    print(f"written to bench/results/{path.name}")
    return path


def scratch_folder(prefix: str) -> str:
    """A temporary folder for one benchmark process (its SQLite file, its PDFs), removed when
    the process ends, also when it fails."""
    import atexit
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, folder, True)
    return folder


def child_main(script: str, sizes: list[int], child: int | None, measure) -> list[dict] | None:
    """Run `measure(size)` for each size in a fresh process of `script` (so peak memory is one
    size's), or, in that child (`child` given), print its result as JSON and return None."""
    import logging
    import subprocess
    import sys

    if child is not None:
        logging.disable(logging.WARNING)
        print(json.dumps(measure(child)))
        return None
    results = []
    for size in sizes:
        out = subprocess.run(  # noqa: S603 - this script, with numbers
            [sys.executable, script, "--child", str(size)],
            check=True,
            capture_output=True,
            text=True,
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return results


def write_raw(name: str, rows: list[dict], raw: list[dict]) -> Path:
    """Like `write`, and the raw results beside it as bench/results/<name>-raw.json."""
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}-raw.json").write_text(json.dumps(raw, indent=2) + "\n")
    return write(name, rows)
