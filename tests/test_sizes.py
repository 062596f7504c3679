"""The lint rule of issue 19: no module over about 400 lines, no function over 60 lines without
a reason in its docstring (scripts/check_sizes.py, run by `make lint`)."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("sizes", ROOT / "scripts" / "check_sizes.py")
sizes = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sizes)


def _function(name: str, body_lines: int, docstring: str = "") -> str:
    doc = f'    """{docstring}"""\n' if docstring else ""
    return f"def {name}():\n{doc}" + "    x = 1\n" * (body_lines - 1)


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    for known in sizes.KNOWN:  # keep the real exceptions "still too long" in this tree
        path = root / known
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n" * (sizes.FILE_LINES + 1))
    return root


def test_the_project_keeps_its_sizes():
    assert sizes.check(ROOT) == []


def test_a_long_file_and_a_long_function_are_reported_with_their_place(tmp_path):
    root = _write(
        tmp_path,
        {
            "app/big.py": "x = 1\n" * (sizes.FILE_LINES + 1),
            "app/services.py": "\n" + _function("short", 60) + _function("long", 61),
            "tests/test_big.py": "x = 1\n" * 2000,  # tests are not checked
            "app/migrations/0001_initial.py": "x = 1\n" * 2000,  # nor migrations
        },
    )
    assert sizes.check(root) == [
        f"app/big.py: {sizes.FILE_LINES + 1} lines (at most {sizes.FILE_LINES}); make it a package",
        'app/services.py:62: long has 61 lines (at most 60, or a docstring line "Long because …")',
    ]
    assert sizes.main(["sizes", str(root)]) == 1


def test_a_reason_in_the_docstring_lets_a_long_function_pass_and_the_docstring_does_not_count(
    tmp_path,
):
    long_doc = "One line.\n\n" + "More words.\n" * 30
    root = _write(
        tmp_path,
        {
            "app/demo.py": _function("recipe", 80, "Make the demo.\n\nLong because one recipe.\n")
            + _function("documented", 60, long_doc),
        },
    )
    assert sizes.check(root) == []


def test_a_known_file_that_got_short_must_leave_the_list(tmp_path, monkeypatch):
    monkeypatch.setattr(sizes, "KNOWN", {"app/old.py": "was long"})
    root = _write(tmp_path, {})
    (root / "app/old.py").write_text("x = 1\n")
    assert sizes.check(root) == ["app/old.py: 1 lines now; remove it from KNOWN"]
