"""Writing synthetic households: which county and villages, and the one audited seed action."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction

from safetynet.audit.models import Action
from safetynet.audit.services import audit_record
from safetynet.regions.codes import prefix_bounds
from safetynet.regions.models import Level, Region
from safetynet.regions.selectors import county_get
from safetynet.registry import identity
from safetynet.registry.choices import Residence
from safetynet.registry.inputs import HouseholdInput
from safetynet.registry.models import Membership, Person
from safetynet.registry.relations import HEAD
from safetynet.registry.services import households_create
from safetynet.registry.synthetic.families import HouseholdGenerator, Village
from safetynet.registry.synthetic.vocabulary import AS_OF

if TYPE_CHECKING:
    from safetynet.accounts.models import User

BATCH_SIZE = 1000


class SeedError(ValueError):
    """An argument the seed refuses, with a Chinese message."""


@dataclass(frozen=True)
class SeedResult:
    created: int
    skipped: int


def short_village_name(name: str) -> str:
    """王庄村民委员会 → 王庄村, 城中社区居民委员会 → 城中社区: how an address names it."""
    for suffix, replacement in (
        ("村民委员会", "村"),
        ("村委会", "村"),
        ("社区居民委员会", "社区"),
        ("居民委员会", "社区"),
        ("社区居委会", "社区"),
        ("居委会", "社区"),
    ):
        if name.endswith(suffix):
            base = name[: -len(suffix)]
            return base if base.endswith(replacement) else base + replacement
    return name


def seed_county(*, code: str) -> Region:
    """The county-level region a seed may fill, or ``SeedError`` saying why not."""
    try:
        return county_get(code=code)
    except ValueError as exc:
        raise SeedError(str(exc)) from exc


def county_villages(*, county: Region) -> list[Village]:
    """The county's real villages and communities in code order. The statistical 虚拟 units
    (virtual communities of farms and prisons) are left out: nobody's address is there."""
    lo, hi = prefix_bounds(county.prefix)
    villages = (
        Region.objects.filter(code__gte=lo, code__lte=hi, level=Level.VILLAGE)
        .exclude(name__contains="虚拟")
        .select_related("parent")
        .order_by("code")
    )
    result = [
        Village(
            code=v.code,
            residence=v.urban_rural or Residence.RURAL,
            address_prefix=(v.parent.name if v.parent else "") + short_village_name(v.name),
        )
        for v in villages
    ]
    if not result:
        raise SeedError(f"{county.name}（{county.code}）下没有村(居)委会，无法生成家庭")
    return result


def synthetic_households(
    *, county: Region, count: int, seed: int, as_of: dt.date = AS_OF
) -> Iterator[HouseholdInput]:
    """``count`` households of ``county``; the same ones for the same arguments."""
    generator = HouseholdGenerator(
        county_code=county.code, villages=county_villages(county=county), seed=seed, as_of=as_of
    )
    for _ in range(count):
        yield generator.household()


def _already_present(batch: list[HouseholdInput]) -> list[bool]:
    """Per household: skip it? Yes if its head is already a registered person (the seed ran
    before) or if any member already lives in another household (another seed drew the same
    ID). Two queries per 5,000 members."""
    owner: dict[str, tuple[int, bool]] = {}
    for index, household in enumerate(batch):
        for member in household.members:
            owner[identity.blind_index(member.id_number)] = (index, member.relation == HEAD)
    digests = list(owner)
    known: set[str] = set()
    housed: set[str] = set()
    for start in range(0, len(digests), 5000):  # stay under SQLite's bound-parameter limit
        chunk = digests[start : start + 5000]
        known.update(
            Person.objects.filter(id_number_hash__in=chunk).values_list("id_number_hash", flat=True)
        )
        housed.update(
            Membership.objects.filter(
                left_on__isnull=True, person__id_number_hash__in=chunk
            ).values_list("person__id_number_hash", flat=True)
        )
    skip = [False] * len(batch)
    for digest, (index, is_head) in owner.items():
        if (is_head and digest in known) or digest in housed:
            skip[index] = True
    return skip


def households_seed(
    *,
    actor: User,
    county_code: str,
    count: int,
    seed: int,
    batch_size: int = BATCH_SIZE,
    as_of: dt.date = AS_OF,
    progress: Callable[[str], None] | None = None,
) -> SeedResult:
    """Create ``count`` synthetic households in a county as one audited action.

    One transaction and one audit record for the whole run (a failure leaves nothing behind);
    inside it, batches of ``batch_size`` go through ``households_create`` like an import.
    Households already present are skipped, so a second run with the same arguments creates
    nothing.
    """
    if count < 0:
        raise SeedError("家庭数不能为负数")
    if batch_size < 1:
        raise SeedError("每批家庭数至少为 1")
    county = seed_county(code=county_code)
    created = skipped = 0
    batch: list[HouseholdInput] = []

    def flush() -> None:
        nonlocal created, skipped
        skip = _already_present(batch)
        fresh = [household for household, s in zip(batch, skip, strict=True) if not s]
        if fresh:
            households_create(actor=actor, households=fresh, audit_each=False, effective_from=as_of)
        created += len(fresh)
        skipped += len(batch) - len(fresh)
        batch.clear()
        if progress is not None:
            progress(
                f"{created + skipped}/{count} households: created {created}, skipped {skipped}"
            )

    with transaction.atomic():
        for household in synthetic_households(county=county, count=count, seed=seed, as_of=as_of):
            batch.append(household)
            if len(batch) >= batch_size:
                flush()
        if batch:
            flush()
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="household",
            region_code=county.code,
            summary=f"生成合成数据：{county.name}新建 {created} 户，跳过已有 {skipped} 户",
            detail={
                "county": county.code,
                "households": count,
                "seed": seed,
                "as_of": as_of.isoformat(),
                "created": created,
                "skipped": skipped,
            },
        )
    return SeedResult(created=created, skipped=skipped)
