"""Officers of 中原区 get nothing of a 金水区 household through any URL of the whole site.

Each app has its own scope tests; this one walks the complete URL configuration, so that a URL
added to any app that takes an object id is either covered here (with a real foreign object of
every kind: household, person, supporter, standards version, time limits, batch, verification
report, job, case, attachment, review, termination) or fails the completeness test. Two
outsiders knock on every door, by GET and POST: a township officer and a county officer, whose
wider capabilities make sure the refusal comes from the region scope and not only from a missing
capability.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import ZHONGYUAN, make_user
from safetynet.accounts.models import Office
from safetynet.accounts.roles import Role
from safetynet.accounts.services import api_token_create
from safetynet.determination import services as determination
from safetynet.determination.models import ReviewSchedule, TimeLimits
from safetynet.determination.tests.notice_cases import at, decided_case
from safetynet.documents.tests.pdf_text import pdf_flat_text
from safetynet.feeds.models import VerificationPurpose
from safetynet.feeds.services import batch_import, verification_report_issue
from safetynet.jinmin.services import exchange_export, exchange_import
from safetynet.jobs.tests.exporting import content_of, export_download
from safetynet.monitoring.common import CheckKind
from safetynet.monitoring.models import Alert, DataFlag, HomeCheck, Indicator, Scan, Visit
from safetynet.oversight import services as oversight
from safetynet.policy.models import StandardVersion
from safetynet.regions.models import Region
from safetynet.registry import services as registry
from safetynet.registry.exports import household_export_submit
from safetynet.registry.identity import decrypt_id_number
from safetynet.registry.selectors import HouseholdFilters
from safetynet.reports.figures import FIGURES
from safetynet.reports.rollups import refresh_recent

pytestmark = pytest.mark.django_db

# Which foreign object a URL's integer argument names: by argument, then by URL for ``pk``.
BY_ARGUMENT = {
    "household_id": "household",
    "household_pk": "household",
    "person_id": "person",
    "supporter_id": "supporter",
    "job_id": "job",
    "attachment_id": "attachment",
    "review_pk": "review",
}
PK_BY_URL = {
    "registry:person_reveal": "person",
    "policy:standards_delete": "standards",
    "determination:limits_delete": "limits",
    "feeds:batch_detail": "batch",
    "feeds:batch_report": "batch",
    "feeds:batch_quarantine": "batch",
    "feeds:verification_detail": "report",
    "feeds:verification_pdf": "report",
    "determination:case": "case",
    "determination:attachment_upload": "case",
    "determination:attachment_download": "case",
    "determination:action": "case",
    "determination:notice_pdf": "case",
    "determination:case_archive": "case",
    "determination:review_record": "review",
    "determination:termination": "termination",
    "determination:termination_publicity_close": "termination",
    "determination:termination_confirm": "termination",
    "determination:termination_decline": "termination",
    "determination:termination_complete": "termination",
    "determination:termination_notice": "termination",
    "jobs:status": "job",
    "jobs:download": "job",
    "monitoring:alert_detail": "alert",
    "monitoring:check_detail": "home_check",
    "monitoring:check_assign": "home_check",
    "oversight:declaration_detail": "declaration",
    "oversight:tipoff_detail": "tipoff",
    "oversight:recovery_detail": "recovery",
    "jinmin:detail": "exchange",
    "jinmin:differences": "exchange",
    "system:user_detail": "user",
    "system:user_active": "user",
    "system:user_password": "user",
    "system:user_second_factor": "user",
    "system:token_revoke": "token",
    "system:office_edit": "office",
    "assistance:referral": "referral",
    "assistance:emergency": "emergency",
    "monitoring:flag_resolve": "flag",
    "assistance:coordination": "coordination",
}
# Text arguments: a value that names something real, so the view gets as far as its checks.
SLUGS = {
    "action": "accept",
    "kind": "decision",
    "slug": "township",
    "token": "x" * 32,
    "code": "medical_burden",
}
# Batches are department data keyed by hashed ID numbers, not a region's households; they are
# guarded by capability and department (feeds tests), and they hold no name of the household.
# The queue export is the caller's own queue. Their content is still searched for the secrets.
NOT_REGIONAL = {"feeds:batch_detail", "feeds:batch_report", "feeds:batch_quarantine"}
# A monitoring indicator is settings data of the user's own county, no household in it.
NOT_REGIONAL |= {"monitoring:indicator_version"}
OWN_LISTS = {"determination:queue_export"}
# An administrator holds VIEW_ALL_JOBS, but a job carries its region (the creator's scope):
# another district's administrator gets 404 for its status, download and API like anyone else.
ADMIN_NOT_REGIONAL: set[str] = set()
ADMIN_API_NOT_REGIONAL: set[str] = set()


def _patterns() -> list[tuple[str, str, URLPattern]]:
    """(namespaced name, route, pattern) of every URL that takes an argument, admin aside."""
    found: list[tuple[str, str, URLPattern]] = []

    def walk(patterns: list[Any], route: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(
                    pattern.url_patterns,
                    route + str(pattern.pattern),
                    pattern.namespace or namespace,
                )
            elif pattern.pattern.regex.groupindex:
                full = route + str(pattern.pattern)
                if not full.startswith(("admin/", "api/")):
                    found.append((f"{namespace}:{pattern.name}", full, pattern))

    walk(get_resolver().url_patterns, "", "")
    return found


def _readable(response: Any) -> str:
    """What a person would read in the response: the page, or the text of a PDF, workbook or
    archive (every member of it)."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return _text_of(body)


def _text_of(body: bytes) -> str:
    if body.startswith(b"%PDF"):
        return pdf_flat_text(body)
    if body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" in names:  # a workbook: its cells live in XML members
                return " ".join(archive.read(n).decode(errors="replace") for n in names)
            return " ".join(_text_of(archive.read(n)) for n in names)
    return body.decode(errors="replace")


def _argument_free_pages() -> list[str]:
    names = []

    def walk(patterns: list[Any], route: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(
                    pattern.url_patterns,
                    route + str(pattern.pattern),
                    pattern.namespace or namespace,
                )
            elif not pattern.pattern.regex.groupindex and pattern.name:
                full = route + str(pattern.pattern)
                if namespace and not full.startswith(("admin/", "api/", "accounts/")):
                    names.append(f"{namespace}:{pattern.name}")

    walk(get_resolver().url_patterns, "", "")
    return names


def _object_for(name: str, argument: str) -> str | None:
    if argument == "pk":
        return PK_BY_URL.get(name, "household" if name.startswith("registry:") else None)
    return BY_ARGUMENT.get(argument)


@pytest.fixture
def foreign(jinshui_officer: Any, county_officer: Any, make_household: Any) -> dict[str, Any]:
    """One object of every kind, all of a 金水区 household."""
    household = make_household(jinshui_officer, head_name="欧阳秘密", wages=Decimal("300.00"))
    member = household.memberships.exclude(person=household.head).get().person
    supporter = registry.supporter_add(
        actor=jinshui_officer,
        household=household,
        name="赡养人甲",
        id_number="",
        relation="20",
        able_to_support=True,
    )
    head_id = decrypt_id_number(household.head.id_number_encrypted)
    standards = StandardVersion.objects.create(
        region=Region.objects.get(code=county_officer.scope_region_id),
        effective_from=dt.date.today() + dt.timedelta(days=30),
        dibao_urban_monthly=Decimal("900.00"),
        is_example=True,
    )
    limits = TimeLimits.objects.create(
        region_id=county_officer.scope_region_id,
        effective_from=dt.date.today() + dt.timedelta(days=30),
        procedure_days=25,
    )
    return {
        "household": household,
        "person": member,
        "supporter": supporter,
        "standards": standards,
        "limits": limits,
        "secrets": ["欧阳秘密", household.head.id_number_masked, head_id],
        "head_id": head_id,
    }


@pytest.fixture
def foreign_all(
    foreign: dict[str, Any], jinshui_officer: Any, county_officer: Any, tmp_path: Any
) -> dict[str, Any]:
    household = foreign["household"]
    csv = tmp_path / "vehicles.csv"
    csv.write_text(
        f"身份证号码,号牌号码,车辆类型,初次登记日期,车辆价值\n{foreign['head_id']},豫A1,轿车,2020-01-05,9000\n",
        encoding="utf-8",
    )
    batch = batch_import(
        source="vehicles", path=csv, period="2026-10", actor=county_officer, channel="cli"
    ).batch
    report, _pdf = verification_report_issue(
        actor=county_officer,
        household=household,
        purpose=VerificationPurpose.DETERMINATION,
        authorisation_reference="SQ-2026-001",
    )
    # A finished export of the 金水区 officer's household list: its file names the household.
    job = household_export_submit(user=jinshui_officer, filters=HouseholdFilters(), client=None)
    job.refresh_from_db()
    assert job.status == "succeeded" and job.region_code == jinshui_officer.scope_region_id
    case = decided_case(officer=jinshui_officer, county=county_officer, household=household)
    review = ReviewSchedule.objects.filter(household=household).first()
    assert review is not None
    with at(dt.date(2026, 5, 6)):
        termination = determination.termination_start(
            actor=jinshui_officer, household=household, reason="家庭收入提高"
        )
    scan = Scan.objects.create(region_code=household.region_id, on=dt.date(2026, 11, 16))
    alert = Alert.objects.create(
        subject_hash=household.head.id_number_hash,
        person=household.head,
        household=household,
        region_code=household.region_id,
        indicator_code="vehicle",
        indicator=Indicator.objects.get(code="vehicle"),
        period="2026-05",
        severity="medium",
        hardship_type="eligibility",
        evidence=[{"source": "vehicles", "batch": batch.pk, "period": "2026-10", "row": 2}],
        summary="救助家庭新增超值车辆：依据 1 条部门数据",
        first_scan=scan,
        last_scan=scan,
        raised_on=scan.on,
    )
    home_check = HomeCheck.objects.create(
        kind=CheckKind.ALERT,
        alert=alert,
        household=household,
        region_code=household.region_id,
        township_code=household.region_id[:9] + "000",
        created_on=scan.on,
        due_on=scan.on + dt.timedelta(days=14),
    )
    # The statistics' roll-ups hold the household's figures (issue 16, ADR 0014).
    refresh_recent()
    declaration = oversight.declaration_file(
        name="欧阳秘密",
        id_number=foreign["head_id"],
        region_code=household.region_id,
        phone="13800000000",
        account="家中困难",
        consent=True,
    )
    tipoff = oversight.tipoff_file(
        matter="fraud",
        region_code=household.region_id,
        content="举报欧阳秘密",
        subject_name="欧阳秘密",
    )
    tipoff = oversight.tipoff_close(
        actor=county_officer,
        tipoff=tipoff,
        finding="substantiated",
        investigation="属实",
        household=household,
    )
    recovery = oversight.recovery_decide(
        actor=county_officer,
        household=household,
        source="tipoff",
        reason="fraud",
        period_from=dt.date(2026, 5, 1),
        period_to=dt.date(2026, 6, 30),
        amount=Decimal("600.00"),
        decision_number="追字〔2026〕1号",
        decided_on=dt.date(2026, 7, 1),
        facts="隐瞒收入",
        officer_finding="no_fault",
        tipoff=tipoff,
    )
    exchange_export(actor=county_officer, out_dir=tmp_path / "jinmin")
    exchange = exchange_import(actor=county_officer, in_dir=tmp_path / "jinmin")
    visit = Visit.objects.create(
        home_check=home_check,
        visited_on=scan.on,
        findings="入户核实",
        outcome="data_wrong",
    )
    flag = DataFlag.objects.create(
        visit=visit,
        region_code=household.region_id,
        source="vehicles",
        batch_id=batch.pk,
        row_number=2,
        reason="车辆已过户纠错甲乙",
    )
    # System management: an account of 金水区 with a token, and a 金水区 office.
    account = make_user(
        "jinshui_clerk", Role.TOWNSHIP_OFFICER, household.region, real_name="秘书甲乙"
    )
    api_token_create(user=account, name="金水对接", actor=account)
    office = Office.objects.create(
        region_id=county_officer.scope_region_id,
        department="civil_affairs",
        name="金水区民政局",
        phone="0371-99990000",
    )
    referral = _assistance(jinshui_officer, household)
    return {
        **foreign,
        "referral": referral,
        "emergency": _emergency(jinshui_officer, household),
        "coordination": _coordination(county_officer, household),
        "secrets": [*foreign["secrets"], "秘书甲乙", "0371-99990000", "纠错甲乙"],
        "flag": flag,
        "user": account,
        "token": account.api_tokens.get(),
        "office": office,
        "declaration": declaration,
        "tipoff": tipoff,
        "recovery": recovery,
        "exchange": exchange,
        "alert": alert,
        "home_check": home_check,
        "batch": batch,
        "report": report,
        "job": job,
        "case": case,
        "attachment": case.attachments.first(),
        "review": review,
        "termination": termination,
    }


def _assistance(officer: Any, household: Any) -> Any:
    """A referral sent to the county's medical-security office, and a record it reported."""
    from safetynet.assistance.referrals import services as assistance

    referral = assistance.referral_add(
        actor=officer, household=household, item="medical_assistance", reason="户主患重病"
    )
    assistance.referrals_send(actor=officer, referrals=[referral])
    medical = make_user(
        "jinshui_medical",
        Role.DEPARTMENT_OFFICER,
        Region.objects.get(code="410105000000"),
        department="medical_security",
        real_name="刘医保",
    )
    assistance.record_report(
        actor=medical,
        household=household,
        item="medical_assistance",
        given=assistance.Given(kind="门诊救助", given_on=dt.date.today(), amount=Decimal("80")),
    )
    return referral


def _emergency(officer: Any, household: Any) -> Any:
    from safetynet.assistance.emergency.services import emergency_grant

    return emergency_grant(
        actor=officer, household=household, amount=Decimal("500"), reason="房屋失火"
    )


def _coordination(county: Any, household: Any) -> Any:
    from safetynet.assistance.coordination import services as coordination

    return coordination.coordination_open(
        actor=county,
        household=household,
        situation="因病致贫",
        meeting_on=dt.date.today(),
        decision="教育部门落实助学",
        tasks=[coordination.Task("education", "发放助学金", dt.date.today())],
    )


@pytest.fixture(params=["township", "county", "admin", "department"])
def outsider(request: Any, client: Client, zhongyuan_officer: Any) -> Client:
    """Officers and an administrator of 中原区: the administrator holds every capability, so
    whatever it is refused is refused by the region scope alone."""
    if request.param == "township":
        client.force_login(zhongyuan_officer)
    elif request.param == "admin":
        admin = make_user("zhongyuan_admin", Role.ADMINISTRATOR, Region.objects.get(code=ZHONGYUAN))
        client.force_login(admin)
        client.not_regional = ADMIN_NOT_REGIONAL  # type: ignore[attr-defined]
        client.api_not_regional = ADMIN_API_NOT_REGIONAL  # type: ignore[attr-defined]
    elif request.param == "department":
        # The same department in another district (the own district's other departments are
        # refused by department: assistance/tests/test_referrals.py).
        client.force_login(
            make_user(
                "zhongyuan_medical",
                Role.DEPARTMENT_OFFICER,
                Region.objects.get(code=ZHONGYUAN),
                department="medical_security",
            )
        )
    else:
        county = make_user(
            "zhongyuan_county", Role.COUNTY_OFFICER, Region.objects.get(code=ZHONGYUAN)
        )
        client.force_login(county)
    return client


def _url(name: str, pattern: URLPattern, objects: dict[str, Any]) -> str:
    kwargs: dict[str, Any] = {}
    for argument in pattern.pattern.regex.groupindex:
        target = _object_for(name, argument)
        kwargs[argument] = objects[target].pk if target else SLUGS[argument]
    return reverse(name, kwargs=kwargs)


def test_every_url_with_an_argument_is_known_to_the_matrix() -> None:
    unknown = [
        (name, argument)
        for name, _route, pattern in _patterns()
        for argument in pattern.pattern.regex.groupindex
        if _object_for(name, argument) is None and argument not in SLUGS
    ]
    assert unknown == []


@pytest.mark.parametrize("method", ["get", "post"])
def test_outsiders_get_nothing_of_another_districts_household_from_any_url(
    outsider: Client, foreign_all: dict[str, Any], method: str
) -> None:
    leaks = []
    for name, _route, pattern in _patterns():
        response = getattr(outsider, method)(_url(name, pattern, foreign_all))
        text = _readable(response)
        shown = [secret for secret in foreign_all["secrets"] if secret in text]
        refused = response.status_code in (403, 404, 405)
        exempt = NOT_REGIONAL | OWN_LISTS | getattr(outsider, "not_regional", set())
        if not (refused or name in exempt) or shown:
            leaks.append((name, response.status_code, shown))
    assert leaks == []


def test_no_list_page_or_export_shows_another_districts_household(
    outsider: Client, foreign_all: dict[str, Any]
) -> None:
    leaks = []
    for name in _argument_free_pages():
        response = outsider.get(reverse(name))
        shown = [s for s in foreign_all["secrets"] if s in _readable(response)]
        if shown:
            leaks.append((name, response.status_code, shown))
    assert leaks == []


# Every list export is a POST that starts a job (jobs.exports); the walk presses each button
# with the page's parameters and reads the file the job made. (URL name, query.)
EXPORTS = [
    ("registry:export", {}),
    ("monitoring:alert_export", {}),
    ("monitoring:watched_export", {}),
    ("reports:drill_export", {"figure": "households"}),
    ("reports:drill_export", {"figure": "alerts"}),
    ("policy:bulk_export", {"on": "2026-11-16"}),
    ("jinmin:export", {}),
]
# Fixed-size documents that stay in the request (ADR 0016): the walk above reads them by GET.
IN_REQUEST = {
    "reports:monthly_export",
    "reports:assessment_export",
    "determination:limits_export",
    "policy:standards_export",
}


def _export_files(client: Client, params: dict[str, str] | None = None) -> list[Any]:
    """(name, status, file text) of every export button pressed by ``client``."""
    found = []
    pressed = [
        *EXPORTS,
        ("determination:queue_export", {}),
        ("assistance:payments", {"format": "xlsx", **(params or {})}),
        ("assistance:payments", {"format": "bank", **(params or {})}),
    ]
    for name, query in pressed:
        url = (
            reverse(name, kwargs={"slug": "township"})
            if name == "determination:queue_export"
            else reverse(name)
        )
        response = client.post(url + ("?" + urlencode(query) if query else ""))
        if response.status_code != 302:
            found.append((name, response.status_code, _readable(response)))
            continue
        job = int(response["Location"].strip("/").split("/")[-1])
        download = client.get(f"/jobs/{job}/download/")
        text = _readable(download) if download.status_code == 200 else ""
        found.append((name, download.status_code, text))
    return found


def test_every_export_is_a_job_or_a_known_fixed_size_document() -> None:
    names = {name for name in _argument_free_pages() if "export" in name}
    assert names - {name for name, _q in EXPORTS} - IN_REQUEST == set()


def test_no_export_job_gives_another_districts_household(
    outsider: Client, foreign_all: dict[str, Any]
) -> None:
    leaks = []
    for name, status, text in _export_files(outsider, {"county": ZHONGYUAN[:6]}):
        shown = [s for s in foreign_all["secrets"] if s in text]
        if shown:
            leaks.append((name, status, shown))
    assert leaks == []
    # Nor the other district's job itself: its page, file and API answer 404.
    job = foreign_all["job"]
    for url in (f"/jobs/{job.pk}/", f"/jobs/{job.pk}/download/", f"/api/jobs/{job.pk}"):
        assert outsider.get(url).status_code == 404, url


def test_the_export_walk_would_see_a_leak(
    client: Client, county_officer: Any, foreign_all: dict[str, Any]
) -> None:
    """The household's own county finds it in the files, so the walk above can fail; and its
    own officer downloads the job the outsiders could not."""
    client.force_login(county_officer)
    files: dict[str, str] = {}
    for name, status, text in _export_files(client, {"county": "410105"}):
        if status == 200:
            files[name] = files.get(name, "") + text
    for name in ("registry:export", "monitoring:alert_export", "reports:drill_export"):
        assert "欧阳秘密" in files.get(name, ""), name
    owner = Client()
    owner.force_login(foreign_all["job"].created_by)
    download = export_download(owner, foreign_all["job"].pk)
    assert "欧阳秘密" in _text_of(content_of(download))


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("determination:case", "case"),
        ("feeds:verification_pdf", "report"),
        ("monitoring:alert_detail", "alert"),
        ("monitoring:check_detail", "home_check"),
        ("oversight:declaration_detail", "declaration"),
        ("oversight:tipoff_detail", "tipoff"),
        ("oversight:recovery_detail", "recovery"),
        ("assistance:referral", "referral"),
    ],
)
def test_the_matrix_would_see_a_leak_in_a_page_or_a_pdf(
    client: Client, county_officer: Any, foreign_all: dict[str, Any], name: str, target: str
) -> None:
    """The same reading, done by the household's own county officer, finds the household."""
    client.force_login(county_officer)
    response = client.get(reverse(name, kwargs={"pk": foreign_all[target].pk}))

    assert response.status_code == 200
    assert "欧阳秘密" in _readable(response)


# --- the API: every path of the OpenAPI document ---------------------------------------------

API_OBJECTS = {
    "household_id": "household",
    "person_id": "person",
    "batch_id": "batch",
    "job_id": "job",
    "case_id": "case",
    "review_id": "review",
    "check_id": "data_check",
    "alert_id": "alert",
    "home_check_id": "home_check",
    "tipoff_id": "tipoff",
    "referral_id": "referral",
}
# Regions are public reference data; batches are guarded by capability and department.
API_NOT_REGIONAL = {"code", "batch_id"}


def _api_operations() -> list[tuple[str, str, list[str]]]:
    from safetynet.api import api

    document = api.get_openapi_schema()
    return [
        (method, path, [p["name"] for p in op.get("parameters", []) if p["in"] == "path"])
        for path, operations in document["paths"].items()
        for method, op in operations.items()
        if "{" in path
    ]


def test_every_api_path_argument_is_known_to_the_matrix() -> None:
    unknown = {
        name
        for _m, _p, names in _api_operations()
        for name in names
        if name not in API_OBJECTS and name not in API_NOT_REGIONAL
    }
    assert unknown == set()


def test_outsiders_get_nothing_of_another_districts_household_from_any_api_path(
    outsider: Client, foreign_all: dict[str, Any]
) -> None:
    objects = {**foreign_all, "data_check": foreign_all["case"].data_checks.first()}
    leaks = []
    for method, path, names in _api_operations():
        if any(name in API_NOT_REGIONAL for name in names):
            continue
        url = path
        for name in names:
            url = url.replace("{" + name + "}", str(objects[API_OBJECTS[name]].pk))
        response = getattr(outsider, method)(url, data={}, content_type="application/json")
        shown = [s for s in foreign_all["secrets"] if s in _readable(response)]
        # An empty body is refused (422) before the object is looked up: nothing is disclosed;
        # the case API's own tests send valid bodies and get 404 (determination/tests/test_api).
        refused = (403, 404) if method == "get" else (403, 404, 422)
        exempt = path in getattr(outsider, "api_not_regional", set())
        if (response.status_code not in refused and not exempt) or shown:
            leaks.append((method, path, response.status_code, shown))
    assert leaks == []


def test_outsiders_get_no_statistics_of_another_districts_regions(
    outsider: Client, foreign_all: dict[str, Any]
) -> None:
    """The statistics pages take the region as a parameter: another district's village,
    township or county is refused like an object of it, for every figure; the outsider's own
    figures and drill-downs never list the household."""
    village = foreign_all["household"].region_id
    regions = [village, village[:9] + "000", village[:6] + "000000"]
    names = [name for name in _argument_free_pages() if name.startswith("reports:")]
    assert len(names) >= 6
    leaks = []
    for name in names:
        for figure in FIGURES:
            for region in [*regions, ""]:
                params = {"figure": figure.key, "category": "dibao"}
                if region:
                    params["region"] = region
                response = outsider.get(reverse(name), params)
                shown = [s for s in foreign_all["secrets"] if s in _readable(response)]
                # 404 like an object of another region; 403 without the capability at all.
                if shown or (region and response.status_code not in (403, 404)):
                    leaks.append((name, figure.key, region, response.status_code, shown))
    assert leaks == []


def test_the_statistics_walk_would_see_a_leak(
    client: Client, county_officer: Any, foreign_all: dict[str, Any]
) -> None:
    """The household's own county finds it behind the figures, so the walk above can fail."""
    household = foreign_all["household"]
    client.force_login(county_officer)
    found = False
    for figure in ("households", "alerts", "checks_due", "reviews_due"):
        for month in {f"{household.created_at:%Y-%m}", "2026-05", "2026-11"}:
            response = client.get(
                reverse("reports:drill"),
                {"figure": figure, "region": household.region_id, "month": month},
            )
            assert response.status_code == 200
            found = found or "欧阳秘密" in _readable(response)
    assert found
