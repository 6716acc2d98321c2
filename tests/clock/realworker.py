"""Start and stop real Celery workers (subprocesses) against the test database and Redis."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def worker_env(**extra) -> dict:
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "tests.clock.worker_settings",
        "CELERY_BROKER_URL": os.environ["CELERY_BROKER_URL"],
        "EMAIL_URL": "consolemail://",
        "PYTHONUNBUFFERED": "1",
    }
    env.update({k: str(v) for k, v in extra.items()})
    return env


class Worker:
    """A ``celery -A office worker`` in its own process group, so SIGKILL takes its children too."""

    def __init__(self, log_path: Path, *, beat: bool = False, concurrency: int = 2, **env):
        self.log_path = log_path
        cmd = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "office",
            "worker",
            "-Q",
            "critical,default",
            "-c",
            str(concurrency),
            "-n",
            f"clocktest-{uuid.uuid4().hex[:8]}@%h",
            "-I",
            "tests.clock.worker_handlers",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel",
            "INFO",
        ]
        if beat:
            cmd += ["-B", "-s", str(log_path.with_suffix(".beat"))]
        self.log = open(log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=worker_env(**env),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"worker exited: {self.tail()}")
            if b" ready." in self.log_path.read_bytes():
                return
            time.sleep(0.2)
        raise TimeoutError(f"worker not ready: {self.tail()}")

    def kill(self) -> None:
        """SIGKILL the worker and its pool children (its own process group)."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        try:
            if self.proc.poll() is None:
                os.killpg(self.proc.pid, signal.SIGTERM)
                try:
                    self.proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                    self.proc.wait(timeout=10)
        except ProcessLookupError:
            pass
        finally:
            self.log.close()

    def tail(self, n: int = 4000) -> str:
        return self.log_path.read_bytes()[-n:].decode(errors="replace")


class Sweeper(Worker):
    """A ``manage.py clock_sweeper`` (the clock's own loop, no broker involved) in its own process group."""

    def __init__(self, log_path: Path, *, interval: float = 2, **env):  # its own process, not Worker's
        self.log_path = log_path
        cmd = [sys.executable, "manage.py", "clock_sweeper", "--interval", str(interval)]
        self.log = open(log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=worker_env(**env),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"sweeper exited: {self.tail()}")
            if b"clock sweeper: sweeping" in self.log_path.read_bytes():
                return
            time.sleep(0.2)
        raise TimeoutError(f"sweeper not ready: {self.tail()}")


def wait_for(predicate, *, timeout: float, every: float = 0.2, on_wait=None):
    """Poll ``predicate`` until it is truthy or ``timeout`` runs out (then raise)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        if on_wait:
            on_wait()
        time.sleep(every)
    raise TimeoutError("condition not met in time")


def flush_broker() -> None:
    import redis

    redis.Redis.from_url(os.environ["CELERY_BROKER_URL"]).flushdb()
