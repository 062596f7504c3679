"""A benchmark's scratch folder (its SQLite file, its PDFs) goes when its process ends."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import sys
sys.path.insert(0, {root!r})
from bench.measures import scratch_folder
folder = scratch_folder("burgerkracht-bench-test-")
open(folder + "/bench.sqlite3", "w").write("x")
print(folder, flush=True)
if sys.argv[1] == "fail":
    raise SystemExit("the benchmark failed")
"""


def _run(how: str) -> tuple[subprocess.CompletedProcess, Path]:
    result = subprocess.run(  # noqa: S603 - this interpreter, our own script
        [sys.executable, "-c", SCRIPT.format(root=str(ROOT)), how],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result, Path(result.stdout.strip())


def test_the_scratch_folder_is_removed_when_the_process_ends():
    result, folder = _run("ok")
    assert result.returncode == 0, result.stderr
    assert folder.name.startswith("burgerkracht-bench-test-")
    assert not folder.exists()


def test_the_scratch_folder_is_removed_when_the_benchmark_fails():
    result, folder = _run("fail")
    assert result.returncode == 1
    assert "the benchmark failed" in result.stderr
    assert folder.name.startswith("burgerkracht-bench-test-")
    assert not folder.exists()
