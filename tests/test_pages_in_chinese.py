"""Every page, as each role, reads in Chinese: no English word outside a short allow-list, no
raw code value (``near_dibao``, ``feed_batch``), and no date input whose value the browser's
date picker would reject (``2026/12/07``).

It walks the whole URL configuration like the scope test does (same objects, all of one 金水区
household with a decided case, a review, a termination, a batch and a verification report), as
the six roles of that household's own offices, and reads what a person would read: text nodes,
``title`` and ``placeholder`` attributes. Pages that are not HTML (exports, PDFs) and the
technical areas (Django admin, API docs) are left out.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import make_user
from safetynet.accounts.roles import Role
from safetynet.regions.models import Region
from tests.test_scope_everywhere import (  # noqa: F401 - fixtures
    _argument_free_pages,
    _patterns,
    _url,
    foreign,
    foreign_all,
)

pytestmark = pytest.mark.django_db

# Words that are Chinese office usage or names of formats and standards.
ALLOWED = {
    "PDF",
    "Excel",
    "API",
    "ID",
    "SHA",
    "CSV",
    "XLSX",
    "xlsx",
    "csv",
    "GB",
    "T",
    "m",
    "ZIP",
    "zip",
    "IP",
    "Parquet",
    "OpenAPI",
    "chinese",
    "calendar",
    "HTTPS",
    "JPG",
    "PNG",
    "MB",
    "KB",
    "GBK",
    "UTF",
    "pdf",
    "N",  # “N 个工作日内” in the rule text of the working-day calculator
}
# Not words but data: hashes, numbers with letters (plates 豫A1, references SQ-2026-001,
# report numbers), file names a user uploaded.
DATA = re.compile(
    r"[0-9a-fA-F]{16,}|[A-Za-z]*\d[\w\-]*|\b[A-Z]{1,4}-[\w\-]+"
    r"|[\w\-]+\.(?:csv|xlsx|pdf|zip|jpg|png|CSV|XLSX|PDF|ZIP|JPG|PNG)"
)
# The department-data catalogue documents the exchange format (column keys and accepted values
# of the files departments send), like the API docs.
FORMAT_REFERENCE = ("/feeds/sources/",)
# PENDING: pages that still show codes or English (empty since session 3: the monitoring
# indicators name their thresholds, the alerts their sources, in Chinese). A page listed here
# that reads clean fails the walk, so the list only shrinks.
PENDING: dict[str, str] = {}
WORD = re.compile(r"[A-Za-z][A-Za-z_]*")
CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SKIPPED_PREFIXES = ("/admin/", "/api/")


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.bad_dates: list[str] = []
        self._skip = 0
        self._skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        # translate="no" (HTML's own mark for text that is not language: login names, tokens)
        # is data, like a number; it must hold no element of its own that needs translating.
        if tag in ("script", "style", "template") or values.get("translate") == "no":
            self._skip += 1
            self._skipping.append(tag)
        for name in ("title", "placeholder", "aria-label"):
            if values.get(name):
                self.text.append(str(values[name]))
        if tag == "input" and values.get("type") == "date":
            value = values.get("value") or ""
            if value and not ISO_DATE.match(value):
                self.bad_dates.append(f"{values.get('name')}={value}")
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.text.append(str(values["value"]))

    def handle_endtag(self, tag: str) -> None:
        if self._skipping and tag == self._skipping[-1]:
            self._skipping.pop()
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def problems_of(html: str) -> list[str]:
    reader = _Reader()
    reader.feed(html)
    text = DATA.sub(" ", " ".join(reader.text))
    found = [f"代码 {code}" for code in sorted(set(CODE.findall(text)))]
    found += [
        f"英文 {word}"
        for word in sorted(set(WORD.findall(text)))
        if word not in ALLOWED and not CODE.fullmatch(word)
    ]
    found += [f"日期 {bad}" for bad in reader.bad_dates]
    return found


ROLES = ["village", "township", "county", "supervisor", "auditor", "administrator"]


def _named(user: Any, name: str) -> Any:
    # Screens name users by real name and post; a test account without them would show its
    # login name, which is what the walk looks for.
    user.real_name = name
    user.post = "经办人"
    user.save(update_fields=["real_name", "post"])
    return user


@pytest.fixture
def jinshui_officer(jinshui_officer: Any) -> Any:
    return _named(jinshui_officer, "李建国")


@pytest.fixture
def county_officer(county_officer: Any) -> Any:
    return _named(county_officer, "张丽")


@pytest.fixture
def users(
    village_assistant: Any, jinshui_officer: Any, county_officer: Any, supervisor: Any, auditor: Any
) -> dict[str, Any]:
    admin = make_user(
        "admin",
        Role.ADMINISTRATOR,
        Region.objects.get(code="410000000000"),
        is_staff=True,
        is_superuser=True,
    )
    users = {
        "village": village_assistant,
        "township": jinshui_officer,
        "county": county_officer,
        "supervisor": supervisor,
        "auditor": auditor,
        "administrator": admin,
    }
    for number, user in enumerate(users.values()):
        _named(user, "王李张赵刘陈"[number] + "同志")
    return users


def _pages(objects: dict[str, Any]) -> list[str]:
    urls = [reverse(name) for name in _argument_free_pages()]
    urls += [_url(name, pattern, objects) for name, _route, pattern in _patterns()]
    return [u for u in urls if not u.startswith(SKIPPED_PREFIXES + FORMAT_REFERENCE)]


def test_the_reader_finds_what_it_must() -> None:
    html = (
        '<p>类别 near_dibao</p><p title="Forbidden">x</p><script>var a = "English";</script>'
        '<input type="date" name="done_on" value="2026/12/07">'
        '<span translate="no">wang_li</span>'
    )
    assert problems_of(html) == [
        "代码 near_dibao",
        "英文 Forbidden",
        "英文 x",
        "日期 done_on=2026/12/07",
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_reads_in_chinese(
    client: Client,
    users: dict[str, Any],
    foreign_all: dict[str, Any],  # noqa: F811 - the scope test's fixture
    role: str,
) -> None:
    client.force_login(users[role])
    failures: dict[str, list[str]] = {}
    walked = 0
    pending_clean: set[str] = set(PENDING)
    for url in _pages(foreign_all):
        response = client.get(url)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        walked += 1
        found = problems_of(response.content.decode())
        pending = next((p for p in PENDING if url.startswith(p)), None)
        if pending is not None:
            if found:
                pending_clean.discard(pending)
            continue
        if found:
            failures[f"{url} ({response.status_code})"] = found
    assert walked > 20
    report = "\n".join(f"{url}: {'，'.join(found)}" for url, found in sorted(failures.items()))
    assert not failures, report
    if role in ("county", "supervisor"):  # roles that see every monitoring page
        assert pending_clean == set(), "reads clean now: remove from PENDING"
