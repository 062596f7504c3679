"""Run the fast suite's tests of money, votes, the budget round, the register, intakes,
messages, reports, accounts, the API and the common parts on a throwaway PostgreSQL, each test
committed, so that PostgreSQL's own rules judge what the services write.

`make test-postgres-services` runs this; extra arguments go to pytest. The PostgreSQL is the
integration suite's (scripts/integration.py: a temporary folder, a free port, removed
afterwards); pytest-django makes its test database there and migrates it. The plugin
tests/at_commit.py makes every database test transactional and leaves out the ones marked
`rolled_back_only`. No Redis and no worker: the fast suite runs Celery eagerly.
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

import integration

ROOT = Path(__file__).resolve().parent.parent
SUITES = [
    "tests/sroi",
    "tests/governance",
    "tests/budgeting",
    "tests/initiatives",
    "tests/intake",
    "tests/notifications",
    "tests/reports",
    "tests/accounts",
    "tests/api",
    "tests/common",
]


def main(argv: list[str]) -> int:
    signal.signal(signal.SIGTERM, integration.interrupt)  # a cancelled CI job still cleans up
    stack = integration.Stack()
    code = 1
    try:
        integration.say(f"starting PostgreSQL ({stack.pg_bin}) on port {stack.pg_port}")
        stack.start_postgres()
        env = {
            **os.environ,
            # `-p tests.at_commit` is imported before pytest-django puts the project on the path.
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
            "DATABASE_URL": stack.database_url(),
        }
        integration.say(f"running pytest {' '.join(SUITES)}, each test committed")
        code = subprocess.run(
            [str(integration.BIN / "pytest"), *SUITES, "-p", "tests.at_commit", *argv],
            cwd=ROOT,
            env=env,
            check=False,
        ).returncode
        if code == integration.NO_TESTS_COLLECTED:
            integration.say("pytest collected no tests: that counts as a failure here")
            code = 1
    except KeyboardInterrupt:
        code = 130
    except RuntimeError as exc:
        integration.say(f"error: {exc}")
        code = 1
    finally:
        stack.stop()
    integration.say("passed" if code == 0 else f"failed (exit code {code})")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
