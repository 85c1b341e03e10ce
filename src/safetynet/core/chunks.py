"""Bounded slices of a long list, for ``IN (…)`` lists and bulk writes: SQLite allows at most
32,766 parameters in one statement and PostgreSQL plans long lists badly."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import TypeVar

T = TypeVar("T")

CHUNK = 5000


def chunked(values: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """``values`` in consecutive slices of at most ``size`` items (none for an empty list)."""
    if size < 1:
        raise ValueError("size must be positive")
    for start in range(0, len(values), size):
        yield values[start : start + size]


def batched(values: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    """Consecutive lists of at most ``size`` items of a stream that cannot be sliced (rows read
    from a file or a server-side cursor), so that it is never held whole."""
    if size < 1:
        raise ValueError("size must be positive")
    iterator = iter(values)
    while batch := list(islice(iterator, size)):
        yield batch
