"""The village and township day in Chromium (issue 11): the village desk from registering a
household to reporting a change, a reported death that ends a membership, a refusal page in
Chinese, a date field that submits as the browser filled it, and the side menu of every role
without a wrapped item at 1280 px."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD, make_user, new_id_number
from safetynet.accounts.roles import Role
from safetynet.changes.models import ChangeReport
from safetynet.determination.models import Application, Attachment
from safetynet.regions.models import Region
from safetynet.registry import services as registry
from safetynet.registry.models import Household, Membership

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def _login(page: Any, base: str, user: Any, *, width: int = 1280) -> Any:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def _menu(page: Any, label: str) -> None:
    page.click(f"#sidebar a:text-is('{label}')")


def test_village_desk_register_apply_follow_and_report_a_change(
    page: Any, live_server: Any, village_assistant: Any
) -> None:
    base = live_server.url
    _login(page, base, village_assistant)

    # Register: the village is pre-selected; saving no longer fails with 请选择到村(居)委会一级.
    _menu(page, "新增家庭")
    expect(page.locator("#own-village")).to_contain_text(village_assistant.scope_region.name)
    page.fill("input[name=m-0-name]", "王大山")
    page.fill("input[name=m-0-id_number]", new_id_number("410105"))
    page.click("button.primary[type=submit]")
    page.wait_for_url(re.compile(r".*/households/\d+/$"))
    household = Household.objects.get()
    assert household.region_id == village_assistant.scope_region_id

    # Apply, with the signed authorisation attached.
    page.click("text=申请救助")
    page.select_option("select[name=type]", "dibao")
    page.set_input_files(
        "input[name=authorisation]",
        files=[{"name": "授权书.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%\n"}],
    )
    page.click("#application-form button[type=submit]")
    application = Application.objects.get()
    page.wait_for_url(f"{base}/determination/cases/{application.pk}/")
    assert Attachment.objects.filter(application=application).count() == 1

    # Follow it: the desk lists it, the case opens, the upload page is one click away.
    _menu(page, "村级申请")
    page.click(f"#desk-applications a:text-is('{application.number}')")
    page.wait_for_url(f"{base}/determination/cases/{application.pk}/")
    page.click("text=上传材料")
    page.wait_for_url(f"{base}/determination/cases/{application.pk}/attachments/")

    # Report a change: a birth adds the child and queues the township's check.
    page.goto(f"{base}/households/{household.pk}/")
    page.click("text=报告情况变化")
    page.select_option("select[name=kind]", "birth")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    page.fill("input[name=occurred_on]", yesterday.isoformat())
    page.fill("input[name=new_name]", "王小宝")
    page.fill("input[name=new_id_number]", new_id_number("410105", born=yesterday))
    page.select_option("select[name=new_relation]", "20")
    page.click("#change-form button[type=submit]")
    page.wait_for_url(f"{base}/households/{household.pk}/")
    expect(page.locator("#household-pending")).to_contain_text("情况变化核查")
    assert Membership.objects.filter(household=household, left_on__isnull=True).count() == 2


def test_a_reported_death_ends_the_membership_and_queues_the_recheck(
    page: Any, live_server: Any, jinshui_officer: Any, make_household: Any
) -> None:
    household = make_household(jinshui_officer, head_name="张三")
    registry.category_set(
        actor=jinshui_officer,
        household=household,
        category="dibao",
        effective_from=timezone.localdate().replace(day=1) - dt.timedelta(days=31),
        reason="已认定",
    )
    _login(page, live_server.url, jinshui_officer)
    page.goto(f"{live_server.url}/households/{household.pk}/")
    expect(page.locator("#members")).to_contain_text("李四")

    page.click("text=报告情况变化")
    page.select_option("select[name=kind]", "death")
    # The date field as the browser pre-filled it (today, ISO) is submitted untouched.
    assert page.input_value("input[name=occurred_on]") == timezone.localdate().isoformat()
    expect(page.locator("select[name=person]")).to_be_visible()
    expect(page.locator("input[name=new_name]")).to_be_hidden()
    page.select_option("select[name=person]", label="李四")
    page.click("#change-form button[type=submit]")

    page.wait_for_url(f"{live_server.url}/households/{household.pk}/")
    expect(page.locator("#members")).not_to_contain_text("李四")
    expect(page.locator("#household-pending")).to_contain_text("死亡复核")
    report = ChangeReport.objects.get()
    assert report.kind == "death" and report.check_review is not None


def test_a_refusal_is_a_chinese_page_that_says_what_to_do(
    page: Any, live_server: Any, village_assistant: Any
) -> None:
    _login(page, live_server.url, village_assistant)

    response = page.goto(f"{live_server.url}/audit/")

    assert response is not None and response.status == 403
    expect(page.locator("h1")).to_have_text("无权操作")
    text = page.locator("main").inner_text()
    assert "查询审计日志" in text and "系统管理员" in text
    assert not re.search(r"Forbidden|Permission|denied", text)
    # The side menu stays, so the user is never left at a dead end.
    expect(page.locator("#sidebar")).to_contain_text("家庭档案")


ROLES = [
    ("village_assistant", Role.VILLAGE_ASSISTANT),
    ("township", Role.TOWNSHIP_OFFICER),
    ("county", Role.COUNTY_OFFICER),
    ("supervisor", Role.SUPERVISOR),
    ("auditor", Role.AUDITOR),
    ("administrator", Role.ADMINISTRATOR),
]

# Every menu text node on exactly one line box: a wrapped name ("家庭档/案") has two.
WRAPPED = """() => [...document.querySelectorAll('#sidebar a, #sidebar summary')]
  .filter((el) => { const range = document.createRange(); range.selectNodeContents(el);
                    const rects = [...range.getClientRects()];
                    const lines = new Set(rects.map((r) => Math.round(r.top)));
                    return lines.size > 1; })
  .map((el) => el.textContent.trim())"""


@pytest.mark.parametrize(("name", "role"), ROLES)
def test_side_menu_of_each_role_has_no_wrapped_item_at_1280px(
    page: Any, live_server: Any, jinshui_township: Any, name: str, role: str
) -> None:
    scope = {
        Role.VILLAGE_ASSISTANT: Region.objects.filter(
            code__startswith=jinshui_township.code[:9], level="village"
        ).first(),
        Role.TOWNSHIP_OFFICER: jinshui_township,
        Role.COUNTY_OFFICER: Region.objects.get(code="410105000000"),
    }.get(role, Region.objects.get(code="410000000000"))
    user = make_user(name, role, scope, is_staff=role == Role.ADMINISTRATOR)
    _login(page, live_server.url, user, width=1280)

    items = page.locator("#sidebar a")
    assert items.count() >= 3
    assert page.evaluate(WRAPPED) == []
    # The current place is marked, and the group folds away and back.
    expect(page.locator("#sidebar a.current")).to_have_text("首页")
    page.click("#sidebar summary:text-is('工作台')")
    expect(page.locator("#sidebar a:text-is('首页')")).to_be_hidden()
    page.click("#sidebar-toggle")
    expect(page.locator("#sidebar")).to_be_hidden()
