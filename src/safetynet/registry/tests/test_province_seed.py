"""`seed --province`: the COPY load of a whole province (PostgreSQL) — what the registry relies on
holds for the loaded rows exactly as for rows written by the services."""

from __future__ import annotations

import io
import multiprocessing

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from safetynet.accounts.services import system_user
from safetynet.audit.models import AuditRecord
from safetynet.determination.models import Application, CaseEvent, Publicity, ReviewSchedule
from safetynet.registry import identity, keyring
from safetynet.registry.choices import Category
from safetynet.registry.models import (
    CategoryStatus,
    Household,
    LegalSupporter,
    Membership,
    Person,
    RelapseWatchStatus,
)
from safetynet.registry.names import name_initials, name_pinyin
from safetynet.registry.relations import HEAD
from safetynet.registry.synthetic import AS_OF, SeedError
from safetynet.registry.synthetic import province as P
from safetynet.registry.synthetic.families import HouseholdGenerator
from safetynet.web.province_work import STEPS, province_work_seed

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="seed --province loads with PostgreSQL COPY"
)


def test_the_plan_spreads_households_over_the_counties_by_villages() -> None:
    shards = P.province_plan(province_code="410000", count=10_000)
    assert sum(s.households for s in shards) == 10_000
    assert len(shards) > 150
    largest = max(shards, key=lambda s: s.households)
    smallest = min(shards, key=lambda s: s.households)
    assert len(largest.villages) > len(smallest.villages)
    assert all(s.county_code.startswith("41") for s in shards)


def _rows(shard: P.Shard) -> dict[str, list[list[str]]]:
    ctx = multiprocessing.get_context("fork")
    P._worker_init(
        ctx.Value("q", shard.index),
        ctx.Condition(),
        ctx.Array("q", [1] * len(P.TABLES)),
        {"as_of": AS_OF, "seed": 7, "now": "2026-01-01T00:00:00+00:00", "actor": 1, "kid": "k"},
    )
    blocks = P.shard_rows(shard)[1]
    return {
        name: [line.split("\t") for line in b.decode().splitlines()] for name, b in blocks.items()
    }


def test_a_county_is_the_same_for_the_same_seed_but_for_the_ciphertexts() -> None:
    shard = P.province_plan(province_code="410000", count=3_000)[3]
    first, second = _rows(shard), _rows(shard)
    for name in P.TABLE_NAMES:
        assert len(first[name]) == len(second[name])
    persons = [r[:2] + r[3:] for r in first["persons"]]
    assert persons == [r[:2] + r[3:] for r in second["persons"]]
    assert first["households"] == second["households"]
    assert first["incomes"] == second["incomes"]


def test_names_read_as_the_registry_reads_them() -> None:
    """The seed's cached pinyin (joined from characters unless a run of them is a phrase)
    equals ``name_pinyin``/``name_initials`` of the whole name, for generated names and for
    names holding a phrase whose reading differs from its characters' first readings."""
    P._state.update(pinyin={}, chars={})
    phrases = ["李重庆", "张银行", "王长大", "周长", "曾乐乐", "单于飞", "解放军"]
    assert any(  # a phrase changes the reading: joining characters alone would be wrong
        "".join(name_pinyin(c) for c in n) != name_pinyin(n) for n in phrases
    )
    shard = P.province_plan(province_code="410000", count=3_000)[3]
    generator = HouseholdGenerator(county_code=shard.county_code, villages=shard.villages, seed=11)
    names = {m.name for _ in range(shard.households) for m in generator.household().members}
    for name in [*phrases, *sorted(names)]:
        assert P._names(name) == (name_pinyin(name), name_initials(name)), name


def test_sqlite_is_refused() -> None:
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL loads it")
    with pytest.raises(SeedError, match="PostgreSQL"):
        P.province_seed(actor=system_user(), province_code="410000", count=10, seed=1)


@postgres_only
def test_province_seed_loads_a_consistent_register() -> None:
    out = io.StringIO()
    call_command("seed", province="410000", households=700, seed=3, workers=2, stdout=out)
    text = out.getvalue()
    assert text.splitlines()[-1].startswith("created=700 skipped=0 persons=")
    assert "[1/" in text and "rebuilt" in text
    assert Household.objects.count() == 700
    persons = Person.objects.count()
    assert f"persons={persons} " in text.splitlines()[-1]
    # One current household per person, one head per household, counts right.
    assert Membership.objects.filter(left_on__isnull=True).count() == persons
    assert not Membership.objects.values("person").annotate(n=Count("id")).filter(n__gt=1)
    for household in Household.objects.annotate(
        heads=Count("memberships", filter=Q(memberships__relation=HEAD)),
        members=Count("memberships"),
    ):
        assert household.heads == 1
        assert household.members == household.member_count
        assert household.head_id is not None
    assert not Household.objects.exclude(
        head_id__in=Membership.objects.filter(relation=HEAD).values("person_id")
    ).exists()
    # Identity exactly as the registry makes it.
    for person in Person.objects.order_by("?")[:40]:
        number = identity.decrypt_id_number(person.id_number_encrypted)
        assert person.id_number_hash == identity.blind_index(number)
        assert person.id_number_masked == identity.mask_id_number(number)
        for field, value in identity.tail_indexes(number).items():
            assert getattr(person, field) == value
        assert person.id_index_kid == keyring.current_index_key().kid
        assert person.name_pinyin == name_pinyin(person.name)
        assert person.name_initials == name_initials(person.name)
        assert person.birth_date == identity.parse_id_number(number).birth_date
        assert person.region_id[:6] == number[:6]
    for supporter in LegalSupporter.objects.exclude(id_number_encrypted="")[:10]:
        number = identity.decrypt_id_number(supporter.id_number_encrypted)
        assert supporter.id_number_hash == identity.blind_index(number)
    # A lookup by ID goes through the rebuilt unique index.
    person = Person.objects.order_by("id").last()
    assert person is not None
    number = identity.decrypt_id_number(person.id_number_encrypted)
    assert Person.objects.get(id_number_hash=identity.blind_index(number)) == person
    # Every category, household- and person-level, with dated statuses behind them.
    categories = set(CategoryStatus.objects.values_list("category", flat=True))
    assert categories >= set(Category.values)
    assert RelapseWatchStatus.objects.exists()
    for household in Household.objects.exclude(category="")[:50]:
        status = CategoryStatus.objects.get(
            household=household, person__isnull=True, effective_to__isnull=True
        )
        assert status.category == household.category
        assert status.effective_from <= AS_OF
    assert not CategoryStatus.objects.filter(
        person__isnull=False, category__in=[Category.DIBAO, Category.NEAR_DIBAO]
    ).exists()
    for status in CategoryStatus.objects.filter(person__isnull=False)[:50]:
        assert Membership.objects.filter(
            household_id=status.household_id, person_id=status.person_id, left_on__isnull=True
        ).exists()
    # The annual reviews of the assisted: some overdue, the others in the coming year.
    today = timezone.localdate()
    reviews = ReviewSchedule.objects.all()
    assert (
        reviews.count()
        == CategoryStatus.objects.filter(
            category__in=["dibao", "destitute", "individual_dibao"]
        ).count()
    )
    assert reviews.filter(due_on__lt=today).exists()
    assert reviews.filter(due_on__gte=today).exists()
    # One audit record for the load; the sequences continue after the loaded ids.
    assert AuditRecord.objects.filter(summary__contains="全省新建 700 户").count() == 1
    village = Household.objects.values_list("region_id", flat=True).first()
    fresh = Household.objects.create(region_id=village, residence="rural")
    assert fresh.pk > 700
    # Again: nothing loaded.
    out = io.StringIO()
    call_command("seed", province="410000", households=700, seed=3, stdout=out)
    assert out.getvalue().splitlines()[-1].startswith("created=0 skipped=700")


@postgres_only
def test_cases_in_every_step_with_their_rows() -> None:
    P.province_seed(actor=system_user(), province_code="410000", count=300, seed=4, with_work=False)
    summary = province_work_seed(province_code="410000", actor=system_user(), case_every=1)
    assert "cases=" in summary
    statuses = set(Application.objects.values_list("status", flat=True))
    assert statuses == {
        "submitted",
        "investigating",
        "reviewed",
        "publicity",
        "confirming",
        "confirmed",
    }
    assert len(STEPS) == 7
    for application in Application.objects.all():
        assert application.applicant_id == application.household.head_id
        kinds = set(
            CaseEvent.objects.filter(application=application).values_list("kind", flat=True)
        )
        assert "submitted" in kinds
        if application.status == "publicity":
            publicity = Publicity.objects.get(application=application)
            assert publicity.closed_on is None
            assert application.step_due_on == publicity.ends_on
        if application.status == "confirmed":
            assert application.decision.category == "dibao"
            assert ReviewSchedule.objects.filter(application=application).exists()
            assert CategoryStatus.objects.filter(
                household=application.household, category="dibao"
            ).exists()
        if application.status != "submitted":
            assert application.accepted_on is not None
            assert application.procedure_due_on is not None


def test_county_and_province_are_exclusive() -> None:
    with pytest.raises(CommandError):
        call_command("seed", county="410225", province="410000", households=1, stdout=io.StringIO())
