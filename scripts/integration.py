"""Run tests/integration against a throwaway PostgreSQL, Redis and a real Celery worker.

`make test-integration` runs this from the repository root; extra arguments go to pytest.
Everything lives in one temporary folder and is stopped and removed afterwards, also when the
tests fail or the run is interrupted. Standard library only.
"""

import contextlib
import glob
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the venv's bin: .venv/bin/python runs this script
DB_NAME, DB_USER = "burgerkracht", "postgres"
FALLBACK_PG_USER = "burgerkracht-pg"
NO_TESTS_COLLECTED = 5  # pytest's exit code
STARTED = time.monotonic()


def say(message: str) -> None:
    print(f"[integration {time.monotonic() - STARTED:5.1f}s] {message}", flush=True)


def run(cmd: list[str], **kwargs) -> None:
    """Run a command to completion; on failure show its output and raise."""
    result = subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)
    if result.returncode != 0:
        print(result.stdout + result.stderr, file=sys.stderr)
        raise RuntimeError(f"{Path(cmd[0]).name} exited with {result.returncode}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return f"({path} not readable)"


def wait_for(check: Callable[[], bool], timeout: float, what: str, process=None) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode} while starting")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} not ready after {timeout:.0f} s")
        time.sleep(0.3)


def postgres_bindir() -> Path:
    """initdb and pg_ctl from PATH, else from the newest /usr/lib/postgresql/*/bin."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(os.path.realpath(found)).parent

    def version(bindir: str) -> list[int]:
        return [int(n) for n in Path(bindir).parent.name.split(".") if n.isdigit()]

    for bindir in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version, reverse=True):
        if os.access(f"{bindir}/initdb", os.X_OK) and os.access(f"{bindir}/pg_ctl", os.X_OK):
            return Path(bindir)
    raise RuntimeError("PostgreSQL not found: install postgresql (initdb, pg_ctl)")


def postgres_os_user() -> str | None:
    """The system user to run PostgreSQL as (initdb refuses root), or None: ourselves."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", FALLBACK_PG_USER):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name).pw_name
    run(["useradd", "--system", "--no-create-home", FALLBACK_PG_USER])
    return FALLBACK_PG_USER


def stop_process_group(process: subprocess.Popen, timeout: float) -> None:
    """SIGTERM the process (a warm shutdown for Celery), then SIGKILL its whole group."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        say(f"pid {process.pid} ignored SIGTERM for {timeout:.0f} s; killing it")
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # leftover pool children too
    process.wait()


def read_pid(pidfile: Path) -> int | None:
    with contextlib.suppress(OSError, ValueError, IndexError):
        return int(pidfile.read_text().split()[0])
    return None


def wait_gone(pid: int | None, timeout: float = 10) -> None:
    """Wait until `pid` has left the process table (init reaps the daemons we did not start)."""
    deadline = time.monotonic() + timeout
    while pid and Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)


class Stack:
    """The services of one run; `stop()` is safe to call whatever got started."""

    def __init__(self) -> None:
        self.pg_bin, self.pg_user = postgres_bindir(), postgres_os_user()
        self.redis_server = shutil.which("redis-server")
        if not self.redis_server:
            raise RuntimeError("redis-server not found: apt-get install redis-server")
        self.tmp = Path(tempfile.mkdtemp(prefix="burgerkracht-integration-"))
        self.pgdir, self.pgdata = self.tmp / "pg", self.tmp / "pg" / "data"
        self.pg_port, self.redis_port = free_port(), free_port()
        while self.redis_port == self.pg_port:
            self.redis_port = free_port()
        self.pg_started = False
        self.redis: subprocess.Popen | None = None
        self.redis_pidfile = self.tmp / "redis" / "redis.pid"
        self.worker: subprocess.Popen | None = None
        self.worker_log = self.tmp / "worker.log"
        self.worker_env: dict[str, str] | None = None  # another role's URL (worker_as)
        self.env = os.environ.copy()

    def database_url(self, role: str = DB_USER) -> str:
        """The throwaway database's URL, connecting as `role` (by default its owner)."""
        return f"postgres://{role}@127.0.0.1:{self.pg_port}/{DB_NAME}"

    def pg(self, program: str, *args: str) -> list[str]:
        cmd = [str(self.pg_bin / program), *args]
        return ["runuser", "-u", self.pg_user, "--", *cmd] if self.pg_user else cmd

    def start_postgres(self) -> None:
        self.pgdir.mkdir()
        if self.pg_user:
            self.tmp.chmod(0o711)  # the postgres user must reach its own folder, nothing else
            user = pwd.getpwnam(self.pg_user)
            os.chown(self.pgdir, user.pw_uid, user.pw_gid)
        run(self.pg("initdb", "-D", str(self.pgdata), "-U", DB_USER, "--auth=trust", "-E", "UTF8",
                    "--no-locale", "--no-sync", "--no-instructions"), cwd=self.pgdir)  # fmt: skip
        with (self.pgdata / "postgresql.conf").open("a") as conf:
            conf.write(
                f"listen_addresses = '127.0.0.1'\nport = {self.pg_port}\n"
                f"unix_socket_directories = '{self.pgdir}'\n"
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
            )
        self.pg_started = True
        log = self.pgdir / "postgres.log"
        try:
            run(self.pg("pg_ctl", "-D", str(self.pgdata), "-l", str(log), "-w", "-t", "60", "start"),
                cwd=self.pgdir)  # fmt: skip
        except RuntimeError:
            print(tail(log), file=sys.stderr)
            raise
        run([str(self.pg_bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.pg_port),
             "-U", DB_USER, DB_NAME])  # fmt: skip

    def start_redis(self) -> None:
        folder = self.redis_pidfile.parent
        folder.mkdir()
        cmd = [self.redis_server, "--port", str(self.redis_port), "--bind", "127.0.0.1",
               "--save", "", "--appendonly", "no", "--dir", str(folder), "--daemonize", "no",
               "--pidfile", str(self.redis_pidfile), "--logfile", str(folder / "redis.log")]  # fmt: skip
        # Tests stop Redis and start it again with the same command line.
        self.env["INTEGRATION_REDIS_CMD"] = json.dumps(cmd)
        self.redis = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, start_new_session=True)
        wait_for(lambda: port_open(self.redis_port), 15, "Redis", self.redis)

    def configure_env(self) -> None:
        self.env.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            DATABASE_URL=self.database_url(),
            CELERY_BROKER_URL=f"redis://127.0.0.1:{self.redis_port}/0",
            DEBUG="0",
            SECRET_KEY="integration-test-secret-key-not-for-production-" + "x" * 40,
            ALLOWED_HOSTS="testserver,localhost,127.0.0.1",
            SECURE_SSL_REDIRECT="0",
            # config/checks.py: migrate refuses a SITE_URL nobody can reach when DEBUG is off.
            SITE_URL="https://burgerkracht.gemeente-voorbeeld.nl",
            MEDIA_ROOT=str(self.tmp / "media"),
            IGNORE_DOTENV="1",
            PYTHONUNBUFFERED="1",
            INTEGRATION_HARNESS="1",  # tests/integration/conftest.py refuses to run without it
            INTEGRATION_REDIS_PORT=str(self.redis_port),
        )
        # The worker sends mail here; tests/integration/test_notifications.py starts (and stops)
        # a real SMTP server on this port.
        smtp_port = free_port()
        self.env.update(
            INTEGRATION_SMTP_PORT=str(smtp_port), EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}"
        )

    def worker_as(self, role: str) -> None:
        """Make `role` (LOGIN, no rights of its own), have migrate grant it what
        DATABASE_APP_ROLE grants (security/database.py), and start the worker with it."""
        if not role.isidentifier():
            raise RuntimeError(f"not a role name: {role!r}")
        # `role` is an identifier (checked above): nothing in it can end the quotes.
        exists = f"SELECT 1 FROM pg_roles WHERE rolname = '{role}'"  # noqa: S608
        create = (
            f"DO $$ BEGIN IF NOT EXISTS ({exists}) THEN CREATE ROLE {role} LOGIN; END IF; END $$;"
        )
        # The log then names the role of every new connection: tests/integration/test_worker_role.py
        # reads it to see the worker's.
        for sql in (create, "ALTER SYSTEM SET log_connections = on", "SELECT pg_reload_conf()"):
            run(self.pg("psql", "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", DB_USER,
                        "-d", DB_NAME, "-v", "ON_ERROR_STOP=1", "-c", sql), cwd=self.pgdir)  # fmt: skip
        self.env["INTEGRATION_POSTGRES_LOG"] = str(self.pgdir / "postgres.log")
        env = {**self.env, "DATABASE_APP_ROLE": role}
        run([sys.executable, "manage.py", "migrate", "--no-input"], cwd=ROOT, env=env)
        url = self.database_url(role)
        # tests/integration/test_many_machines.py gives it to its web processes, worker and beat.
        self.env["INTEGRATION_APP_DATABASE_URL"] = url
        self.worker_env = {**self.env, "DATABASE_URL": url}

    def start_worker(self) -> None:
        celery = str(BIN / "celery")
        with self.worker_log.open("ab") as log:
            self.worker = subprocess.Popen(
                [celery, "-A", "config", "worker", "--loglevel=INFO", "--concurrency=2",
                 "--pool=prefork", "--hostname=integration@%h", "--without-gossip",
                 "--without-mingle"],
                cwd=ROOT, env=self.worker_env or self.env, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        ping = [celery, "-A", "config", "inspect", "ping", "--timeout", "2"]

        def answers() -> bool:
            done = subprocess.run(ping, cwd=ROOT, env=self.env, capture_output=True, check=False)
            return done.returncode == 0

        wait_for(answers, 60, "the Celery worker", self.worker)

    def stop(self) -> None:
        if self.worker and self.worker.poll() is None:
            say("stopping the worker")
            stop_process_group(self.worker, timeout=20)
        if self.redis and self.redis.poll() is None:
            stop_process_group(self.redis, timeout=10)
        pid = read_pid(self.redis_pidfile)  # a Redis that a test started again
        with contextlib.suppress(OSError):
            if pid and b"redis-server" in Path(f"/proc/{pid}/cmdline").read_bytes():
                os.kill(pid, signal.SIGKILL)
                wait_gone(pid)
        if self.pg_started:
            say("stopping PostgreSQL")
            postmaster = read_pid(self.pgdata / "postmaster.pid")
            subprocess.run(self.pg("pg_ctl", "-D", str(self.pgdata), "-m", "fast", "-w", "stop"),
                           cwd=self.pgdir, capture_output=True, check=False)  # fmt: skip
            wait_gone(postmaster)
        shutil.rmtree(self.tmp, ignore_errors=True)


def interrupt(signum: int, frame) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str]) -> int:
    signal.signal(signal.SIGTERM, interrupt)  # a cancelled CI job still cleans up
    try:
        stack = Stack()
    except RuntimeError as exc:
        say(f"error: {exc}")
        return 1
    code = 1
    try:
        say(f"temporary folder {stack.tmp}")
        say(f"starting PostgreSQL ({stack.pg_bin}) on port {stack.pg_port}")
        stack.start_postgres()
        say(f"starting Redis on port {stack.redis_port}")
        stack.start_redis()
        stack.configure_env()
        say("migrating")
        run([sys.executable, "manage.py", "migrate", "--no-input"], cwd=ROOT, env=stack.env)
        if app_role := os.environ.get("INTEGRATION_APP_ROLE"):
            say(f"the worker logs in as {app_role}, a role that owns nothing")
            stack.worker_as(app_role)
        say("starting the Celery worker")
        stack.start_worker()
        say("running pytest tests/integration")
        code = subprocess.run(
            [str(BIN / "pytest"), "tests/integration",
             "--override-ini", "addopts=-ra --strict-markers --durations=10", *argv],
            cwd=ROOT, env=stack.env, check=False,
        ).returncode  # fmt: skip
        if code == NO_TESTS_COLLECTED:
            say("pytest collected no tests: that counts as a failure here")
            code = 1
    except KeyboardInterrupt:
        say("interrupted")
        code = 130
    except RuntimeError as exc:
        say(f"error: {exc}")
        code = 1
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):  # a second Ctrl-C must not skip cleanup
            signal.signal(signum, signal.SIG_IGN)
        if code != 0 and stack.worker_log.exists():
            print(f"--- last lines of the worker log ---\n{tail(stack.worker_log)}\n---")
        stack.stop()
    say("passed" if code == 0 else f"failed (exit code {code})")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
