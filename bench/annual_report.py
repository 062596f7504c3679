"""Benchmark of the annual report as published: the summary PDF with its frozen annex.

    .venv/bin/python bench/annual_report.py                    # 1,000 and 5,000 allocations
    .venv/bin/python bench/annual_report.py --sizes 500 5000

For each size a fresh process (so peak memory is its own) migrates an empty SQLite database and
makes one year of a fund with `bench.reports.generate` (500 contracts paying in, N allocations
with a tranche each: 500 + 2N transactions). It then builds the report the way the worker does,
`reports.services.build_report`: content, the annex files (CSV + JSON of the transactions,
allocations and decisions) read back and reconciled, and the tagged PDF; and it records the total
time, the time of the PDF alone (both also as the process's CPU time, steadier than the clock on
a loaded machine, with the load average), the page count and the process's peak resident memory
(ru_maxrss). The PDF of the largest size is kept as bench/results/annual_report-<N>.pdf to look
at. Results go to bench/results/annual_report.json as a list of
{"measure", "value", "unit", "target", "ok"} (for the table of `make bench`), and the raw
figures to bench/results/annual_report-raw.json.
"""

import argparse
import os
import random
import resource
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))

from bench import measures as measures_module  # noqa: E402

YEAR = 2025
CONTRACTS = 500


def child(allocations: int) -> dict:
    folder = measures_module.scratch_folder("burgerkracht-bench-annual-")
    from bench.run import configure

    configure(f"sqlite:///{folder}/bench.sqlite3")
    os.environ["MEDIA_ROOT"] = folder
    import django

    django.setup()
    from django.core.management import call_command

    from bench.reports import generate
    from reports import rendering, services

    call_command("migrate", verbosity=0)
    facts = generate(allocations, CONTRACTS, random.Random(allocations))
    rendered = {}
    real_render = rendering.render_pdf

    def timed_render(content, *, language):
        started, cpu = time.perf_counter(), time.process_time()
        result = real_render(content, language=language)
        rendered["pdf_s"] = time.perf_counter() - started
        rendered["pdf_cpu_s"] = time.process_time() - cpu
        return result

    rendering.render_pdf = timed_render
    report = services.request_report(year=YEAR, language="nl", dispatch=False, actor=None)
    started, cpu = time.perf_counter(), time.process_time()
    report = services.build_report(report_id=report.pk)
    total_s, total_cpu_s = time.perf_counter() - started, time.process_time() - cpu
    assert report.status == report.Status.DONE, report.error  # noqa: S101 - a benchmark
    kept = HERE / "results" / f"annual_report-{allocations}.pdf"
    kept.parent.mkdir(exist_ok=True)
    shutil.copyfile(report.pdf.path, kept)
    annex = report.snapshot["annex"]
    return {
        **facts,
        "build_s": round(total_s, 2),
        "pdf_s": round(rendered["pdf_s"], 2),
        # The process's own CPU time (SQLite runs in it too): on a shared, loaded machine the
        # wall-clock figures above grow with the load, these much less.
        "build_cpu_s": round(total_cpu_s, 2),
        "pdf_cpu_s": round(rendered["pdf_cpu_s"], 2),
        "load_1min": round(os.getloadavg()[0], 2),
        "pages": report.pages,
        "pdf_bytes": report.size,
        "annex_files": len(annex["files"]),
        "annex_bytes": sum(f["size"] for f in annex["files"]),
        "annex_rows": {f"{f['name']}.{f['format']}": f["rows"] for f in annex["files"]},
        "reconciles": all(row["matches"] for row in annex["reconciliation"]),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def measures(results: list[dict]) -> list[dict]:
    """The figures against the targets of issue 16, for the table of `make bench`."""
    rows = []
    for r in results:
        n = f"{r['allocations']:,} allocations"
        rows += [
            {
                "measure": f"annual report, {n}: build (content, annex, PDF)",
                "value": r["build_s"],
                "unit": "s",
                "target": "≤ 10",
                "ok": r["build_s"] <= 10,
            },
            {
                "measure": f"annual report, {n}: PDF alone",
                "value": r["pdf_s"],
                "unit": "s",
                "target": None,
                "ok": None,
            },
            {
                "measure": f"annual report, {n}: peak memory",
                "value": r["peak_rss_mb"],
                "unit": "MB",
                "target": "≤ 400",
                "ok": r["peak_rss_mb"] <= 400,
            },
            {
                "measure": f"annual report, {n}: pages",
                "value": r["pages"],
                "unit": "pages",
                "target": "≤ 40",
                "ok": r["pages"] <= 40,
            },
            {
                "measure": f"annual report, {n}: annex adds up to the report",
                "value": r["reconciles"],
                "unit": "",
                "target": "true",
                "ok": r["reconciles"],
            },
        ]
    if len(results) > 1:
        rows.append(
            {
                "measure": "annual report: pages at the largest / at the smallest size",
                "value": f"{results[-1]['pages']} / {results[0]['pages']}",
                "unit": "pages",
                "target": "equal (does not grow)",
                "ok": results[-1]["pages"] == results[0]["pages"],
            }
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 5_000])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    results = measures_module.child_main(__file__, args.sizes, args.child, child)
    if results is None:
        return 0
    for r in results:
        print(
            f"{r['allocations']:>6} allocations {r['transactions']:>6} transactions: "
            f"build {r['build_s']:6.2f} s (PDF {r['pdf_s']:5.2f} s; CPU {r['build_cpu_s']:5.2f} s, "
            f"PDF {r['pdf_cpu_s']:5.2f} s; load {r['load_1min']}), {r['pages']:>3} pages, "
            f"peak {r['peak_rss_mb']:>4} MB, annex {r['annex_bytes'] / 1e6:4.1f} MB "
            f"in {r['annex_files']} files, reconciles: {r['reconciles']}",
            flush=True,
        )
    measures_module.write_raw("annual_report", measures(results), results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
