"""System management in Chromium (issue 11): an administrator of a county creates an account
(the one-time password shown once), the newcomer must set a password at the first login, the
administrator disables the account (login refused) and resets its password."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import JINSHUI, PASSWORD, make_user
from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.audit.models import AuditRecord
from safetynet.regions.models import Region

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def _login(page: Any, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def test_admin_creates_disables_and_resets_an_account(page: Any, live_server: Any) -> None:
    base = live_server.url
    admin = make_user(
        "county_admin", Role.ADMINISTRATOR, Region.objects.get(code=JINSHUI), real_name="管理员甲"
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    _login(page, base, admin.username, PASSWORD)
    page.wait_for_url(f"{base}/")

    # Create: from the side menu, a township officer of the first township of the county.
    page.click("#sidebar a:text-is('用户管理')")
    page.click("#user-new")
    page.fill("input[name=username]", "wang_li")
    page.fill("input[name=real_name]", "王丽")
    page.fill("input[name=post]", "乡镇民政专干")
    page.select_option("select[name=role]", Role.TOWNSHIP_OFFICER)
    picker = page.locator(".region-picker select").first
    expect(picker).to_be_visible()
    picker.select_option(index=1)
    page.click("#user-form button.primary")
    password = page.locator("#one-time-password").inner_text().strip()
    assert password
    user = User.objects.get(username="wang_li")
    assert user.scope_region_id != JINSHUI and user.scope_region_id.startswith("410105")

    # The newcomer must set a password before anything else.
    newcomer = page.context.browser.new_page()
    _login(newcomer, base, "wang_li", password)
    newcomer.wait_for_url(re.compile(r".*/accounts/password/$"))
    newcomer.fill("input[name=old_password]", password)
    newcomer.fill("input[name=new_password1]", "Neu-Kennwort-77")
    newcomer.fill("input[name=new_password2]", "Neu-Kennwort-77")
    newcomer.click("button.primary")
    newcomer.wait_for_url(f"{base}/")
    newcomer.close()

    # Disable: with a reason; the account can no longer log in.
    page.goto(f"{base}/system/users/{user.pk}/")
    page.fill("#disable-form input[name=reason]", "调离岗位")
    page.click("#disable-form button")
    expect(page.locator("#account-state")).to_have_text("停用")
    refused = page.context.browser.new_page()
    _login(refused, base, "wang_li", "Neu-Kennwort-77")
    expect(refused.locator("p.error")).to_contain_text("用户名或密码错误")
    refused.close()

    # Enable again and reset the password: a new one-time password.
    page.click("#enable-form button")
    expect(page.locator("#account-state")).to_have_text("启用")
    page.click("#password-form button")
    reset = page.locator("#one-time-password").inner_text().strip()
    assert reset and reset != password
    user.refresh_from_db()
    assert user.must_change_password and user.check_password(reset)
    assert AuditRecord.objects.filter(object_type="user", object_id=str(user.pk)).count() == 5
