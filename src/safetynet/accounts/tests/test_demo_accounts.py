from __future__ import annotations

import io

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command

from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.accounts.services import (
    AccountError,
    DemoAccount,
    demo_accounts_reset,
    system_user,
    user_create,
)
from safetynet.audit.models import AuditRecord
from safetynet.regions.models import Level, Region

pytestmark = pytest.mark.django_db

LANKAO = "410225"


def by_username(accounts: list[DemoAccount]) -> dict[str, User]:
    return {u.username: u for u in User.objects.filter(username__in=[a.username for a in accounts])}


def test_six_demo_accounts_one_per_role() -> None:
    accounts = demo_accounts_reset(county_code=LANKAO)
    roles = {u.role for u in by_username(accounts).values()}
    assert roles == {
        Role.VILLAGE_ASSISTANT,
        Role.TOWNSHIP_OFFICER,
        Role.COUNTY_OFFICER,
        Role.SUPERVISOR,
        Role.AUDITOR,
        Role.ADMINISTRATOR,
    }


def test_demo_passwords_pass_the_password_validators() -> None:
    accounts = demo_accounts_reset(county_code=LANKAO)
    users = by_username(accounts)
    for account in accounts:
        validate_password(account.password, users[account.username])


def test_demo_accounts_log_in_with_the_printed_passwords() -> None:
    accounts = demo_accounts_reset(county_code=LANKAO)
    users = by_username(accounts)
    assert all(users[a.username].check_password(a.password) for a in accounts)


def test_local_demo_accounts_are_scoped_to_the_county_township_and_village() -> None:
    users = {
        u.role: u.scope_region
        for u in by_username(demo_accounts_reset(county_code=LANKAO)).values()
    }
    village = users[Role.VILLAGE_ASSISTANT]
    township = users[Role.TOWNSHIP_OFFICER]
    assert (village.level, village.parent_id) == (Level.VILLAGE, township.code)
    assert (township.level, township.parent_id) == (Level.TOWNSHIP, "410225000000")
    assert users[Role.COUNTY_OFFICER].code == "410225000000"


def test_supervisor_auditor_and_administrator_see_the_province() -> None:
    users = {
        u.role: u.scope_region_id
        for u in by_username(demo_accounts_reset(county_code=LANKAO)).values()
    }
    assert {users[Role.SUPERVISOR], users[Role.AUDITOR], users[Role.ADMINISTRATOR]} == {
        "410000000000"
    }


def test_only_the_administrator_is_staff_and_superuser() -> None:
    users = by_username(demo_accounts_reset(county_code=LANKAO)).values()
    assert {u.username for u in users if u.is_staff and u.is_superuser} == {"demo_admin"}
    assert {u.username for u in users if u.is_staff or u.is_superuser} == {"demo_admin"}


def test_rerun_resets_passwords_without_adding_accounts() -> None:
    first = demo_accounts_reset(county_code=LANKAO)
    demo_accounts_reset(county_code=LANKAO)
    users = by_username(first)
    assert len(users) == 6
    assert not any(users[a.username].check_password(a.password) for a in first)


def test_rerun_for_another_county_moves_the_local_accounts() -> None:
    demo_accounts_reset(county_code=LANKAO)
    demo_accounts_reset(county_code="419001")
    assert User.objects.get(username="demo_county").scope_region_id == "419001000000"


def test_each_account_write_is_audited() -> None:
    system_user()
    before = AuditRecord.objects.filter(object_type="user").count()
    demo_accounts_reset(county_code=LANKAO)
    assert AuditRecord.objects.filter(object_type="user").count() == before + 6


def test_city_code_is_refused() -> None:
    with pytest.raises(AccountError, match="不是县级区划"):
        demo_accounts_reset(county_code="4102")


def test_user_create_refuses_a_weak_password_saying_why() -> None:
    with pytest.raises(AccountError, match="demo_weak 的密码不符合要求"):
        user_create(
            actor=None,
            username="demo_weak",
            password="short1",
            role=Role.AUDITOR,
            scope_region=Region.objects.get(code="410000000000"),
        )


def test_command_prints_a_table_with_every_account_and_its_password() -> None:
    out = io.StringIO()
    call_command("demo_accounts", county=LANKAO, stdout=out)
    rows = [line.split() for line in out.getvalue().splitlines() if line.startswith("demo_")]
    users = {u.username: u for u in User.objects.filter(username__startswith="demo_")}
    assert len(rows) == 6
    assert all(users[row[0]].check_password(row[1]) for row in rows)


def test_command_shows_role_and_scope_in_chinese() -> None:
    out = io.StringIO()
    call_command("demo_accounts", county=LANKAO, stdout=out)
    county_row = next(
        line for line in out.getvalue().splitlines() if line.startswith("demo_county")
    )
    assert "县级民政经办人" in county_row
    assert "河南省开封市兰考县（410225000000）" in county_row


def test_command_refuses_an_unknown_code() -> None:
    with pytest.raises(CommandError, match="区划代码不存在"):
        call_command("demo_accounts", county="419999", stdout=io.StringIO())


def test_system_user_is_a_province_administrator_who_cannot_log_in() -> None:
    user = system_user()
    assert (user.role, user.scope_region_id, user.has_usable_password()) == (
        Role.ADMINISTRATOR,
        "410000000000",
        False,
    )


def test_system_user_is_created_once() -> None:
    assert system_user().pk == system_user().pk
