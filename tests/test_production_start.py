"""The production start: production settings pass `check --deploy` with the documented
environment, and collected static files are served by WhiteNoise under hashed, compressed names
(in a separate process: production settings cannot be loaded into the test process)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FERNET_KEY = "ZGV2LW9ubHktZmllbGQta2V5LXN5bnRoZXRpYy1kYXQ="


def _production_env(tmp_path: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        # DJANGO_ALLOW_ASYNC_UNSAFE: set by the browser tests' fixture in this worker, and
        # rightly reported by ``check --deploy``; it is no part of a production start.
        if key not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    # The documented variables (deploy/production.env.example), with throwaway values.
    documented = {}
    for line in (ROOT / "deploy" / "production.env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            documented[key] = value
    env.update(documented)
    env.update(
        {
            "PYTHONPATH": str(ROOT / "src"),
            "SECRET_KEY": "t" * 20 + "-production-start-test-secret-key-0123456789",
            "FIELD_ENCRYPTION_KEYS": FERNET_KEY,
            "STATIC_ROOT": str(tmp_path / "static"),
            "MEDIA_ROOT": str(tmp_path / "media"),
            "FEEDS_DIR": str(tmp_path / "feeds"),
            "DATABASE_URL": os.environ.get("DATABASE_URL")
            or f"sqlite:///{tmp_path / 'db.sqlite3'}",
        }
    )
    assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )


def test_check_deploy_is_clean_with_the_documented_environment(tmp_path: Path) -> None:
    result = _run(
        [sys.executable, "-m", "safetynet.cli", "check", "--deploy", "--fail-level", "WARNING"],
        _production_env(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


SERVE = """
import django, re
django.setup()
from django.core.management import call_command
from django.test import Client
from django.conf import settings
call_command("collectstatic", interactive=False, verbosity=0)
from django.contrib.staticfiles.storage import staticfiles_storage
name = staticfiles_storage.stored_name("css/app.css")
assert re.search(r"app\\.[0-9a-f]{12}\\.css$", name), name
client = Client()
r = client.get("/static/" + name, secure=True, HTTP_ACCEPT_ENCODING="gzip")
print(r.status_code, r.headers.get("Content-Encoding"), r.headers.get("Cache-Control"))
r = client.get("/static/css/app.css", secure=True)
print(r.status_code)
"""


def test_static_files_are_served_hashed_and_compressed(tmp_path: Path) -> None:
    result = _run([sys.executable, "-c", SERVE], _production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    hashed, plain = result.stdout.strip().splitlines()[-2:]
    status, encoding, cache = hashed.split(" ", 2)
    assert (status, encoding) == ("200", "gzip")
    assert "immutable" in cache
    assert plain == "200"


def test_procfile_starts_gunicorn_and_the_job_worker() -> None:
    lines = dict(
        line.split(": ", 1)
        for line in (ROOT / "Procfile").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert lines == {
        "web": "gunicorn -c deploy/gunicorn.conf.py",
        "worker": "nice -n 19 safetynet jobs work",
    }
