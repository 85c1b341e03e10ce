"""Bounded slices of a long list, for ``IN (…)`` lists and bulk writes: SQLite allows at most
32,766 parameters in one statement and PostgreSQL plans long lists badly."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

CHUNK = 5000


def chunked(values: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """``values`` in consecutive slices of at most ``size`` items (none for an empty list)."""
    if size < 1:
        raise ValueError("size must be positive")
    for start in range(0, len(values), size):
        yield values[start : start + size]
