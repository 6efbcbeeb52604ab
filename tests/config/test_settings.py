import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_check(env_overrides, *args):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_ENV", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_and_hosts():
    result = run_check(
        {"DJANGO_ENV": "production", "REDIS_URL": "redis://127.0.0.1:6379/0"}, "check"
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr and "ALLOWED_HOSTS" in result.stderr


def test_production_refuses_the_in_memory_channel_layer():
    env = {
        "DJANGO_ENV": "production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "example.com",
        "REDIS_URL": "",
    }
    result = run_check(env, "check")
    assert result.returncode != 0
    assert "REDIS_URL" in result.stderr


def test_production_passes_check_deploy():
    env = {
        "DJANGO_ENV": "production",
        "SECRET_KEY": "k3y-" + "z9" * 30,
        "ALLOWED_HOSTS": "community.example.com",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    result = run_check(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
