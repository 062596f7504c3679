"""The locked dependencies: requirements/*.in compiled into requirements.txt and -dev.txt.

`make lock` (this script) runs pip-compile (pip-tools, which needs the package index) and then
writes, as the last line of each .txt, the SHA-256 of the .in files it was compiled from and of
the compiled lines. `make lint` runs `scripts/lock.py --check`, which needs no network: it fails
when a .in file changed after the last `make lock`, or when the .txt was edited by hand.
Standard library only (the check runs before anything is installed).
"""

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MARK = "# lock:"
# (compiled file, the .in files it depends on; the first is the one pip-compile reads)
LOCKS = [
    ("requirements.txt", ["requirements/base.in"]),
    ("requirements-dev.txt", ["requirements/dev.in", "requirements/base.in", "requirements.txt"]),
]
# Packages installed with `pip install --no-deps --require-hashes` after requirements.txt: their
# declared dependencies are wrong (pabutools names the proprietary gurobipy); the real ones are in
# requirements/base.in. Not compiled: pinned and hashed by hand, and checked here for that form.
NODEPS = "requirements-nodeps.txt"
NODEPS_LINE = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==\S+( --hash=sha256:[0-9a-f]{64})+$")


def digest(*chunks: bytes) -> str:
    sha = hashlib.sha256()
    for chunk in chunks:
        sha.update(hashlib.sha256(chunk).digest())
    return sha.hexdigest()


def inputs_digest(sources: list[str], root: Path = ROOT) -> str:
    return digest(*(root.joinpath(name).read_bytes() for name in sources))


def split(text: str) -> tuple[str, str | None]:
    """The compiled lines and the recorded lock line (None when there is none)."""
    lines = text.splitlines(keepends=True)
    if lines and lines[-1].startswith(MARK):
        return "".join(lines[:-1]), lines[-1].strip()
    return text, None


def lock_line(body: str, sources: list[str], root: Path = ROOT) -> str:
    return f"{MARK} in={inputs_digest(sources, root)} out={digest(body.encode())}"


def compile_all(extra: list[str]) -> None:
    for output, sources in LOCKS:
        subprocess.run(
            [str(BIN / "pip-compile"), "--quiet", "--strip-extras", "--allow-unsafe",
             "--no-emit-index-url", "--no-emit-find-links",
             "--resolver=backtracking", "--newline=lf",
             "--output-file", output, sources[0], *extra],
            cwd=ROOT, check=True, env=os.environ | {"CUSTOM_COMPILE_COMMAND": "make lock"},
        )  # fmt: skip
        path = ROOT / output
        body, _old = split(path.read_text())
        path.write_text(body + lock_line(body, sources) + "\n")
        print(f"{output}: locked")


def problems(root: Path = ROOT) -> list[str]:
    """What is wrong with the lock in `root` (nothing: an empty list)."""
    failures = []
    for output, sources in LOCKS:
        body, recorded = split((root / output).read_text())
        if recorded is None:
            failures.append(f"{output} has no lock line: run `make lock`")
            continue
        wanted_in = lock_line(body, sources, root).split()[2]
        recorded_in, recorded_out = recorded.split()[2:4]
        if recorded_in != wanted_in:
            failures.append(f"{', '.join(sources)} changed after {output} was compiled: "
                            "run `make lock` and commit both")  # fmt: skip
        if recorded_out != f"out={digest(body.encode())}":
            failures.append(f"{output} was edited by hand: change requirements/*.in and run "
                            "`make lock`")  # fmt: skip
    return failures + nodeps_problems(root)


def nodeps_problems(root: Path = ROOT) -> list[str]:
    """What is wrong with requirements-nodeps.txt: every line pinned with `==` and a hash, and
    no package that requirements.txt installs already."""
    path = root / NODEPS
    if not path.exists():
        return [f"{NODEPS} is missing"]
    compiled = {
        line.split("==")[0].strip().lower()
        for line in (root / "requirements.txt").read_text().splitlines()
        if "==" in line and not line.lstrip().startswith("#")
    }
    failures = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        found = NODEPS_LINE.match(line)
        if not found:
            failures.append(f"{NODEPS}:{number}: pin with == and --hash=sha256:... on one line")
        elif found.group(1).lower() in compiled:
            failures.append(f"{NODEPS}:{number}: {found.group(1)} is in requirements.txt already")
    return failures


def check() -> int:
    failures = problems()
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["--check"]:
        return check()
    compile_all(argv)  # e.g. `make lock ARGS=--upgrade-package=django`
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
