"""Print one table of every benchmark's results against its target.

    .venv/bin/python bench/table.py            # after the benchmarks (make bench runs it last)
    .venv/bin/python bench/table.py --markdown # the same as a Markdown table, for the README

Reads every bench/results/<name>.json that holds a list of {"measure", "value", "unit",
"target", "ok"} (bench/measures.py); other files there (logs, details) are skipped. The exit
status is 1 when a measure misses its target.
"""

import argparse
import json
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
KEYS = {"measure", "value", "unit", "target", "ok"}


def load(folder: Path = RESULTS) -> list[tuple[str, dict]]:
    rows = []
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if isinstance(data, list) and all(isinstance(r, dict) and set(r) >= KEYS for r in data):
            rows.extend((path.stem, r) for r in data)
    return rows


def _number(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.3f}".rstrip("0").rstrip(".") if abs(value) < 10 else f"{value:,.1f}"
    return f"{int(value):,}" if isinstance(value, int | float) else str(value)


def _verdict(ok) -> str:
    return {True: "ok", False: "MISSED", None: ""}[ok]


def render(rows: list[tuple[str, dict]], markdown: bool = False) -> str:
    header = ("bench", "measure", "value", "unit", "target", "")
    lines = [
        (
            name,
            r["measure"],
            _number(r["value"]),
            r["unit"],
            _number(r["target"]),
            _verdict(r["ok"]),
        )
        for name, r in rows
    ]
    if markdown:
        out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        out += ["| " + " | ".join(line) + " |" for line in lines]
        return "\n".join(out)
    widths = [max(len(str(c)) for c in col) for col in zip(header, *lines, strict=False)]
    fmt = "  ".join(f"{{:{'>' if i in (2, 4) else '<'}{w}}}" for i, w in enumerate(widths))
    out = [fmt.format(*header), "  ".join("-" * w for w in widths)]
    out += [fmt.format(*line) for line in lines]
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    rows = load()
    if not rows:
        print("no results in bench/results/: run the benchmarks first (make bench)")
        return 1
    print(render(rows, markdown=args.markdown))
    missed = sum(1 for _name, r in rows if r["ok"] is False)
    print(f"\n{len(rows)} measures, {missed} missing the target")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
