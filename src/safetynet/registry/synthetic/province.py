"""`safetynet seed --province`: a whole province's low-income register in minutes (issue 15).

Households are spread over every county in proportion to its real villages and made by the
same ``HouseholdGenerator`` as ``seed --county``, one generator per county seeded from
(seed, county), so the register is the same for the same arguments whatever the number of
workers. Categories are drawn to the shares of a low-income database (``shares``). Worker
processes generate the counties and write PostgreSQL COPY text; the parent streams it with
``cursor.copy`` into the tables inside one transaction, with the tables' secondary indexes and
unique constraints dropped during the load and rebuilt after it (then ANALYZE), and foreign-key
triggers off (``session_replication_role = replica``; the rows are made consistent here).

Primary keys are reserved county by county, largest county first (then by code), through a
turnstile between the workers, so the ids are the same in every run too; largest first because a
worker that has generated a county waits for the county before it to reserve its ids, and
neighbours of like size keep that wait short (and no large county is left alone at the end).
ID numbers are encrypted and blind-indexed exactly as the registry does it
(``identity.protect_many``), in batches.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from pypinyin.constants import PHRASES_DICT

from safetynet.audit.models import Action
from safetynet.audit.services import audit_record
from safetynet.regions.codes import prefix_bounds
from safetynet.regions.models import Level, Region
from safetynet.registry import identity, keyring
from safetynet.registry.choices import MEMBER_CATEGORIES, Residence
from safetynet.registry.inputs import HouseholdInput
from safetynet.registry.models import (
    Asset,
    CategoryStatus,
    Household,
    Income,
    LegalSupporter,
    Membership,
    Person,
    RelapseWatchStatus,
    RigidExpenditure,
)
from safetynet.registry.names import name_initials, name_pinyin
from safetynet.registry.relations import HEAD
from safetynet.registry.synthetic.families import HouseholdGenerator, Village
from safetynet.registry.synthetic.seed import SeedError, county_villages
from safetynet.registry.synthetic.shares import province_status
from safetynet.registry.synthetic.vocabulary import AS_OF

# The tables in load order, and their columns as COPY writes them.
TABLES: list[tuple[str, type[Any], list[str]]] = [
    (
        "households",
        Household,
        [
            "id",
            "region_id",
            "residence",
            "address",
            "phone",
            "head_id",
            "category",
            "relapse_watch",
            "member_count",
            "created_by_id",
            "created_at",
            "updated_at",
        ],
    ),
    (
        "persons",
        Person,
        [
            "id",
            "region_id",
            "id_number_encrypted",
            "id_number_hash",
            "id_number_masked",
            "id_tail4_hash",
            "id_tail5_hash",
            "id_tail6_hash",
            "id_index_kid",
            "name",
            "name_pinyin",
            "name_initials",
            "sex",
            "birth_date",
            "phone",
            "disability_type",
            "disability_grade",
            "health_status",
            "illness_name",
            "labour_capacity",
            "school_stage",
            "legal_status",
            "other_inability",
            "created_at",
            "updated_at",
        ],
    ),
    (
        "memberships",
        Membership,
        ["id", "household_id", "person_id", "relation", "co_resident", "joined_on", "left_reason"],
    ),
    (
        "incomes",
        Income,
        ["id", "household_id", "person_id", "kind", "monthly_amount", "description"],
    ),
    (
        "assets",
        Asset,
        [
            "id",
            "household_id",
            "person_id",
            "kind",
            "value",
            "description",
            "for_disability",
            "area_m2",
        ],
    ),
    (
        "expenditures",
        RigidExpenditure,
        ["id", "household_id", "person_id", "kind", "amount", "incurred_on", "description"],
    ),
    (
        "supporters",
        LegalSupporter,
        [
            "id",
            "household_id",
            "supported_person_id",
            "name",
            "id_number_encrypted",
            "id_number_hash",
            "id_number_masked",
            "relation",
            "able_to_support",
            "note",
            "created_at",
            "updated_at",
        ],
    ),
    (
        "categories",
        CategoryStatus,
        [
            "id",
            "household_id",
            "person_id",
            "category",
            "effective_from",
            "reason",
            "decided_by_id",
            "created_at",
        ],
    ),
    (
        "watches",
        RelapseWatchStatus,
        [
            "id",
            "household_id",
            "watch_type",
            "effective_from",
            "reason",
            "decided_by_id",
            "created_at",
        ],
    ),
]
TABLE_NAMES = [name for name, _, _ in TABLES]
CATEGORY_REASON = "原救助名册导入（合成数据）"
WATCH_REASON = "防止返贫监测对象名册导入（合成数据）"
N = "\\N"


@dataclass(frozen=True)
class Shard:
    index: int
    county_code: str
    county_name: str
    households: int
    villages: list[Village]


@dataclass
class ProvinceResult:
    created: int = 0
    skipped: int = 0
    persons: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    categories: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    work: str = ""


def province_plan(*, province_code: str, count: int) -> list[Shard]:
    """Every county of the province with villages, and how many of ``count`` households it
    gets: in proportion to its villages (largest remainders), in code order."""
    province = Region.objects.filter(code=province_code[:2].ljust(12, "0")).first()
    if province is None or province.level != Level.PROVINCE:
        raise SeedError(f"省级区划 {province_code} 不存在")
    counties = list(
        Region.objects.filter(code__startswith=province.code[:2], level=Level.COUNTY).order_by(
            "code"
        )
    )
    places: list[tuple[Region, list[Village]]] = []
    for county in counties:
        try:
            villages = county_villages(county=county)
        except SeedError:
            continue  # a county-level unit without villages (some 市辖区 codes)
        places.append((county, villages))
    if not places:
        raise SeedError(f"{province.name}下没有村(居)委会，无法生成家庭")
    total = sum(len(v) for _, v in places)
    exact = [count * len(v) / total for _, v in places]
    shares = [int(x) for x in exact]
    for i in sorted(range(len(places)), key=lambda i: (shares[i] - exact[i], i))[
        : count - sum(shares)
    ]:
        shares[i] += 1
    chosen = [(c, v, n) for (c, v), n in zip(places, shares, strict=True) if n > 0]
    return [
        Shard(index=i, county_code=c.code, county_name=c.name, households=n, villages=v)
        for i, (c, v, n) in enumerate(chosen)
    ]


# --- worker side ------------------------------------------------------------------------------

_state: dict[str, Any] = {}


def _worker_init(turn: Any, cond: Any, counters: Any, context: dict[str, Any]) -> None:
    _state.update(turn=turn, cond=cond, counters=counters, pinyin={}, chars={}, **context)


def _reserve(index: int, counts: list[int]) -> list[int]:
    """The first id of each table for this shard, once every earlier shard has reserved."""
    turn, cond, counters = _state["turn"], _state["cond"], _state["counters"]
    with cond:
        if not cond.wait_for(lambda: turn.value == index, timeout=1800):
            raise RuntimeError(f"shard {index}: an earlier shard never reserved its ids")
        bases = [counters[i] for i in range(len(counts))]
        for i, n in enumerate(counts):
            counters[i] += n
        turn.value = index + 1
        cond.notify_all()
    return bases


def _char(char: str) -> tuple[str, str]:
    """A character's ``name_pinyin`` and ``name_initials`` on its own, cached."""
    chars: dict[str, tuple[str, str]] = _state["chars"]
    found = chars.get(char)
    if found is None:
        found = chars[char] = (name_pinyin(char), name_initials(char))
    return found


def _names(name: str) -> tuple[str, str]:
    """``name_pinyin`` and ``name_initials`` of a name, cached. pypinyin reads a run of
    characters as a phrase only when the run is in its phrase dictionary; a name none of whose
    runs of two or more characters is a phrase reads character by character, so its forms are
    joined from its characters' (the first reading of a heteronym, as pypinyin takes it);
    a name holding a phrase (周长 is zhouchang) is converted whole."""
    cache: dict[str, tuple[str, str]] = _state["pinyin"]
    found = cache.get(name)
    if found is None:
        size = len(name)
        if any(name[i:j] in PHRASES_DICT for i in range(size - 1) for j in range(i + 2, size + 1)):
            found = (name_pinyin(name), name_initials(name))
        else:
            parts = [_char(c) for c in name]
            found = ("".join(p[0] for p in parts), "".join(p[1] for p in parts))
        cache[name] = found
    return found


def _days_back(rng: random.Random, as_of: dt.date, lo: int, hi: int) -> dt.date:
    return as_of - dt.timedelta(days=rng.randint(lo, hi))


def shard_rows(
    shard: Shard,
) -> tuple[int, dict[str, bytes], dict[str, int], dict[str, int], tuple[float, float]]:
    """Generate one county and write its COPY text (run in a worker process); also returns the
    seconds spent generating and formatting."""
    clock = time.perf_counter()
    try:
        as_of: dt.date = _state["as_of"]
        seed = _state["seed"]
        generator = HouseholdGenerator(
            county_code=shard.county_code,
            villages=shard.villages,
            seed=f"{seed}-{shard.county_code}",  # type: ignore[arg-type]
            as_of=as_of,
        )
        status_rng = random.Random(f"{seed}-{shard.county_code}-status")
        households: list[HouseholdInput] = []
        drawn: list[tuple[str, list[int]]] = []
        for _ in range(shard.households):
            household = generator.household()
            drawn.append(province_status(status_rng, generator.last_kind, household))
            households.append(household)
        counts = [
            len(households),
            sum(len(h.members) for h in households),
            sum(len(h.members) for h in households),
            sum(1 for h in households for m in h.members for i in m.incomes if i.monthly_amount),
            sum(len(h.assets) for h in households),
            sum(len(h.expenditures) for h in households),
            sum(len(h.supporters) for h in households),
            sum(
                (1 if h.category else 0) + len(d[1]) for h, d in zip(households, drawn, strict=True)
            ),
            sum(1 for h in households if h.relapse_watch),
        ]
    except BaseException:
        _reserve(shard.index, [0] * len(TABLES))  # let the next shards go on to fail or finish
        raise
    generated = time.perf_counter()
    bases = _reserve(shard.index, counts)
    formatting = time.perf_counter()
    blocks = _format(shard, households, drawn, bases, status_rng)
    return (
        shard.index,
        blocks,
        dict(zip(TABLE_NAMES, counts, strict=True)),
        _category_counts(households, drawn),
        (generated - clock, time.perf_counter() - formatting),
    )


def _category_counts(
    households: list[HouseholdInput], drawn: list[tuple[str, list[int]]]
) -> dict[str, int]:
    result: dict[str, int] = {}
    for household, (category, members) in zip(households, drawn, strict=True):
        key = category or "none"
        result[key] = result.get(key, 0) + (len(members) if category in MEMBER_CATEGORIES else 1)
        if household.relapse_watch:
            result["relapse_watch"] = result.get("relapse_watch", 0) + 1
    return result


def _null(value: object) -> object:
    return N if value is None else value


def _bool(value: bool) -> str:
    return "t" if value else "f"


def _format(
    shard: Shard,
    households: list[HouseholdInput],
    drawn: list[tuple[str, list[int]]],
    bases: list[int],
    rng: random.Random,
) -> dict[str, bytes]:
    """The shard's rows as COPY text, one f-string per row (the hot loop of the load: a
    generic value-to-text call per column cost as much as generating the households). No
    generated text holds a tab, newline or backslash, so nothing needs escaping."""
    as_of: dt.date = _state["as_of"]
    now: str = _state["now"]
    actor = _null(_state["actor"])
    kid: str = _state["kid"]
    h_id, p_id, m_id, i_id, a_id, e_id, s_id, c_id, w_id = bases
    out: dict[str, list[str]] = {name: [] for name in TABLE_NAMES}
    persons, memberships, incomes = out["persons"], out["memberships"], out["incomes"]
    numbers = [m.id_number for h in households for m in h.members]
    protected = iter(identity.protect_many(numbers))
    away = [s.id_number for h in households for s in h.supporters if s.id_number]
    away_protected = iter(identity.protect_many(away))
    joined = as_of.isoformat()
    for household, (category, holders) in zip(households, drawn, strict=True):
        household_id = h_id
        h_id += 1
        person_ids: list[int] = []
        by_number: dict[str, int] = {}
        head_id: object = N
        co_resident = 0
        for member in household.members:
            person_id = p_id
            p_id += 1
            person_ids.append(person_id)
            number = member.id_number
            by_number[number] = person_id
            if member.relation == HEAD:
                head_id = person_id
            if member.co_resident:
                co_resident += 1
            p = next(protected)
            pinyin, initials = _names(member.name)
            grade = _null(member.disability_grade) if member.disability_type else N
            persons.append(
                f"{person_id}\t{household.region_code}\t{p.encrypted}\t{p.hash}\t{p.masked}\t"
                f"{p.tail4}\t{p.tail5}\t{p.tail6}\t{kid}\t{member.name}\t{pinyin}\t{initials}\t"
                f"{'male' if int(number[16]) % 2 else 'female'}\t"
                f"{number[6:10]}-{number[10:12]}-{number[12:14]}\t{member.phone}\t"
                f"{member.disability_type}\t{grade}\t{member.health_status}\t"
                f"{member.illness_name}\t{member.labour_capacity}\t{member.school_stage}\t"
                f"{member.legal_status}\t{member.other_inability}\t{now}\t{now}\n"
            )
            memberships.append(
                f"{m_id}\t{household_id}\t{person_id}\t{member.relation}\tt\t{joined}\t\n"
            )
            m_id += 1
            for income in member.incomes:
                if not income.monthly_amount:
                    continue
                incomes.append(
                    f"{i_id}\t{household_id}\t{person_id}\t{income.kind}\t"
                    f"{income.monthly_amount}\t{income.description}\n"
                )
                i_id += 1
        out["households"].append(
            f"{household_id}\t{household.region_code}\t"
            f"{household.residence or Residence.RURAL}\t{household.address}\t"
            f"{household.phone}\t{head_id}\t{household.category}\t{household.relapse_watch}\t"
            f"{co_resident}\t{actor}\t{now}\t{now}\n"
        )
        for asset in household.assets:
            out["assets"].append(
                f"{a_id}\t{household_id}\t{_null(by_number.get(asset.owner_id_number))}\t"
                f"{asset.kind}\t{asset.value}\t{asset.description}\t"
                f"{_bool(asset.for_disability)}\t{_null(asset.area_m2)}\n"
            )
            a_id += 1
        for spending in household.expenditures:
            out["expenditures"].append(
                f"{e_id}\t{household_id}\t{_null(by_number.get(spending.person_id_number))}\t"
                f"{spending.kind}\t{spending.amount}\t{spending.incurred_on}\t"
                f"{spending.description}\n"
            )
            e_id += 1
        for supporter in household.supporters:
            s = next(away_protected) if supporter.id_number else None
            out["supporters"].append(
                f"{s_id}\t{household_id}\t"
                f"{_null(by_number.get(supporter.supported_id_number))}\t{supporter.name}\t"
                f"{s.encrypted if s else ''}\t{s.hash if s else ''}\t{s.masked if s else ''}\t"
                f"{supporter.relation}\t{_bool(supporter.able_to_support)}\t{supporter.note}\t"
                f"{now}\t{now}\n"
            )
            s_id += 1
        if category:
            # Registered between a month and six years before the as-of date.
            since = _days_back(rng, as_of, 30, 6 * 365)
            holders_ids: list[object] = (
                [person_ids[i] for i in holders] if category in MEMBER_CATEGORIES else [N]
            )
            for holder in holders_ids:
                out["categories"].append(
                    f"{c_id}\t{household_id}\t{holder}\t{category}\t{since}\t"
                    f"{CATEGORY_REASON}\t{actor}\t{now}\n"
                )
                c_id += 1
        if household.relapse_watch:
            since = _days_back(rng, as_of, 30, 3 * 365)
            out["watches"].append(
                f"{w_id}\t{household_id}\t{household.relapse_watch}\t{since}\t"
                f"{WATCH_REASON}\t{actor}\t{now}\n"
            )
            w_id += 1
    return {name: "".join(lines).encode() for name, lines in out.items()}


# --- parent side ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rebuild:
    table: str
    name: str
    sql: str


def _drop_secondary(cursor: Any, tables: list[str]) -> list[_Rebuild]:
    """Drop the tables' unique constraints and non-primary indexes; return how to rebuild."""
    cursor.execute(
        """
        SELECT t.relname, i.relname, pg_get_indexdef(i.oid), c.conname, pg_get_constraintdef(c.oid)
          FROM pg_index x
          JOIN pg_class i ON i.oid = x.indexrelid
          JOIN pg_class t ON t.oid = x.indrelid
          LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.contype = 'u'
         WHERE t.relname = ANY(%s) AND NOT x.indisprimary
           AND t.relnamespace = 'public'::regnamespace
         ORDER BY t.relname, i.relname
        """,
        [tables],
    )
    rebuilds = []
    for table, index, indexdef, constraint, condef in cursor.fetchall():
        if constraint:
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{constraint}"')
            sql = f'ALTER TABLE "{table}" ADD CONSTRAINT "{constraint}" {condef}'
            rebuilds.append(_Rebuild(table, constraint, sql))
        else:
            cursor.execute(f'DROP INDEX "{index}"')
            rebuilds.append(_Rebuild(table, index, indexdef))
    return rebuilds


class _InProcess:
    """The shards made in this process, one after another, where forking is unsafe: a fork
    copies only the calling thread, so a lock another thread held at that moment (a live server
    in the tests, a web server) stays locked in the child and can hang it. A console run has
    no other thread and uses the pool."""

    def __init__(self, initargs: tuple[Any, ...]) -> None:
        _worker_init(*initargs)

    def imap(self, fn: Callable[[Shard], Any], items: list[Shard], chunksize: int = 1) -> Any:
        return map(fn, items)

    def __enter__(self) -> _InProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def _chunks(pool: Any, shards: list[Shard]) -> Iterator[Any]:
    yield from pool.imap(shard_rows, shards, chunksize=1)


def province_seed(
    *,
    actor: Any,
    province_code: str,
    count: int,
    seed: int,
    workers: int = 2,
    as_of: dt.date = AS_OF,
    progress: Callable[[str], None] | None = None,
    today: dt.date | None = None,
    with_work: bool = True,
    stop_after: float | None = None,
) -> ProvinceResult:
    """Load ``count`` synthetic households over the province (see the module docstring); the
    province's cases and reviews (``SEED_PROVINCE_WORK``) follow in the same transaction once
    the last county is loaded. Counties that already have households are skipped (``skipped``
    counts their planned households), so a run stopped by ``stop_after`` (seconds: no new
    county is taken after it) or interrupted is finished by running it again."""
    say = progress or (lambda line: None)
    if connection.vendor != "postgresql":
        raise SeedError("--province 只支持 PostgreSQL（使用 COPY 批量装载）；SQLite 请用 --county")
    if count < 1:
        raise SeedError("家庭数至少为 1")
    if workers < 1:
        raise SeedError("--workers 至少为 1")
    started = time.perf_counter()
    prefix = province_code[:2]
    lo, hi = prefix_bounds(prefix)
    plan = province_plan(province_code=province_code, count=count)
    with connection.cursor() as cursor:
        # Counties loaded by an earlier run (a county is loaded whole or not at all).
        cursor.execute(
            f'SELECT DISTINCT left(region_id, 6) FROM "{Household._meta.db_table}" '
            "WHERE region_id BETWEEN %s AND %s",
            [lo, hi],
        )
        present = {row[0] for row in cursor.fetchall()}
    todo = [s for s in plan if s.county_code[:6] not in present]
    result = ProvinceResult(skipped=sum(s.households for s in plan if s not in todo))
    if not todo:
        say("every county of the plan already has households: nothing loaded")
        result.seconds = time.perf_counter() - started
        return result
    shards = [
        Shard(
            index=i,
            county_code=s.county_code,
            county_name=s.county_name,
            households=s.households,
            villages=s.villages,
        )
        for i, s in enumerate(sorted(todo, key=lambda s: (-s.households, s.county_code)))
    ]
    say(
        f"plan: {count} households over {len(plan)} counties, {len(shards)} to load"
        f"{f' (stop after {stop_after:.0f} s)' if stop_after else ''}, {workers} workers"
    )
    models = {name: model for name, model, _ in TABLES}
    columns = {name: cols for name, _, cols in TABLES}
    db_tables = [model._meta.db_table for _, model, _ in TABLES]
    ctx = multiprocessing.get_context("fork")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser')")
        superuser = cursor.fetchone()[0] == "on"
        if superuser:
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        cursor.execute("SET LOCAL synchronous_commit = off")
        rebuilds = _drop_secondary(cursor, db_tables)
        say(f"dropped {len(rebuilds)} secondary indexes and unique constraints for the load")
        first_ids = []
        for name in TABLE_NAMES:
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{models[name]._meta.db_table}"')
            first_ids.append(cursor.fetchone()[0])
        context = {
            "as_of": as_of,
            "seed": seed,
            "now": timezone.now().isoformat(),
            "actor": getattr(actor, "pk", None),
            "kid": keyring.current_index_key().kid,
        }
        turn = ctx.Value("q", 0)
        cond = ctx.Condition()
        counters = ctx.Array("q", first_ids)
        raw = cursor.connection  # psycopg's connection under Django's wrapper
        done = 0
        loaded_all = False
        generating = formatting = copying = 0.0
        initargs = (turn, cond, counters, context)
        makers: Any = (
            ctx.Pool(workers, initializer=_worker_init, initargs=initargs)
            if threading.active_count() == 1
            else _InProcess(initargs)
        )
        with makers as pool:
            for _index, blocks, counts, categories, spent in _chunks(pool, shards):
                if stop_after and time.perf_counter() - started > stop_after:
                    say(f"stopping after {_index} counties: run again to load the rest")
                    break
                loaded_all = _index == len(shards) - 1
                step = time.perf_counter()
                with raw.cursor() as copier:
                    for name in TABLE_NAMES:
                        if not blocks[name]:
                            continue
                        table = models[name]._meta.db_table
                        cols = ", ".join(f'"{c}"' for c in columns[name])
                        with copier.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
                            copy.write(blocks[name])
                copying += time.perf_counter() - step
                generating += spent[0]
                formatting += spent[1]
                for name, n in counts.items():
                    result.rows[name] = result.rows.get(name, 0) + n
                for name, n in categories.items():
                    result.categories[name] = result.categories.get(name, 0) + n
                done += counts["households"]
                shard = shards[_index]
                say(
                    f"[{_index + 1}/{len(shards)}] {shard.county_code[:6]} {shard.county_name}: "
                    f"{counts['households']} households, {counts['persons']} persons; "
                    f"{done}/{count} in {time.perf_counter() - started:.0f} s"
                )
        say(
            f"loaded in {time.perf_counter() - started:.0f} s: workers generated "
            f"{generating:.0f} s and wrote rows {formatting:.0f} s (CPU over {workers}), "
            f"COPY {copying:.0f} s"
        )
        rebuilding = time.perf_counter()
        for table in db_tables:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f'COALESCE((SELECT MAX(id) FROM "{table}"), 1))'
            )
        for rebuild in rebuilds:
            step = time.perf_counter()
            cursor.execute(rebuild.sql)
            say(f"rebuilt {rebuild.name} in {time.perf_counter() - step:.1f} s")
        for table in db_tables:
            cursor.execute(f'ANALYZE "{table}"')
        say(
            f"indexes rebuilt and tables analysed in {time.perf_counter() - rebuilding:.0f} s "
            f"({time.perf_counter() - started:.0f} s in all)"
        )
        result.created = result.rows.get("households", 0)
        result.persons = result.rows.get("persons", 0)
        if with_work and loaded_all and settings.SEED_PROVINCE_WORK:
            # Still without foreign-key triggers: the work selects its rows from the loaded
            # ones, and with them on each of its million rows queued a deferred check that
            # the commit then ran (50 s at 2,000,000 households).
            work = import_string(settings.SEED_PROVINCE_WORK)(
                province_code=province_code, actor=actor, today=today
            )
            result.work = work
            say(f"{work} in {time.perf_counter() - started:.0f} s")
        if superuser:
            cursor.execute("SET LOCAL session_replication_role = origin")
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="household",
            region_code=prefix.ljust(12, "0"),
            summary=f"生成合成数据：全省新建 {result.created} 户 {result.persons} 人",
            detail={
                "province": prefix.ljust(12, "0"),
                "households": count,
                "seed": seed,
                "as_of": as_of.isoformat(),
                "created": result.created,
                "persons": result.persons,
                "categories": result.categories,
            },
        )
    result.seconds = time.perf_counter() - started
    return result


__all__ = ["ProvinceResult", "Shard", "province_plan", "province_seed"]
