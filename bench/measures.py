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
