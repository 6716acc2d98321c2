"""The production-like layout on loopback, started and stopped by the scenario itself: gunicorn (4
workers), two Celery workers on both queues, one beat, the clock sweeper(s); PostgreSQL database and
Redis database number of the run's own. Every process runs in its own process group, so a SIGKILL
takes its children with it and ``stop`` leaves nothing behind."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_admin(url: str):
    """A psycopg2 connection to the server's ``postgres`` database (autocommit)."""
    import psycopg2

    p = urlparse(url)
    conn = psycopg2.connect(
        host=p.hostname or "127.0.0.1",
        port=p.port or 5432,
        user=p.username or "postgres",
        password=p.password,
        dbname="postgres",
        application_name="typhoon-bench",
    )
    conn.autocommit = True
    return conn


def pg_admin_db(url: str):
    """A psycopg2 connection to the run's database as 'typhoon-bench' (spared by the connection storm)."""
    import psycopg2

    p = urlparse(url)
    conn = psycopg2.connect(
        host=p.hostname or "127.0.0.1",
        port=p.port or 5432,
        user=p.username or "postgres",
        password=p.password,
        dbname=db_name(url),
        application_name="typhoon-bench",
    )
    conn.autocommit = True
    return conn


def killpg(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=30)


def db_name(url: str) -> str:
    return urlparse(url).path.lstrip("/")


def recreate_database(url: str, template: str | None = None) -> None:
    name = db_name(url)
    conn = pg_admin(url)
    with conn.cursor() as cur:
        cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cur.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    conn.close()


def migrations_key(src: Path) -> str:
    """A fingerprint of the migrations in the tree (names and contents)."""
    import hashlib

    h = hashlib.sha1()
    for path in sorted(src.glob("**/migrations/*.py")):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        h.update(str(path.relative_to(src)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def template_for(url: str, key: str) -> str | None:
    """The migrated template database kept by an earlier run for these migrations, if any."""
    name = f"{db_name(url)}_tpl_{key}"
    conn = pg_admin(url)
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        found = cur.fetchone() is not None
    conn.close()
    return name if found else None


def save_template(url: str, key: str) -> None:
    """Keep the freshly migrated (empty) database as a template for the next run with --reuse-migrations;
    older templates of this run's database are dropped."""
    name, base = f"{db_name(url)}_tpl_{key}", db_name(url)
    conn = pg_admin(url)
    with conn.cursor() as cur:
        cur.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [f"{base}_tpl_%"])
        for (old,) in cur.fetchall():
            cur.execute(f'DROP DATABASE IF EXISTS "{old}"')
        cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [base])
        cur.execute(f'CREATE DATABASE "{name}" TEMPLATE "{base}"')
    conn.close()


def drop_database(url: str) -> None:
    name = db_name(url)
    conn = pg_admin(url)
    with conn.cursor() as cur:
        cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
    conn.close()


def terminate_app_connections(url: str) -> int:
    """The connection storm: ``pg_terminate_backend`` of every connection of the app's processes to the
    run's database (the scenario's own monitor connects as application_name 'typhoon-bench' and is spared).
    Returns how many were terminated."""
    conn = pg_admin(url)
    with conn.cursor() as cur:
        cur.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = %s"
            " AND pid <> pg_backend_pid() AND application_name <> 'typhoon-bench'",
            [db_name(url)],
        )
        n = cur.fetchone()[0]
    conn.close()
    return int(n)


def flush_redis_db(url: str) -> None:
    """The broker restarted with its data lost — honestly substituted on a shared machine by FLUSHDB of the
    run's own Redis database number (the machine's redis-server and other databases are left alone)."""
    import redis

    redis.Redis.from_url(url).flushdb()


def snapshot(dest: Path, *, committed: bool = False) -> Path:
    """A frozen copy of the code in ``dest``, so that edits made in the checkout during the run cannot
    change what runs: the checkout's files as they are now (tracked and untracked, not ignored), or with
    ``committed`` the committed tree (``git archive HEAD``) plus this scenario's own files."""
    import shutil

    dest.mkdir(parents=True, exist_ok=True)
    if committed:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", "HEAD"], check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
        (dest / "bench").mkdir(exist_ok=True)
        shutil.copy2(ROOT / "bench" / "typhoon.py", dest / "bench" / "typhoon.py")
        shutil.rmtree(dest / "bench" / "typhoon", ignore_errors=True)
        shutil.copytree(
            ROOT / "bench" / "typhoon",
            dest / "bench" / "typhoon",
            ignore=shutil.ignore_patterns("__pycache__"),
        )
    else:
        names = subprocess.run(
            ["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            check=True,
            capture_output=True,
        ).stdout.split(b"\0")
        for name in filter(None, names):
            source = ROOT / name.decode()
            if source.is_file():
                target = dest / name.decode()
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
    # front-end packages are not in git: link them (pages only name them)
    if (ROOT / "node_modules").is_dir() and not (dest / "node_modules").exists():
        (dest / "node_modules").symlink_to(ROOT / "node_modules")
    return dest


class Proc:
    """One process of the layout in its own process group, its output in a log file."""

    def __init__(self, name: str, cmd: list[str], env: dict, log_dir: Path, cwd: Path = ROOT):
        self.name, self.cmd, self.env, self.cwd = name, cmd, env, cwd
        self.log_path = log_dir / f"{name}.log"
        self.proc: subprocess.Popen | None = None
        self.log = None
        self.start()

    def start(self) -> None:
        self.log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()/kill()
        self.proc = subprocess.Popen(
            self.cmd,
            cwd=self.cwd,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL the process and its children (its process group)."""
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=30)
        if self.log:
            self.log.close()
            self.log = None

    def stop(self, timeout: float = 20) -> None:
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                pass
            # whatever is left of the group (children that outlived their parent)
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        if self.log:
            self.log.close()
            self.log = None

    def tail(self, n: int = 3000) -> str:
        try:
            return self.log_path.read_bytes()[-n:].decode(errors="replace")
        except OSError:
            return ""


def celery_worker_cmd(name: str, concurrency: int = 2) -> list[str]:
    return [
        str(BIN / "celery"),
        "-A",
        "office",
        "worker",
        "-Q",
        "critical,default",
        "-c",
        str(concurrency),
        "-n",
        f"{name}@%h",
        "-I",
        "bench.typhoon.naive",
        "--without-gossip",
        "--without-mingle",
        "--loglevel",
        "INFO",
    ]


class RedisServer:
    """The run's own redis-server on a free loopback port (nothing saved to disk), so that "Redis restarted
    with its data lost" is a real restart: SIGKILL, a few seconds down, started again empty — every
    connection of the web, the workers and beat is cut, and whatever the broker held is gone. The
    machine's own Redis is not touched."""

    def __init__(self, log_dir: Path):
        import shutil

        self.binary = shutil.which("redis-server")
        if self.binary is None:
            raise RuntimeError("redis-server not found (Debian package redis-server)")
        self.port = free_port()
        self.proc = Proc(
            "redis",
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(log_dir),
            ],
            dict(os.environ),
            log_dir,
        )
        self.wait_ready()

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def wait_ready(self, timeout: float = 15) -> None:
        import redis

        deadline = time.monotonic() + timeout
        while True:
            try:
                redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=1).ping()
                return
            except redis.exceptions.ConnectionError:
                if time.monotonic() > deadline or not self.proc.alive:
                    raise RuntimeError(f"redis-server did not start:\n{self.proc.tail()}") from None
                time.sleep(0.1)

    def restart(self, down_s: float = 2.0) -> None:
        """SIGKILL (no chance to save anything), ``down_s`` seconds down, started again empty."""
        self.proc.kill()
        time.sleep(down_s)
        self.proc.start()
        self.wait_ready()

    def stop(self) -> None:
        self.proc.stop(timeout=5)


class Layout:
    """gunicorn + 2 Celery workers + beat + sweeper(s), all on loopback."""

    def __init__(
        self,
        env: dict,
        log_dir: Path,
        *,
        cwd: Path = ROOT,
        web_workers: int = 4,
        celery_workers: int = 2,
        sweepers: int = 2,
    ):
        self.env, self.log_dir, self.cwd = env, log_dir, cwd
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.procs: dict[str, Proc] = {}
        self.web_workers, self.celery_workers, self.sweepers = web_workers, celery_workers, sweepers
        import threading

        self.held: set[str] = set()  # killed on purpose: the restart policy waits for ``restart``
        self.restarts: list[tuple[str, int | None, float]] = []  # (process, exit code, when)
        self._stopping = threading.Event()

    def start(self) -> None:
        env = self.env
        self.procs["web"] = Proc(
            "web",
            [
                str(BIN / "gunicorn"),
                "office.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.web_workers),
                "--threads",
                "4",
                "--graceful-timeout",
                "5",
                "--no-control-socket",
            ],
            env,
            self.log_dir,
            self.cwd,
        )
        for i in range(self.celery_workers):
            name = f"worker{i + 1}"
            self.procs[name] = Proc(name, celery_worker_cmd(f"typhoon-{name}"), env, self.log_dir, self.cwd)
        self.procs["beat"] = Proc(
            "beat",
            [
                str(BIN / "celery"),
                "-A",
                "office",
                "beat",
                "--loglevel",
                "INFO",
                "--pidfile=",
                "-s",
                str(self.log_dir / "celerybeat-schedule"),
            ],
            env,
            self.log_dir,
            self.cwd,
        )
        for i in range(self.sweepers):
            name = f"clock{i + 1}"
            self.procs[name] = Proc(
                name, [sys.executable, "manage.py", "clock_sweeper"], env, self.log_dir, self.cwd
            )

    def wait_ready(self, timeout: float = 90) -> None:
        import httpx

        deadline = time.monotonic() + timeout
        pending = {n for n in self.procs if n.startswith("worker")} | {"web"}
        while time.monotonic() < deadline and pending:
            for name, p in self.procs.items():
                if not p.alive:
                    raise RuntimeError(f"{name} exited:\n{p.tail()}")
            for name in list(pending):
                if name == "web":
                    try:
                        if httpx.get(self.base_url + "/healthz", timeout=2).status_code == 200:
                            pending.discard(name)
                    except httpx.HTTPError:
                        pass
                elif b" ready." in self.procs[name].log_path.read_bytes():
                    pending.discard(name)
            time.sleep(0.3)
        if pending:
            raise TimeoutError(
                f"not ready: {sorted(pending)}\n" + "\n".join(self.procs[n].tail() for n in pending)
            )

    def restart(self, name: str) -> None:
        p = self.procs[name]
        p.start()
        self.held.discard(name)

    def kill(self, name: str) -> None:
        """SIGKILL a process and keep it down (the restart policy leaves it alone) until ``restart``."""
        self.held.add(name)
        self.procs[name].kill()

    def supervise(self, every: float = 1.0) -> None:
        """The compose file's ``restart: unless-stopped`` (and supervisord's autorestart under
        scripts/run): a process that exits on its own is started again within a second, and counted."""
        import threading

        def loop() -> None:
            while not self._stopping.wait(every):
                for name, p in list(self.procs.items()):
                    if name not in self.held and p.proc is not None and p.proc.poll() is not None:
                        code = p.proc.returncode
                        p.stop(timeout=1)
                        p.start()
                        self.restarts.append((name, code, time.time()))

        threading.Thread(target=loop, name="restart-policy", daemon=True).start()

    def stop(self) -> None:
        self._stopping.set()
        for p in self.procs.values():
            try:
                os.killpg(p.proc.pid, signal.SIGTERM)
            except (ProcessLookupError, AttributeError):
                pass
        for p in self.procs.values():
            p.stop(timeout=15)
