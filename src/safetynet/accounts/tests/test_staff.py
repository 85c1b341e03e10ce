"""System management in the platform's pages: an administrator creates, edits, disables and
enables accounts, resets passwords (one-time password, changed at next login), creates and
revokes API tokens and keeps department offices — all within their own region, all audited."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import JINSHUI, PASSWORD, ZHONGYUAN, first_below, make_user
from safetynet.accounts.models import ApiToken, Office, User
from safetynet.accounts.roles import Department, Role
from safetynet.accounts.services import AccountError
from safetynet.accounts.staff import selectors, services
from safetynet.audit.models import AuditRecord
from safetynet.regions.models import Level, Region

pytestmark = pytest.mark.django_db
NEW = "Neu-Kennwort-77"


@pytest.fixture
def county_admin(db: Any) -> User:
    return make_user(
        "jinshui_admin", Role.ADMINISTRATOR, Region.objects.get(code=JINSHUI), real_name="管理员甲"
    )


@pytest.fixture
def admin_client(client: Client, county_admin: User) -> Client:
    client.force_login(county_admin)
    return client


def _create(admin_client: Client, **extra: str) -> Any:
    township = first_below(JINSHUI, Level.TOWNSHIP)
    data = {
        "username": "wang_li",
        "real_name": "王丽",
        "post": "乡镇民政专干",
        "phone": "",
        "role": Role.TOWNSHIP_OFFICER,
        "department": Department.CIVIL_AFFAIRS,
        "scope_region": township.code,
        **extra,
    }
    return admin_client.post(reverse("system:user_new"), data)


def _login(client: Client, username: str, password: str) -> bool:
    response = client.post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def _shown_password(response: Any) -> str:
    found = re.search(r'id="one-time-password"[^>]*>([^<]+)<', response.content.decode())
    assert found is not None
    return found.group(1)


def test_admin_creates_an_account_and_sees_its_one_time_password_once(
    admin_client: Client, county_admin: User
) -> None:
    response = _create(admin_client)

    assert response.status_code == 200
    password = _shown_password(response)
    user = User.objects.get(username="wang_li")
    assert user.real_name == "王丽" and user.post == "乡镇民政专干"
    assert user.role == Role.TOWNSHIP_OFFICER and user.must_change_password
    assert user.check_password(password)
    record = AuditRecord.objects.get(object_type="user", object_id=str(user.pk))
    assert record.actor == county_admin and "新增账号" in record.summary
    assert password not in str(record.detail) and password not in record.summary


def test_a_one_time_password_must_be_changed_before_anything_else(admin_client: Client) -> None:
    password = _shown_password(_create(admin_client))
    newcomer = Client()
    assert _login(newcomer, "wang_li", password)

    home = newcomer.get("/")
    assert home.status_code == 302 and home["Location"] == reverse("password_change")

    changed = newcomer.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": NEW, "new_password2": NEW},
    )
    assert changed.status_code == 302
    assert not User.objects.get(username="wang_li").must_change_password
    assert newcomer.get("/").status_code == 200


def test_an_admin_cannot_place_an_account_outside_their_region(admin_client: Client) -> None:
    outside = first_below(ZHONGYUAN, Level.TOWNSHIP)
    response = _create(admin_client, scope_region=outside.code)

    assert response.status_code == 200
    assert "管辖区域须在本人管辖范围之内" in response.content.decode()
    assert not User.objects.filter(username="wang_li").exists()


def test_grant_check_compares_capabilities(county_admin: User) -> None:
    with pytest.raises(AccountError, match="不能授予比本人权限更多的角色"):
        services._check_grant(
            make_user("c2", Role.COUNTY_OFFICER, Region.objects.get(code=JINSHUI)),
            Role.ADMINISTRATOR,
            Region.objects.get(code=JINSHUI),
        )


def test_edit_disable_enable_and_reset_are_audited(
    admin_client: Client, county_admin: User, jinshui_officer: User
) -> None:
    url = reverse("system:user_detail", kwargs={"pk": jinshui_officer.pk})
    page = admin_client.get(url)
    assert page.status_code == 200

    admin_client.post(
        url,
        {
            "real_name": "李四",
            "post": "民政助理",
            "phone": "",
            "role": Role.TOWNSHIP_OFFICER,
            "department": Department.CIVIL_AFFAIRS,
            "scope_region": jinshui_officer.scope_region_id,
        },
    )
    jinshui_officer.refresh_from_db()
    assert jinshui_officer.real_name == "李四" and jinshui_officer.post == "民政助理"

    refused = admin_client.post(
        reverse("system:user_active", kwargs={"pk": jinshui_officer.pk}), {"active": "0"}
    )
    assert refused.status_code == 302
    jinshui_officer.refresh_from_db()
    assert jinshui_officer.is_active  # no reason given

    admin_client.post(
        reverse("system:user_active", kwargs={"pk": jinshui_officer.pk}),
        {"active": "0", "reason": "调离岗位"},
    )
    jinshui_officer.refresh_from_db()
    assert not jinshui_officer.is_active
    assert not _login(Client(), "jinshui", PASSWORD)

    admin_client.post(
        reverse("system:user_active", kwargs={"pk": jinshui_officer.pk}), {"active": "1"}
    )
    reset = admin_client.post(reverse("system:user_password", kwargs={"pk": jinshui_officer.pk}))
    password = _shown_password(reset)
    jinshui_officer.refresh_from_db()
    assert jinshui_officer.is_active and jinshui_officer.must_change_password
    assert jinshui_officer.check_password(password)

    summaries = list(
        AuditRecord.objects.filter(object_type="user", object_id=str(jinshui_officer.pk))
        .order_by("id")
        .values_list("summary", flat=True)
    )
    assert len(summaries) == 4
    assert "姓名" in summaries[0] and "李四" in summaries[0]
    assert "停用账号" in summaries[1] and "调离岗位" in summaries[1]
    assert "启用账号" in summaries[2] and "重置" in summaries[3]
    assert all(password not in s for s in summaries)


def test_an_admin_cannot_disable_themselves(county_admin: User) -> None:
    with pytest.raises(AccountError, match="不能停用本人"):
        services.user_set_active(actor=county_admin, user=county_admin, active=False, reason="x")


def test_an_admin_of_one_county_cannot_manage_another_countys_users(
    client: Client, zhongyuan_officer: User, jinshui_officer: User
) -> None:
    other = make_user("zy_admin", Role.ADMINISTRATOR, Region.objects.get(code=ZHONGYUAN))
    client.force_login(other)

    listing = client.get(reverse("system:users")).content.decode()
    assert "zhongyuan" in listing and "jinshui" not in listing
    for name in ("system:user_detail", "system:user_active", "system:user_password"):
        url = reverse(name, kwargs={"pk": jinshui_officer.pk})
        assert client.get(url).status_code in (404, 405)
        assert client.post(url, {"active": "0", "reason": "x"}).status_code == 404
    jinshui_officer.refresh_from_db()
    assert jinshui_officer.is_active


def test_officers_without_the_capability_are_refused(client: Client, county_officer: User) -> None:
    client.force_login(county_officer)
    response = client.get(reverse("system:users"))
    assert response.status_code == 403
    assert "管理用户账号" in response.content.decode()


def test_tokens_are_created_shown_once_listed_and_revoked(
    admin_client: Client, county_admin: User, jinshui_officer: User
) -> None:
    response = admin_client.post(
        reverse("system:token_new"), {"user": jinshui_officer.pk, "name": "医保局数据交换"}
    )
    found = re.search(r'id="api-token"[^>]*>([^<]+)<', response.content.decode())
    assert found is not None
    raw = found.group(1)
    token = ApiToken.objects.get()
    assert token.token_hash == ApiToken.hash(raw) and token.user == jinshui_officer

    listing = admin_client.get(reverse("system:tokens")).content.decode()
    assert "医保局数据交换" in listing and raw not in listing

    admin_client.post(reverse("system:token_revoke", kwargs={"pk": token.pk}))
    token.refresh_from_db()
    assert token.revoked_at is not None
    actions = AuditRecord.objects.filter(object_type="api_token", actor=county_admin).count()
    assert actions == 2


def test_tokens_of_another_county_are_neither_listed_nor_revoked(
    client: Client, jinshui_officer: User
) -> None:
    services.api_token_create(user=jinshui_officer, name="金水对接", actor=jinshui_officer)
    other = make_user("zy_admin", Role.ADMINISTRATOR, Region.objects.get(code=ZHONGYUAN))
    client.force_login(other)
    token = ApiToken.objects.get()

    assert "金水对接" not in client.get(reverse("system:tokens")).content.decode()
    assert client.post(reverse("system:token_revoke", kwargs={"pk": token.pk})).status_code == 404
    assert (
        client.post(
            reverse("system:token_new"), {"user": jinshui_officer.pk, "name": "x"}
        ).status_code
        == 404
    )
    token.refresh_from_db()
    assert token.revoked_at is None


def test_offices_are_kept_and_give_the_civil_affairs_phone(
    admin_client: Client, county_admin: User
) -> None:
    township = first_below(JINSHUI, Level.TOWNSHIP)
    response = admin_client.post(
        reverse("system:office_new"),
        {
            "name": "金水区民政局",
            "department": Department.CIVIL_AFFAIRS,
            "phone": "0371-65550001",
            "address": "",
            "is_active": "on",
            "region": "",
        },
    )
    assert response.status_code == 302
    office = Office.objects.get()
    assert office.region_id == JINSHUI
    assert selectors.civil_affairs_phone(township.code) == "0371-65550001"
    assert AuditRecord.objects.filter(object_type="office", action="create").exists()

    page = admin_client.get(reverse("system:offices")).content.decode()
    assert "金水区民政局" in page and "民政" in page

    admin_client.post(
        reverse("system:office_edit", kwargs={"pk": office.pk}),
        {
            "name": "金水区民政局",
            "department": Department.CIVIL_AFFAIRS,
            "phone": "0371-65550002",
            "region": JINSHUI,
            "is_active": "on",
        },
    )
    assert selectors.civil_affairs_phone(township.code) == "0371-65550002"


def test_offices_of_another_county_are_out_of_reach(client: Client, county_admin: User) -> None:
    office = services.office_save(
        actor=county_admin,
        office=None,
        region=Region.objects.get(code=JINSHUI),
        data={"name": "金水区民政局", "department": Department.CIVIL_AFFAIRS, "phone": "1"},
    )
    other = make_user("zy_admin", Role.ADMINISTRATOR, Region.objects.get(code=ZHONGYUAN))
    client.force_login(other)
    assert "金水区民政局" not in client.get(reverse("system:offices")).content.decode()
    assert client.get(reverse("system:office_edit", kwargs={"pk": office.pk})).status_code == 404


def test_the_console_and_the_pages_share_the_token_services(jinshui_officer: User) -> None:
    from django.core.management import call_command

    call_command("api_token", "create", "jinshui", "--name", "民政局对接", stdout=_Sink())
    record = AuditRecord.objects.get(object_type="api_token")
    assert "创建接口令牌" in record.summary


class _Sink:
    def write(self, *_args: Any, **_kwargs: Any) -> None:
        pass

    def flush(self) -> None:
        pass


def test_admin_resets_a_second_factor_of_the_region_with_confirmation_and_audit(
    admin_client: Client, county_admin: User, county_officer: User
) -> None:
    """A lost phone: the administrator withdraws the account's second factor (and its recovery
    codes); the user enrols again at the next sign-in (ADR 0017)."""
    from django.utils import timezone

    from safetynet.accounts import second_factor
    from safetynet.accounts.models import Credential

    Credential.objects.create(
        user=county_officer,
        totp_secret="JBSWY3DPEHPK3PXP",
        totp_confirmed_at=timezone.now(),
        recovery_hashes=["x" * 64],
    )
    page = admin_client.get(reverse("system:user_detail", args=[county_officer.pk]))
    text = page.content.decode()
    assert 'id="second-factor-form"' in text and "data-confirm=" in text

    admin_client.post(reverse("system:user_second_factor", args=[county_officer.pk]))

    credential = Credential.objects.get(user=county_officer)
    assert credential.totp_secret == "" and credential.recovery_hashes == []
    assert not second_factor.enrolled(county_officer)
    record = AuditRecord.objects.filter(object_type="user", object_id=str(county_officer.pk))
    assert record.filter(
        summary__contains="重置账号 county 的二次验证", actor=county_admin
    ).exists()
    after = admin_client.get(reverse("system:user_detail", args=[county_officer.pk]))
    assert 'id="second-factor-form"' not in after.content.decode()


def test_a_second_factor_is_reset_only_within_the_region_and_not_for_oneself(
    client: Client, county_admin: User, county_officer: User
) -> None:
    from safetynet.accounts.models import Credential

    Credential.objects.create(user=county_officer, totp_secret="S", recovery_hashes=["h"])
    url = reverse("system:user_second_factor", args=[county_officer.pk])
    other = make_user("zy_admin", Role.ADMINISTRATOR, Region.objects.get(code=ZHONGYUAN))
    client.force_login(other)
    assert client.post(url).status_code == 404
    client.force_login(county_officer)  # no manage_users
    assert client.post(url).status_code == 403
    assert Credential.objects.get(user=county_officer).totp_secret == "S"
    with pytest.raises(AccountError, match="不能自行重置"):
        services.user_second_factor_reset(actor=county_admin, user=county_admin)
