"""Notices as first issued (``IssuedNotice``): the content dataclasses of ``notices_layout``
stored as JSON the first time a notice is printed or archived, and read back for every later
print, so that a reprint never differs from what the applicant received.

A ``NoticeStore`` serves one rendering: it loads the stored contents of all its notices in one
query, builds the missing ones, and saves them (one insert) once the PDF is made. Two officers
printing a new notice at the same moment both render the same content; the first insert wins.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import types
import typing
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from safetynet.accounts.models import User
from safetynet.determination.documents import layout as layout
from safetynet.determination.models import Application, IssuedNotice, ReviewSchedule

T = TypeVar("T")
# The notices kept as first issued; each has a ``head`` (its letterhead).
Content = TypeVar(
    "Content",
    layout.ReceiptContent,
    layout.RefusalContent,
    layout.DecisionContent,
    layout.ReviewContent,
    layout.TerminationContent,
)


def content_to_json(value: Any) -> Any:
    """A content dataclass as JSON-ready data: dates and Decimals as text."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: content_to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [content_to_json(item) for item in value]
    if isinstance(value, dt.date):  # datetime included
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _load(kind: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        [inner] = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        return _load(inner, value)
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        return content_from_json(kind, value)
    if origin in (list, tuple, Sequence):
        [inner, *_] = typing.get_args(kind)
        return tuple(_load(inner, item) for item in value)
    if kind is dt.datetime:
        return dt.datetime.fromisoformat(value)
    if kind is dt.date:
        return dt.date.fromisoformat(value)
    if kind is Decimal:
        return Decimal(value)
    return value


def content_from_json(cls: type[T], data: dict[str, Any]) -> T:
    """The content dataclass ``cls`` back from ``content_to_json`` data."""
    hints = typing.get_type_hints(cls)
    assert dataclasses.is_dataclass(cls)
    values = {
        f.name: _load(hints[f.name], data[f.name])
        for f in dataclasses.fields(cls)
        if f.name in data
    }
    return cls(**values)


def _digest(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


class NoticeStore:
    def __init__(self, keys: Iterable[str]) -> None:
        wanted = set(keys)
        self._stored = (
            {n.key: n for n in IssuedNotice.objects.filter(key__in=wanted)} if wanted else {}
        )
        self._new: dict[str, IssuedNotice] = {}

    def content(
        self,
        key: str,
        cls: type[Content],
        build: Callable[[], Content],
        *,
        kind: str,
        application: Application | None,
        review: ReviewSchedule | None = None,
        generated_at: dt.datetime | None,
    ) -> Content:
        """The stored content of ``key`` (with this print's time), or ``build()`` to be stored."""
        stored = self._stored.get(key) or self._new.get(key)
        if stored is not None:
            content = content_from_json(cls, stored.content)
            head = dataclasses.replace(content.head, generated_at=generated_at)
            return dataclasses.replace(content, head=head)
        content = build()
        data = content_to_json(content)
        data["head"]["generated_at"] = None  # the print time is not part of the notice
        self._new[key] = IssuedNotice(
            key=key,
            kind=kind,
            application=application,
            review=review,
            number=content.head.number,
            content=data,
            content_sha256=_digest(data),
        )
        return content

    def save(self, *, actor: User) -> None:
        """Store the notices issued by this rendering (after the PDF was made)."""
        for notice in self._new.values():
            notice.issued_by = actor if getattr(actor, "pk", None) else None
        IssuedNotice.objects.bulk_create(self._new.values(), ignore_conflicts=True)
        self._stored.update(self._new)
        self._new = {}


def case_key(kind: str, application: Application) -> str:
    return f"{kind}:{application.pk}"


def review_key(review: ReviewSchedule) -> str:
    return f"review:{review.pk}"
