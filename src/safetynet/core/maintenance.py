"""Maintenance mode: while ``settings.MAINTENANCE_FILE`` exists (a key rotation or a restore is
running), pages and API calls answer 503 (``web.middleware``) and the job worker waits. A file,
not a table, so that checking it costs no query on every request."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings


def flag() -> Path:
    return Path(settings.MAINTENANCE_FILE)


def active() -> bool:
    return flag().exists()


@contextmanager
def on(reason: str) -> Iterator[None]:
    """Maintenance for the block; the flag stays when the block fails (the work is unfinished
    and must be run again before the platform opens)."""
    path = flag()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(reason + "\n", encoding="utf-8")
    yield
    path.unlink(missing_ok=True)
