"""The deployed layout, brought up for a load run and taken down after it.

A fresh PostgreSQL database (dropped and created again), migrated and seeded with the demo
communities and the load members; static files collected (production serves the manifest);
a Redis database flushed; two daphne workers with production settings (``DJANGO_ENV=production``,
DEBUG off, a psycopg pool per worker); Locust run headless against both; and what the run left
behind: PostgreSQL connections polled every second, deadlocks counted in the PostgreSQL log (or
in the workers' logs when that log cannot be read), ``rebuild_scores --verify``.

Used by ``benchmarks/load/run.py`` and ``benchmarks/faults.py``.
"""

import json
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
ADMIN_DSN = os.environ.get("LOAD_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_LOG = Path(os.environ.get("LOAD_PG_LOG", "/var/log/postgresql/postgresql-15-main.log"))
WRITES = ("write: reply", "write: vote", "write: topic")
FLOOR = "floor: api root"


def admin(sql: str, params=()) -> list[tuple]:
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        cursor = conn.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def duration_seconds(text: str) -> int:
    """Locust's ``--run-time`` format: 90, 90s, 5m, 1h30m."""
    if text.isdigit():
        return int(text)
    parts = re.findall(r"(\d+)\s*([hms])", text)
    if not parts:
        raise ValueError(f"not a duration: {text!r}")
    return sum(int(n) * {"h": 3600, "m": 60, "s": 1}[unit] for n, unit in parts)


@dataclass
class Stack:
    workdir: Path
    redis_url: str
    members: int
    database: str = "h_load"
    ports: tuple[int, ...] = (8130, 8131)
    pool_size: int = 10
    prefix: str = "load"
    app_limits: bool = False
    workers: dict[int, subprocess.Popen] = field(default_factory=dict)
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(50))

    @property
    def database_url(self) -> str:
        return f"postgres://postgres@127.0.0.1:5432/{self.database}"

    @property
    def hosts(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.ports]

    def env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_ENV": "production",
            "SECRET_KEY": self.secret,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "DB_POOL_SIZE": str(self.pool_size),
            "CHANNEL_PREFIX": self.prefix,
            "CACHE_PREFIX": self.prefix,
            "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("DEBUG", None)
        if not self.app_limits:
            # A load run measures capacity: the shared per-member limits would turn most writes
            # into 429s after a minute. Level allowances and the vote share still apply.
            env |= {"RATE_LIMIT_POST": "100000/600", "RATE_LIMIT_VOTE": "100000/3600"}
        return env

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env(),
            check=check,
            capture_output=True,
            text=True,
        )

    def prepare(self) -> None:
        """A fresh database with the demo data and the load members; static files; empty Redis."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        admin(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        admin(f'CREATE DATABASE "{self.database}"')
        steps = [
            ("migrate", "--noinput", "-v0"),
            ("seed_demo",),
            ("seed_load_members", "--count", str(self.members), "--prefix", self.prefix),
        ]
        if static_outdated():
            steps.append(("collectstatic", "--noinput", "-v0"))
        for step in steps:
            result = self.manage(*step, check=False)
            if result.returncode:
                raise RuntimeError(f"manage.py {' '.join(step)} failed:\n{result.stderr[-3000:]}")
        import redis

        redis.Redis.from_url(self.redis_url).flushdb()

    # --- workers ----------------------------------------------------------------------------

    def log(self, port: int) -> Path:
        return self.workdir / f"daphne-{port}.log"

    def start_worker(self, port: int) -> None:
        with self.log(port).open("a") as log:
            self.workers[port] = subprocess.Popen(
                [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port)]
                + ["config.asgi:application"],
                cwd=ROOT,
                env=self.env(),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_ready(f"http://127.0.0.1:{port}", self.workers[port], self.log(port))

    def stop_worker(self, port: int, timeout: float = 20) -> str:
        """SIGTERM, then SIGKILL if it has not exited after ``timeout`` seconds; says which."""
        process = self.workers.pop(port, None)
        if process is None or process.poll() is not None:
            return "not running"
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            return f"still running {timeout:.0f} s after SIGTERM: killed"
        return f"exited {time.monotonic() - started:.1f} s after SIGTERM"

    def start(self) -> None:
        for port in self.ports:
            self.start_worker(port)

    def stop(self) -> None:
        for port in list(self.workers):
            self.stop_worker(port)

    # --- Locust -----------------------------------------------------------------------------

    def locust(self, users: int, duration: str, *, record: bool = False) -> subprocess.Popen:
        """Start Locust headless on every worker; its JSON summary goes to ``summary.json``.

        SIGTERM stops it early, and cleanly: the summary is still written.
        """
        env = {
            **os.environ,
            "LOAD_HOSTS": ",".join(self.hosts),
            "LOAD_MEMBERS": str(self.members),
            "LOAD_PREFIX": self.prefix,
            "LOAD_REPORT": str(self.workdir / "summary.json"),
            "LOAD_RECORD": "1" if record else "0",
            "LOAD_READY_FILE": str(self.ready_file),
        }
        self.ready_file.unlink(missing_ok=True)
        spawn_rate = max(1, users // 10)
        with (self.workdir / "locust.log").open("w") as log:
            return subprocess.Popen(
                [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless"]
                + ["-u", str(users), "-r", str(spawn_rate), "--run-time", duration]
                + ["--host", self.hosts[0], "--only-summary", "--stop-timeout", "5"]
                + ["--exit-code-on-error", "0"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    @property
    def ready_file(self) -> Path:
        return self.workdir / "members-ready"

    def wait_members_ready(self, timeout: float = 300) -> bool:
        """Wait until every member has logged in and opened its socket (False: gave up)."""
        deadline = time.monotonic() + timeout
        while not self.ready_file.exists():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.5)
        return True

    def summary(self) -> dict:
        return json.loads((self.workdir / "summary.json").read_text())

    # --- afterwards -------------------------------------------------------------------------

    def verify_scores(self) -> tuple[bool, str]:
        result = self.manage("rebuild_scores", "--verify", check=False)
        return result.returncode == 0, (result.stdout + result.stderr).strip()


def static_outdated() -> bool:
    """Whether production's static manifest is missing or older than a file in ``static/``.

    Collecting (and compressing) Wagtail's static files takes minutes on a busy machine; the
    packages' own files only change with the lock file, which is checked too.
    """
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    if not manifest.exists():
        return True
    sources = [ROOT / "requirements.lock", *(ROOT / "static").rglob("*")]
    return max(path.stat().st_mtime for path in sources) > manifest.stat().st_mtime


def wait_ready(base: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(base + "/api/v1/", headers={"X-Forwarded-Proto": "https"})
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"daphne exited; see {log}")
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"daphne did not answer in {timeout} s; see {log}")


class ConnectionPoller(threading.Thread):
    """Counts the database's PostgreSQL connections (``pg_stat_activity``) once a second."""

    def __init__(self, database: str):
        super().__init__(daemon=True)
        self.database = database
        self.samples: list[int] = []
        self.halt = threading.Event()

    def run(self) -> None:
        with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
            while not self.halt.is_set():
                row = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (self.database,)
                ).fetchone()
                self.samples.append(row[0])
                self.halt.wait(1)

    def stop(self) -> int:
        self.halt.set()
        self.join(timeout=5)
        return max(self.samples, default=0)


class PostgresLog:
    """The lines PostgreSQL logged for one database since this object was made, if readable."""

    def __init__(self, database: str, path: Path = PG_LOG):
        self.database, self.path = database, path
        self.offset = self._size()

    def _size(self) -> int | None:
        try:
            return self.path.stat().st_size
        except OSError:
            return None

    def lines(self) -> list[str] | None:
        if self.offset is None:
            return None
        try:
            with self.path.open("rb") as log:
                log.seek(self.offset)
                text = log.read().decode("utf-8", "replace")
        except OSError:
            return None
        return [line for line in text.splitlines() if f"@{self.database} " in line]


def count_deadlocks(pg_log: PostgresLog, worker_logs: list[Path]) -> tuple[int, str]:
    """Deadlocks PostgreSQL reported for the run, and where they were counted."""
    lines = pg_log.lines()
    if lines is not None:
        return sum("deadlock detected" in line for line in lines), "PostgreSQL log"
    count = 0
    for log in worker_logs:
        if log.exists():
            count += log.read_text(errors="replace").count("deadlock detected")
    return count, "daphne logs"


def too_many_clients(pg_log: PostgresLog) -> int | None:
    lines = pg_log.lines()
    return None if lines is None else sum("too many clients" in line for line in lines)


def server_errors(summary: dict) -> int:
    return sum(
        n
        for request in summary["requests"].values()
        for code, n in request["statuses"].items()
        if int(code) >= 500
    )


def print_requests(summary: dict) -> None:
    """Per request type: count, rate, p50/p95/p99 and p50 as a multiple of the floor's p50."""
    requests = summary["requests"]
    floor = requests.get(FLOOR, {}).get("p50") or 0
    print(
        f"  {'request':<16}{'n':>7}{'req/s':>7}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
        f"{'x floor':>9}{'>=500':>7}{'4xx':>7}{'failed':>7}"
    )
    for name in sorted(requests, key=lambda n: (n == FLOOR, n)):
        row = requests[name]
        statuses = {int(c): n for c, n in row["statuses"].items()}
        refused = sum(n for c, n in statuses.items() if 400 <= c < 500)
        errors = sum(n for c, n in statuses.items() if c >= 500)
        ratio = f"{row['p50'] / floor:8.1f}x" if floor else f"{'-':>9}"
        print(
            f"  {name:<16}{row['count']:>7}{row['rps']:>7.1f}{row['p50']:>8.0f}{row['p95']:>8.0f}"
            f"{row['p99']:>8.0f}{ratio:>9}{errors:>7}{refused:>7}{row['failures']:>7}"
        )
    total = sum(r["count"] for r in requests.values())
    print(
        f"  {'all':<16}{total:>7}{summary['total_rps']:>7.1f}"
        f"   (floor = {FLOOR!r}: its p50 {floor:.0f} ms under the same load;"
        " 4xx on writes = the product's refusals: allowance, pace, limits)"
    )


def write_p95(summary: dict) -> float:
    return max((summary["requests"].get(n, {}).get("p95") or 0) for n in WRITES)
