"""The benchmarks run with DEBUG off, as production does: a management command that refuses
there without `--force` (the demo, which books made-up money) must be called with it, or
`make bench` stops half-way (it did, from 2026-12-05 until 2026-12-06). The refusal itself is
tests/test_demo.py's."""

import ast
from pathlib import Path

from django.core.management import get_commands, load_command_class

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _calls(command: str):
    """(file, line, keyword names) of every `call_command(command, ...)` in bench/."""
    for path in sorted(BENCH.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "call_command"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and node.args[0].value == command
            ):
                yield path.name, node.lineno, {keyword.arg for keyword in node.keywords}


def test_every_benchmark_that_seeds_the_demo_passes_force():
    calls = list(_calls("seed_demo"))
    assert calls, "no benchmark seeds the demo any more: drop this test"
    # The keyword is the command's own option (call_command refuses unknown ones anyway).
    command = load_command_class(get_commands()["seed_demo"], "seed_demo")
    assert command.create_parser("manage.py", "seed_demo").parse_args(["--force"]).force
    missing = [f"{name}:{line}" for name, line, keywords in calls if "force" not in keywords]
    assert not missing, f"seed_demo without force=True in {missing}"
