"""The locked dependencies: `make lint` (scripts/lock.py --check) notices a stale or edited lock."""

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import lock  # noqa: E402

FILES = [
    "requirements.txt",
    "requirements-dev.txt",
    "requirements-nodeps.txt",
    "requirements/base.in",
    "requirements/dev.in",
]


@pytest.fixture
def copy(tmp_path):
    for name in FILES:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def test_the_committed_lock_matches_the_in_files():
    assert lock.problems() == []


def test_a_changed_in_file_without_make_lock_fails(copy):
    with (copy / "requirements/dev.in").open("a") as f:
        f.write("pytest-xdist==3.8.0\n")
    found = lock.problems(copy)
    assert len(found) == 1
    assert "requirements/dev.in" in found[0] and "make lock" in found[0]


def test_a_changed_base_in_makes_both_locks_stale(copy):
    text = (copy / "requirements/base.in").read_text()
    (copy / "requirements/base.in").write_text(text.replace("celery==5.7.0", "celery==5.6.0"))
    found = lock.problems(copy)
    assert [line.split(" changed")[0].split(", ")[0] for line in found] == [
        "requirements/base.in",
        "requirements/dev.in",
    ]


def test_a_hand_edited_lock_fails(copy):
    text = (copy / "requirements.txt").read_text()
    (copy / "requirements.txt").write_text(text.replace("amqp==5.4.2", "amqp==5.4.1"))
    found = lock.problems(copy)
    assert any("requirements.txt was edited by hand" in line for line in found)


def test_a_lock_without_its_line_fails(copy):
    body, _line = lock.split((copy / "requirements-dev.txt").read_text())
    (copy / "requirements-dev.txt").write_text(body)
    assert lock.problems(copy) == ["requirements-dev.txt has no lock line: run `make lock`"]


def test_every_chosen_package_is_pinned_in_the_lock():
    pinned = {
        line.split("==")[0].lower().replace("_", "-")
        for line in (ROOT / "requirements-dev.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    }
    for name in ("requirements/base.in", "requirements/dev.in"):
        for line in (ROOT / name).read_text().splitlines():
            if line and not line.startswith(("#", "-")):
                package = line.split("==")[0].split("[")[0].lower().replace("_", "-")
                assert package in pinned, (name, package)
    assert "pabutools" not in pinned


def test_a_no_deps_package_without_its_hash_fails(copy):
    (copy / "requirements-nodeps.txt").write_text("pabutools==1.2.3\n")
    found = lock.problems(copy)
    assert found == ["requirements-nodeps.txt:1: pin with == and --hash=sha256:... on one line"]


def test_a_no_deps_package_also_in_the_compiled_lock_fails(copy):
    with (copy / "requirements-nodeps.txt").open("a") as f:
        f.write("numpy==2.4.6 --hash=sha256:" + "0" * 64 + "\n")
    found = lock.problems(copy)
    assert len(found) == 1 and "numpy is in requirements.txt already" in found[0]


def test_pabutools_is_installed_without_deps_everywhere_requirements_are_installed():
    nodeps = "pip install --no-cache-dir --no-deps --require-hashes -r requirements-nodeps.txt"
    assert nodeps in (ROOT / "Dockerfile").read_text()
    assert (
        "--no-deps --require-hashes -r requirements-nodeps.txt" in (ROOT / "Makefile").read_text()
    )
