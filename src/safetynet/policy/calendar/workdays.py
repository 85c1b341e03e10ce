"""Working days in China: statutory holidays and adjusted working weekends.

The `chinese-calendar` package carries the State Council's schedules for 2004–2026. Later years
(and corrections) come from the holiday table an administrator keeps (``CalendarDay``); a row
there always wins over the package. A year counts as covered when the package has it or an
administrator has declared its table complete (``CalendarYear``); in an uncovered year the
answer falls back to Monday–Friday and says so (see ``coverage_warnings``), it never fails.

"Within N working days of D" is the N-th working day after D (D itself never counts), see
docs/adr/0006-working-days.md. The deadline code calls these functions for every case of a work
queue, so each year is compiled once into a sorted tuple of working-day ordinals and kept in
a process-wide cache (see ``_snapshot`` for how edits made elsewhere reach it).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from chinese_calendar.constants import holidays as PACKAGE_HOLIDAYS
from chinese_calendar.constants import workdays as PACKAGE_WORKDAYS

from safetynet.policy.models import CalendarDay, CalendarYear

PACKAGE_FIRST_YEAR = min(PACKAGE_HOLIDAYS).year
PACKAGE_LAST_YEAR = max(PACKAGE_HOLIDAYS).year

# Deadlines are counted in days or weeks; a bound keeps a mistyped count from compiling
# thousands of years into the cache.
MAX_WORKING_DAYS = 10_000

# The package names its holidays in English.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}

WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


class Coverage(StrEnum):
    PACKAGE = "package"  # the chinese-calendar package has the year
    TABLE = "table"  # an administrator declared the year's table complete
    NONE = "none"  # Monday–Friday, plus whatever rows the table has


class DaySource(StrEnum):
    PACKAGE = "package"
    TABLE = "table"


def uncovered_warning(year: int) -> str:
    return f"{year} 年节假日安排尚未录入，按周末推算"


def uncovered_warning_span(first: int, last: int) -> str:
    return f"{first}—{last} 年节假日安排尚未录入，按周末推算"


# --- the compiled calendar ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Year:
    year: int
    covered: bool
    first_ordinal: int
    flags: bytes  # one byte per day of the year, 1 = working day
    working: tuple[int, ...]  # ordinals of the working days, ascending


@dataclass(frozen=True)
class _Table:
    """What the administrator's table says, compared whole to notice edits from anywhere."""

    overrides: dict[dt.date, bool]
    declared: frozenset[int]


@dataclass
class _Snapshot:
    table: _Table
    checked_at: float
    years: dict[int, _Year] = field(default_factory=dict)


def _package_is_working(day: dt.date) -> bool:
    if day in PACKAGE_WORKDAYS:
        return True
    return day.weekday() < 5 and day not in PACKAGE_HOLIDAYS


def _compile(year: int, table: _Table) -> _Year:
    first = dt.date(year, 1, 1).toordinal()
    last = dt.date(year, 12, 31).toordinal()
    in_package = PACKAGE_FIRST_YEAR <= year <= PACKAGE_LAST_YEAR
    flags = bytearray(last - first + 1)
    for ordinal in range(first, last + 1):
        day = dt.date.fromordinal(ordinal)
        override = table.overrides.get(day)
        if override is not None:
            working = override
        elif in_package:
            working = _package_is_working(day)
        else:
            working = day.weekday() < 5
        flags[ordinal - first] = working
    return _Year(
        year=year,
        covered=in_package or year in table.declared,
        first_ordinal=first,
        flags=bytes(flags),
        working=tuple(first + i for i, f in enumerate(flags) if f),
    )


# Cache invalidation across processes. Every process (web workers, the CLI, background commands)
# keeps its own compiled years. At most once per RECHECK_SECONDS a process re-reads the whole
# holiday table and the declared years (two small queries: a few dozen rows a year) and drops its
# compiled years when anything differs. Comparing the contents rather than a version stamp such
# as Count/Max(created_at) also catches edits that keep those unchanged (an in-place edit in the
# Django admin, a row deleted and another added), and needs no shared cache server: the default
# cache backend is per process, so Django's cache framework would not reach other workers.
# The services below also drop this process's cache at once, so an editor sees the effect on
# the next page. Tests that count queries call ``refresh()`` first; tests that write calendar rows
# call ``cache_clear()`` before and after (the rows vanish with the test's transaction).
RECHECK_SECONDS = 1.0
_clock: Callable[[], float] = time.monotonic
_lock = threading.Lock()
_snapshot_state: _Snapshot | None = None


def _read_table() -> _Table:
    return _Table(
        overrides=dict(CalendarDay.objects.values_list("date", "is_working_day")),
        declared=frozenset(CalendarYear.objects.values_list("year", flat=True)),
    )


def _snapshot() -> _Snapshot:
    global _snapshot_state
    state = _snapshot_state
    now = _clock()
    if state is not None and now - state.checked_at < RECHECK_SECONDS:
        return state
    table = _read_table()
    with _lock:
        if state is not None and state.table == table and _snapshot_state is state:
            state.checked_at = now
            return state
        state = _Snapshot(table=table, checked_at=now)
        _snapshot_state = state
        return state


def _year(year: int, snapshot: _Snapshot | None = None) -> _Year:
    snapshot = snapshot or _snapshot()
    compiled = snapshot.years.get(year)
    if compiled is None:
        if not dt.MINYEAR <= year <= dt.MAXYEAR:
            raise ValueError("日期超出可计算范围")
        compiled = _compile(year, snapshot.table)
        # A plain dict assignment: two threads compiling the same year store equal values.
        snapshot.years[year] = compiled
    return compiled


def cache_clear() -> None:
    """Forget the compiled calendar; the next call reads the table again."""
    global _snapshot_state
    with _lock:
        _snapshot_state = None


def refresh() -> None:
    """Read the table now, so that no re-check falls due within the next second."""
    cache_clear()
    _snapshot()


# --- the public functions ----------------------------------------------------------------------


def is_working_day(day: dt.date) -> bool:
    compiled = _year(day.year)
    return bool(compiled.flags[day.toordinal() - compiled.first_ordinal])


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The n-th working day after ``start`` (``start`` itself never counts); n = 0 is ``start``.

    A negative n gives the |n|-th working day before ``start``.
    """
    if abs(n) > MAX_WORKING_DAYS:
        raise ValueError(f"工作日数不能超过 {MAX_WORKING_DAYS}")
    if n == 0:
        return start
    snapshot = _snapshot()
    ordinal = start.toordinal()
    year = start.year
    compiled = _year(year, snapshot)
    remaining = abs(n)
    if n > 0:
        index = bisect_right(compiled.working, ordinal)
        while remaining > len(compiled.working) - index:
            remaining -= len(compiled.working) - index
            year += 1
            compiled = _year(year, snapshot)
            index = 0
        return dt.date.fromordinal(compiled.working[index + remaining - 1])
    before = bisect_left(compiled.working, ordinal)
    while remaining > before:
        remaining -= before
        year -= 1
        compiled = _year(year, snapshot)
        before = len(compiled.working)
    return dt.date.fromordinal(compiled.working[before - remaining])


def _count(after: int, through: int, snapshot: _Snapshot) -> int:
    """Working days with ordinal in (after, through], after ≤ through."""
    total = 0
    first_year = dt.date.fromordinal(after + 1).year
    last_year = dt.date.fromordinal(through).year
    for year in range(first_year, last_year + 1):
        working = _year(year, snapshot).working
        total += bisect_right(working, through) - bisect_right(working, after)
    return total


def working_days_between(a: dt.date, b: dt.date) -> int:
    """Working-day steps from ``a`` to ``b``: the working days d with a < d ≤ b, or, when b is
    before a, minus the working days d with b ≤ d < a.

    So ``working_days_between(d, add_working_days(d, n)) == n`` for every n, and the days left
    to a due date read as a negative count of working days overdue once it has passed (due on
    a Friday, seen on the Saturday: −1).
    """
    if a == b:
        return 0
    snapshot = _snapshot()
    if a < b:
        return _count(a.toordinal(), b.toordinal(), snapshot)
    return -_count(b.toordinal() - 1, a.toordinal() - 1, snapshot)


def is_year_covered(year: int) -> bool:
    return _year(year).covered


def uncovered_years(a: dt.date, b: dt.date) -> list[int]:
    """Years from ``a`` to ``b`` (either order) whose schedule is unknown to the platform."""
    low, high = sorted((a.year, b.year))
    snapshot = _snapshot()
    return [y for y in range(low, high + 1) if not _year(y, snapshot).covered]


def coverage_warnings(a: dt.date, b: dt.date) -> tuple[str, ...]:
    """One warning per run of consecutive uncovered years ("2027—2029 年…")."""
    runs: list[list[int]] = []
    for year in uncovered_years(a, b):
        if runs and runs[-1][1] == year - 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return tuple(
        uncovered_warning(first) if first == last else uncovered_warning_span(first, last)
        for first, last in runs
    )


@dataclass(frozen=True)
class DueDate:
    """``due`` is the ``working_days``-th working day after ``start``, with the reasons to doubt
    it (years in between whose schedule has not been entered)."""

    start: dt.date
    working_days: int
    due: dt.date
    warnings: tuple[str, ...]

    @property
    def is_before(self) -> bool:
        return self.working_days < 0

    @property
    def distance(self) -> int:
        return abs(self.working_days)


@dataclass(frozen=True)
class WorkingDayCount:
    start: dt.date
    end: dt.date
    count: int
    warnings: tuple[str, ...]


def due_date(start: dt.date, n: int) -> DueDate:
    due = add_working_days(start, n)
    return DueDate(start=start, working_days=n, due=due, warnings=coverage_warnings(start, due))


def count_working_days(a: dt.date, b: dt.date) -> WorkingDayCount:
    return WorkingDayCount(
        start=a, end=b, count=working_days_between(a, b), warnings=coverage_warnings(a, b)
    )


# --- one year's schedule, for the calendar page and `safetynet workdays year` ------------------


@dataclass(frozen=True)
class ScheduleDay:
    date: dt.date
    is_working_day: bool
    name: str
    source: DaySource
    note: str = ""
    # For a table row: what the package says about the date (None outside the package's years
    # or when the package has no entry, i.e. an ordinary weekday or weekend).
    package_is_working_day: bool | None = None

    @property
    def weekday_name(self) -> str:
        return WEEKDAY_NAMES[self.date.weekday()]

    @property
    def is_weekend(self) -> bool:
        return self.date.weekday() >= 5


@dataclass(frozen=True)
class YearSchedule:
    year: int
    coverage: Coverage
    source: str  # the notice a declared year was entered from
    days: tuple[ScheduleDay, ...]  # holidays and adjusted working days, by date
    working_day_count: int

    @property
    def warning(self) -> str:
        return uncovered_warning(self.year) if self.coverage == Coverage.NONE else ""

    @property
    def holidays(self) -> tuple[ScheduleDay, ...]:
        return tuple(d for d in self.days if not d.is_working_day)

    @property
    def adjusted_working_days(self) -> tuple[ScheduleDay, ...]:
        return tuple(d for d in self.days if d.is_working_day)


def _package_entry(day: dt.date) -> tuple[bool, str] | None:
    if day in PACKAGE_WORKDAYS:
        return True, HOLIDAY_NAMES.get(PACKAGE_WORKDAYS[day], PACKAGE_WORKDAYS[day])
    if day in PACKAGE_HOLIDAYS:
        return False, HOLIDAY_NAMES.get(PACKAGE_HOLIDAYS[day], PACKAGE_HOLIDAYS[day])
    return None


def package_days(year: int) -> tuple[ScheduleDay, ...]:
    """The package's holidays and adjusted working days of a year (none outside its years)."""
    days = []
    for day in sorted(d for d in {*PACKAGE_HOLIDAYS, *PACKAGE_WORKDAYS} if d.year == year):
        entry = _package_entry(day)
        assert entry is not None
        days.append(
            ScheduleDay(date=day, is_working_day=entry[0], name=entry[1], source=DaySource.PACKAGE)
        )
    return tuple(days)


def year_schedule(year: int) -> YearSchedule:
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise ValueError("年份超出范围")
    days = {d.date: d for d in package_days(year)}
    for row in CalendarDay.objects.filter(
        date__gte=dt.date(year, 1, 1), date__lte=dt.date(year, 12, 31)
    ):
        entry = _package_entry(row.date)
        days[row.date] = ScheduleDay(
            date=row.date,
            is_working_day=row.is_working_day,
            name=row.name,
            source=DaySource.TABLE,
            note=row.note,
            package_is_working_day=entry[0] if entry else None,
        )
    declared = CalendarYear.objects.filter(year=year).first()
    if PACKAGE_FIRST_YEAR <= year <= PACKAGE_LAST_YEAR:
        coverage = Coverage.PACKAGE
    elif declared is not None:
        coverage = Coverage.TABLE
    else:
        coverage = Coverage.NONE
    return YearSchedule(
        year=year,
        coverage=coverage,
        source=declared.source if declared else "",
        days=tuple(days[d] for d in sorted(days)),
        working_day_count=len(_year(year).working),
    )
