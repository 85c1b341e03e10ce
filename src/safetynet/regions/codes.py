"""Pure helpers on 12-digit region codes; no database access."""

from __future__ import annotations

CODE_LENGTH = 12


def prefix_bounds(prefix: str) -> tuple[str, str]:
    """The inclusive range of 12-digit codes that start with ``prefix``.

    A range on the plain B-tree index serves a prefix match on PostgreSQL under any collation and
    on SQLite alike, where ``LIKE 'prefix%'`` would need a pattern-ops index on PostgreSQL.
    """
    if not prefix.isdigit() or len(prefix) > CODE_LENGTH:
        raise ValueError(f"not a region code prefix: {prefix!r}")
    return prefix.ljust(CODE_LENGTH, "0"), prefix.ljust(CODE_LENGTH, "9")


def normalise_code(raw: str) -> str:
    """Accept 2/4/6/9/12-digit codes as typed by users and return the 12-digit form."""
    code = raw.strip()
    if not code.isdigit() or len(code) not in (2, 4, 6, 9, 12):
        raise ValueError(f"区划代码应为 2、4、6、9 或 12 位数字：{raw!r}")
    return code.ljust(CODE_LENGTH, "0")
