"""Browser tests: a real daphne process on a free port, driven by headless Chromium.

The server runs in a subprocess against the test database (data is committed, so these
tests use ``transactional_db``). Playwright's sync API keeps an event loop on this thread,
which Django would mistake for async code; DJANGO_ALLOW_ASYNC_UNSAFE lifts that check for
the test process only (the server itself runs normally).
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = ROOT / "test-results" / "screenshots"

pytestmark = pytest.mark.e2e


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(media_root: Path) -> dict[str, str]:
    """Environment for a server process that shares this test run's database."""
    env = os.environ.copy()
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        env["SQLITE_PATH"] = str(db["NAME"])
    else:
        user = db.get("USER") or "postgres"
        host = db.get("HOST") or "127.0.0.1"
        port = db.get("PORT") or 5432
        env["DATABASE_URL"] = f"postgres://{user}@{host}:{port}/{db['NAME']}"
    env["MEDIA_ROOT"] = str(media_root)
    env["DJANGO_ENV"] = "development"
    env["TASKS_BACKEND"] = "immediate"
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def start_daphne(env: dict[str, str], port: int | None = None) -> tuple[subprocess.Popen, str]:
    port = port or free_port()
    log = open(ROOT / "test-results" / f"daphne-{port}.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "config.asgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"daphne exited early; see {log.name}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("daphne did not start within 30 s")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def live_server_env(transactional_db, tmp_path, settings):
    (ROOT / "test-results").mkdir(exist_ok=True)
    return server_env(Path(settings.MEDIA_ROOT))


def wait_for_server_sessions_to_end(timeout: float = 10) -> None:
    """PostgreSQL ends a backend a moment after its client exits; the test database can only be
    dropped once the server's sessions are gone."""
    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] == 0:
                return
        time.sleep(0.1)


@pytest.fixture
def server(live_server_env):
    proc, url = start_daphne(live_server_env)
    yield url
    stop(proc)
    wait_for_server_sessions_to_end()


@pytest.fixture
def browser(monkeypatch):
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # Queries made while Playwright's loop runs open their own connection; close it so the
        # test database can be dropped.
        connections.close_all()


@pytest.fixture
def new_page(browser):
    contexts = []

    def make(width=1280, height=900):
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


def redis_reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def share_redis(settings, env: dict[str, str]) -> dict[str, str]:
    """Put this test process and the servers started with ``env`` on one Redis channel layer
    and cache, under a prefix of their own; return the servers' environment."""
    prefix = f"e2e-{uuid.uuid4().hex[:10]}"
    settings.CHANNEL_LAYERS = {
        alias: {
            "BACKEND": "realtime.layers.RedisChannelLayer",
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, "socket_timeout": 15}],
                "prefix": f"{prefix}{suffix}",
            },
        }
        for alias, suffix in (("default", ""), ("broadcasts", "-broadcasts"))
    }
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    servers = {**env, "REDIS_URL": REDIS_URL, "CHANNEL_PREFIX": prefix, "CACHE_PREFIX": prefix}
    # Exactly this test's Redis database: not the one settings give each parallel test worker.
    servers.pop("PYTEST_XDIST_WORKER", None)
    return servers


@pytest.fixture
def redis_env(live_server_env, settings):
    """Environment for daphne servers sharing Redis with the test process."""
    if not redis_reachable():
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    return share_redis(settings, live_server_env)


@pytest.fixture
def redis_server(redis_env):
    """A daphne server sharing Redis with the test process: events published here reach it."""
    proc, url = start_daphne(redis_env)
    yield url
    stop(proc)


def login(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base_url}/")


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


__all__ = ["login", "screenshot", "settings"]
