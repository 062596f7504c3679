"""Issue 19: no hidden dependencies. App code imports at the top of the module (ruff PLC0415,
on in pyproject.toml); an import that must stay inside a function says why on its line, and the
app modules import each other without a cycle."""

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "common",
    "security",
    "accounts",
    "notifications",
    "initiatives",
    "intake",
    "sroi",
    "governance",
    "budgeting",
    "reports",
    "api",
    "config",
]
# Only these may switch the rule off: see the comment in pyproject.toml.
EXEMPT = {"tests/**", "bench/**"}
NOQA = re.compile(r"#\s*noqa\b(?P<codes>:[^#]*)?")
REASON = re.compile(r"#\s*noqa:\s*[A-Z0-9, ]*PLC0415[A-Z0-9, ]*?\s*-\s*(?P<reason>\S.*)$")


def _ruff(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter's ruff, fixed arguments
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
    )


def _app_files() -> list[Path]:
    """The code the rule holds for: the apps, manage.py and scripts/ (not tests, bench, migrations)."""
    found = [ROOT / "manage.py"]
    for folder in (*APPS, "scripts"):
        found += [p for p in (ROOT / folder).rglob("*.py") if "migrations" not in p.parts]
    return sorted(found)


def _reason(lines: list[str], number: int) -> str:
    """The reason of a `noqa: PLC0415` on line `number` (0-based): after ` - ` on the line, or
    a comment line right above it."""
    found = REASON.search(lines[number])
    if found:
        return found["reason"].strip()
    above = lines[number - 1].strip() if number else ""
    return above.lstrip("#").strip() if above.startswith("#") else ""


def test_the_rule_is_selected_and_only_tests_and_benchmarks_are_exempt():
    lint = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["ruff"]["lint"]
    assert "PLC0415" in lint["select"]
    for key in ("ignore", "extend-ignore", "unfixable"):
        assert "PLC0415" not in lint.get(key, []), key
    exempt = {
        pattern for pattern, codes in lint.get("per-file-ignores", {}).items() if "PLC0415" in codes
    }
    assert exempt <= EXEMPT
    assert not {"PLC", "PL"} & {
        c for codes in lint.get("per-file-ignores", {}).values() for c in codes
    }


def test_ruff_reports_an_import_inside_a_function_in_app_code_but_not_in_tests():
    source = "def f():\n    import json\n\n    return json\n"
    in_app = _ruff("--stdin-filename", "governance/services/probe.py", "-", stdin=source)
    assert "PLC0415" in in_app.stdout, in_app.stdout + in_app.stderr
    in_tests = _ruff("--stdin-filename", "tests/probe.py", "-", stdin=source)
    assert "PLC0415" not in in_tests.stdout, in_tests.stdout


def test_the_app_code_has_no_import_inside_a_function_without_a_noqa():
    result = _ruff("--select", "PLC0415", ".")
    assert result.returncode == 0, result.stdout


def test_every_kept_local_import_says_why_and_no_noqa_is_bare():
    missing, bare = [], []
    for path in _app_files():
        lines = path.read_text().splitlines()
        for number, line in enumerate(lines):
            noqa = NOQA.search(line)
            if noqa is None:
                continue
            place = f"{path.relative_to(ROOT)}:{number + 1}"
            if not noqa["codes"]:
                bare.append(place)  # a bare noqa would silence PLC0415 without a word
            elif "PLC0415" in noqa["codes"] and len(_reason(lines, number).split()) < 2:
                missing.append(place)
    assert bare == []
    assert missing == []


def test_the_reason_is_read_from_the_line_or_the_comment_above():
    assert _reason(["    import x  # noqa: PLC0415 - heavy library"], 0) == "heavy library"
    assert _reason(["    import x  # noqa: F401, PLC0415 - registers it"], 0) == "registers it"
    assert _reason(["    # loaded only when printing", "    import x  # noqa: PLC0415"], 1) == (
        "loaded only when printing"
    )
    assert _reason(["x = 1", "    import x  # noqa: PLC0415"], 1) == ""


def test_the_app_modules_import_each_other_without_a_cycle():
    graph = grimp.build_graph(*APPS, cache_dir=None, exclude_type_checking_imports=True)
    cycles = set()
    for module in sorted(graph.modules):
        if ".migrations" in module:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            chain = graph.find_shortest_chain(importer=imported, imported=module)
            if chain and not any(".migrations" in step for step in chain):
                cycles.add(" -> ".join((module, *chain)))
    assert sorted(cycles) == []


SCRIPT = """
import django
django.setup()
from celery import current_app
for name in {names!r}:
    assert name in current_app.tasks, name
print("found")
"""


def test_the_tasks_the_services_send_by_name_are_registered_in_a_fresh_process():
    names = sorted(
        {
            name
            for path in _app_files()
            for name in re.findall(r'current_app\.tasks\["([^"]+)"\]', path.read_text())
        }
    )
    assert {"governance.tasks.tally_poll", "notifications.deliver"} <= set(names)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1"}
    result = subprocess.run(  # noqa: S603 - our own interpreter with a fixed script
        [sys.executable, "-c", SCRIPT.format(names=names)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("found")
