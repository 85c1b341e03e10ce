"""Direct inclusion (二) of existing registers: the service, the console command and the page.

Registers are real files (the household import's columns plus the register's), built with the
registry's test helpers. Time is frozen at 2026-03-10 in Asia/Shanghai.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core import management
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from conftest import first_below, new_id_number
from safetynet.accounts.permissions import PermissionDenied
from safetynet.audit.models import Action, AuditRecord
from safetynet.cli import main
from safetynet.core.dates import DATE_OR_MONTH_FORMATS
from safetynet.determination.inclusion.registers import (
    INCLUSION_JOB_KIND,
    NOT_A_MEMBER,
    RegisterKind,
    parse_date,
    registers_include,
)
from safetynet.determination.models import (
    Application,
    CaseEvent,
    Decision,
    EventKind,
    ReviewSchedule,
    Status,
)
from safetynet.jobs.models import Job, JobStatus
from safetynet.regions.models import Level, Region
from safetynet.registry import services as registry_services
from safetynet.registry.identity import decrypt_id_number, mask_id_number
from safetynet.registry.models import CategoryStatus, Household, Person, RelapseWatchStatus
from safetynet.registry.tests.import_files import HEADERS, Row, csv_bytes, family, table, xlsx_bytes

pytestmark = pytest.mark.django_db

D = dt.date
REGISTER_HEADERS = [
    *HEADERS,
    "纳入日期",
    "保障类别",
    "保障对象",
    "监测类型",
    "月保障金额",
    "照料护理等级",
]


@pytest.fixture(autouse=True)
def _frozen(clock: Any) -> None:
    clock.on(D(2026, 3, 10))


@pytest.fixture
def village(jinshui_township: Region) -> Region:
    return first_below(jinshui_township.code, Level.VILLAGE)


def register(people: list[Row], *, headers: list[str] = REGISTER_HEADERS) -> bytes:
    return xlsx_bytes(table(people, headers))


def dibao_family(village: Region, **head: object) -> list[Row]:
    people = family(village.code)
    people[0].update({"纳入日期": "2024-05-01", **head})
    return people


def destitute_person(village: Region, **extra: object) -> list[Row]:
    """One elderly person living alone, the register's usual destitute household."""
    number = new_id_number(village.code[:6], born=D(1945, 6, 1))
    return [
        {
            "户主身份证号": number,
            "区划代码": village.code,
            "姓名": "孤老甲",
            "身份证号": number,
            "与户主关系": "户主",
            "劳动能力": "无劳动能力",
            "纳入日期": "2023年6月1日",
            **extra,
        }
    ]


def include(actor: Any, kind: str, content: bytes, name: str = "名册.xlsx") -> Any:
    return registers_include(actor=actor, kind=kind, content=content, file_name=name)


def problems(result: Any) -> list[tuple[int | None, str, str, str]]:
    return [(p.row, p.column, p.value, p.reason) for p in result.problems]


# --- dibao -------------------------------------------------------------------------------------


def test_dibao_register_creates_the_household_with_dibao_from_the_register_date(
    jinshui_officer: Any, village: Region
) -> None:
    result = include(jinshui_officer, RegisterKind.DIBAO, register(dibao_family(village)))
    household = Household.objects.get()
    status = CategoryStatus.objects.get(household=household)
    assert (len(result.included), len(result.created), result.ok) == (1, 1, True)
    assert (household.category, status.category, status.effective_from) == (
        "dibao",
        "dibao",
        D(2024, 5, 1),
    )


def test_included_household_is_not_screened_again(jinshui_officer: Any, village: Region) -> None:
    include(jinshui_officer, RegisterKind.DIBAO, register(dibao_family(village)))
    case = Application.objects.get()
    assert (case.direct_inclusion, case.status, case.type) == (True, Status.CONFIRMED, "dibao")
    assert not CaseEvent.objects.filter(kind=EventKind.HOME_VISIT).exists()


def test_inclusion_is_an_event_on_the_household_timeline(
    jinshui_officer: Any, village: Region
) -> None:
    include(jinshui_officer, RegisterKind.DIBAO, register(dibao_family(village)))
    event = CaseEvent.objects.get(kind=EventKind.DIRECT_INCLUSION)
    assert (event.household_id, event.on) == (Household.objects.get().pk, D(2024, 5, 1))


def test_register_amount_is_kept_on_the_decision(jinshui_officer: Any, village: Region) -> None:
    people = dibao_family(village, **{"月保障金额": "1,050.50元"})
    include(jinshui_officer, RegisterKind.DIBAO, register(people))
    assert Decision.objects.get().monthly_amount == Decimal("1050.50")


def test_same_register_twice_is_unchanged_the_second_time(
    jinshui_officer: Any, village: Region
) -> None:
    content = register(dibao_family(village) + dibao_family(village))
    include(jinshui_officer, RegisterKind.DIBAO, content)
    again = include(jinshui_officer, RegisterKind.DIBAO, content)
    assert (len(again.included), len(again.unchanged), again.ok) == (0, 2, True)
    assert (Household.objects.count(), Application.objects.count()) == (2, 2)


def test_registered_household_is_included_without_a_second_household(
    jinshui_officer: Any, village: Region, make_household: Any
) -> None:
    household = make_household(jinshui_officer, village=village)
    head = Person.objects.get(pk=household.head_id)
    number = decrypt_id_number(head.id_number_encrypted)
    row = {"户主身份证号": number, "姓名": head.name, "身份证号": number, "与户主关系": "户主"}
    row["纳入日期"] = "2025-01-01"
    result = include(jinshui_officer, RegisterKind.DIBAO, register([row]))
    household.refresh_from_db()
    assert (len(result.included), len(result.created), household.category) == (1, 0, "dibao")
    assert Household.objects.count() == 1


def test_register_row_who_is_not_a_member_of_the_registered_household_is_refused(
    jinshui_officer: Any, village: Region, make_household: Any
) -> None:
    household = make_household(jinshui_officer, village=village)
    head = Person.objects.get(pk=household.head_id)
    number = decrypt_id_number(head.id_number_encrypted)
    stranger = new_id_number(village.code[:6])
    rows: list[Row] = [
        {"户主身份证号": number, "姓名": head.name, "身份证号": number, "与户主关系": "户主"},
        {"户主身份证号": number, "姓名": "外人", "身份证号": stranger, "与户主关系": "子"},
    ]
    rows[0]["纳入日期"] = "2025-01-01"
    result = include(jinshui_officer, RegisterKind.DIBAO, register(rows))
    assert problems(result) == [(3, "身份证号", mask_id_number(stranger), NOT_A_MEMBER)]
    assert not Application.objects.exists()


def test_date_not_after_the_current_category_is_refused(
    jinshui_officer: Any, village: Region, make_household: Any
) -> None:
    household = make_household(jinshui_officer, village=village)
    registry_services.category_set(
        actor=jinshui_officer,
        household=household,
        category="near_dibao",
        effective_from=D(2025, 6, 1),
        reason="低保边缘",
    )
    head = Person.objects.get(pk=household.head_id)
    number = decrypt_id_number(head.id_number_encrypted)
    row = {"户主身份证号": number, "姓名": head.name, "身份证号": number, "与户主关系": "户主"}
    row["纳入日期"] = "2025-01-01"
    result = include(jinshui_officer, RegisterKind.DIBAO, register([row]))
    assert problems(result) == [
        (2, "纳入日期", "2025-01-01", "纳入日期须晚于该户当前记录的生效日期 2025-06-01")
    ]


def test_individual_dibao_goes_to_the_marked_member(jinshui_officer: Any, village: Region) -> None:
    people = dibao_family(village, **{"保障类别": "单人保"})
    people[1]["保障对象"] = "是"
    include(jinshui_officer, RegisterKind.DIBAO, register(people))
    status = CategoryStatus.objects.get()
    assert (status.category, status.person.name, Household.objects.get().category) == (
        "individual_dibao",
        "李四",
        "",
    )


def test_unknown_dibao_category_is_named(jinshui_officer: Any, village: Region) -> None:
    people = dibao_family(village, **{"保障类别": "五保"})
    result = include(jinshui_officer, RegisterKind.DIBAO, register(people))
    assert problems(result) == [(2, "保障类别", "五保", "保障类别应为：低保、单人保")]


# --- destitute ---------------------------------------------------------------------------------


def test_destitute_person_living_alone_is_included_with_care_tier(
    jinshui_officer: Any, village: Region
) -> None:
    people = destitute_person(village, **{"照料护理等级": "半护理", "月保障金额": "980"})
    include(jinshui_officer, RegisterKind.DESTITUTE, register(people))
    status = CategoryStatus.objects.get()
    decision = Decision.objects.get()
    assert (status.category, status.person.name, status.effective_from) == (
        "destitute",
        "孤老甲",
        D(2023, 6, 1),
    )
    assert (decision.care_tier, decision.monthly_amount) == ("partial", Decimal("980.00"))


def test_destitute_household_of_several_must_mark_the_person(
    jinshui_officer: Any, village: Region
) -> None:
    people = dibao_family(village)
    result = include(jinshui_officer, RegisterKind.DESTITUTE, register(people))
    [(row, column, _, reason)] = problems(result)
    assert (row, column) == (2, "保障对象")
    assert "特困按人认定" in reason
    assert not Household.objects.exists()


def test_destitute_member_may_carry_their_own_date(jinshui_officer: Any, village: Region) -> None:
    people = dibao_family(village)
    people[1].update({"保障对象": "是", "纳入日期": "2022/9/15"})
    include(jinshui_officer, RegisterKind.DESTITUTE, register(people))
    status = CategoryStatus.objects.get()
    assert (status.person.name, status.effective_from) == ("李四", D(2022, 9, 15))


def test_unknown_care_tier_is_named(jinshui_officer: Any, village: Region) -> None:
    people = destitute_person(village, **{"照料护理等级": "特护"})
    result = include(jinshui_officer, RegisterKind.DESTITUTE, register(people))
    assert problems(result) == [
        (2, "照料护理等级", "特护", "照料护理等级应为：全自理、半护理、全护理")
    ]


# --- anti-relapse watch ------------------------------------------------------------------------


def test_relapse_watch_register_sets_the_watch_and_the_timeline_event(
    jinshui_officer: Any, village: Region
) -> None:
    people = dibao_family(village, **{"监测类型": "边缘易致贫户"})
    result = include(jinshui_officer, RegisterKind.RELAPSE_WATCH, register(people))
    watch = RelapseWatchStatus.objects.get()
    event = CaseEvent.objects.get(kind=EventKind.DIRECT_INCLUSION)
    assert (watch.watch_type, watch.effective_from) == ("at_risk", D(2024, 5, 1))
    assert (event.application_id, event.data, len(result.included)) == (
        None,
        {"watch_type": "at_risk"},
        1,
    )
    assert not Application.objects.exists()


def test_relapse_watch_register_without_the_type_column_is_refused(
    jinshui_officer: Any, village: Region
) -> None:
    headers = [h for h in REGISTER_HEADERS if h != "监测类型"]
    result = include(
        jinshui_officer,
        RegisterKind.RELAPSE_WATCH,
        register(dibao_family(village), headers=headers),
    )
    assert problems(result) == [(1, "监测类型", "", "缺少必需的列“监测类型”")]


def test_unknown_watch_type_lists_the_three_types(jinshui_officer: Any, village: Region) -> None:
    people = dibao_family(village, **{"监测类型": "一般户"})
    result = include(jinshui_officer, RegisterKind.RELAPSE_WATCH, register(people))
    assert problems(result) == [
        (2, "监测类型", "一般户", "监测类型应为：脱贫不稳定户、边缘易致贫户、突发严重困难户")
    ]


# --- validation of the whole file --------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("2024-13-01", "日期不存在：2024-13-01"),
        (
            "去年",
            f"日期格式无法识别，应为 {DATE_OR_MONTH_FORMATS}",
        ),
        ("2026-03-11", "纳入日期晚于今天"),
        ("", "户主所在行须填写纳入日期"),
    ],
)
def test_bad_register_date_is_named_and_nothing_is_written(
    jinshui_officer: Any, village: Region, written: str, reason: str
) -> None:
    people = dibao_family(village, **{"纳入日期": written})
    result = include(jinshui_officer, RegisterKind.DIBAO, register(people))
    assert problems(result) == [(2, "纳入日期", written, reason)]
    assert (Household.objects.count(), Application.objects.count()) == (0, 0)


# Pure parsing: on a machine busy with other work, generation may be slow, not wrong.
@hypothesis_settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(day=st.dates(min_value=D(1990, 1, 1), max_value=D(2026, 3, 10)))
def test_every_written_form_of_a_date_reads_back_as_that_date(day: dt.date) -> None:
    forms = [
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
        f"{day:%Y%m%d}",
        f"{day.year}.{day.month:02d}.{day.day:02d}",
        f"{day.isoformat()} 00:00:00",
        f"{day.year} 年 {day.month} 月 {day.day} 日",
        dt.datetime.combine(day, dt.time(0)),
    ]
    assert {parse_date(form, today=D(2026, 3, 10)) for form in forms} == {day}


def test_month_only_date_means_the_first_of_the_month(
    jinshui_officer: Any, village: Region
) -> None:
    include(
        jinshui_officer,
        RegisterKind.DIBAO,
        register(dibao_family(village, **{"纳入日期": "2024-07"})),
    )
    assert CategoryStatus.objects.get().effective_from == D(2024, 7, 1)


def test_excel_date_cell_is_read_as_a_date(jinshui_officer: Any, village: Region) -> None:
    people = dibao_family(village, **{"纳入日期": dt.datetime(2024, 8, 3)})
    include(jinshui_officer, RegisterKind.DIBAO, register(people))
    assert CategoryStatus.objects.get().effective_from == D(2024, 8, 3)


def test_one_bad_household_keeps_the_good_ones_out_too(
    jinshui_officer: Any, village: Region
) -> None:
    bad = dibao_family(village)
    bad[1]["健康状况"] = "很好"
    result = include(jinshui_officer, RegisterKind.DIBAO, register(dibao_family(village) + bad))
    assert [p[:2] for p in problems(result)] == [(5, "健康状况")]
    assert Household.objects.count() == 0


def test_household_outside_scope_is_refused(
    jinshui_officer: Any, zhongyuan_township: Region
) -> None:
    outside = first_below(zhongyuan_township.code, Level.VILLAGE)
    result = include(jinshui_officer, RegisterKind.DIBAO, register(dibao_family(outside)))
    assert [p[1:] for p in problems(result)] == [
        ("区划代码", outside.code, "区划代码不是您管辖范围内的村(居)委会")
    ]


def test_register_from_before_any_time_limits_is_included_with_its_date(
    jinshui_officer: Any, village: Region
) -> None:
    people = dibao_family(village, **{"纳入日期": "2019-01-01"})
    result = include(jinshui_officer, RegisterKind.DIBAO, register(people))
    assert (result.ok, len(result.included)) == (True, 1)
    assert CategoryStatus.objects.get().effective_from == D(2019, 1, 1)


def test_old_register_is_reviewed_on_the_next_anniversaries_not_at_once(
    jinshui_officer: Any, village: Region
) -> None:
    people = []
    for written in ("2017-06-30", "2019-01-01", "2022/3/10", "2025年9月1日"):
        family_ = dibao_family(village, **{"纳入日期": written, "劳动能力": "无劳动能力"})
        people += family_
    include(jinshui_officer, RegisterKind.DIBAO, register(people))
    # Nobody can work: yearly checks, each on its next anniversary on or after 2026-03-10.
    assert sorted(ReviewSchedule.objects.values_list("due_on", flat=True)) == [
        D(2026, 3, 10),
        D(2026, 6, 30),
        D(2026, 9, 1),
        D(2027, 1, 1),
    ]


def test_included_households_are_audited_in_one_batch_record(
    jinshui_officer: Any, village: Region
) -> None:
    content = register(dibao_family(village) + dibao_family(village))
    include(jinshui_officer, RegisterKind.DIBAO, content)
    record = AuditRecord.objects.get(object_type="direct_inclusion")
    household_ids = sorted(Household.objects.values_list("pk", flat=True))
    assert sorted(row[1] for row in record.detail["cases"]) == household_ids


def test_write_progress_is_told_the_households_before_writing(
    jinshui_officer: Any, village: Region
) -> None:
    told: list[int] = []
    registers_include(
        actor=jinshui_officer,
        kind=RegisterKind.DIBAO,
        content=register(dibao_family(village) + dibao_family(village)),
        file_name="名册.xlsx",
        on_write=told.append,
    )
    assert told == [2]


def test_register_columns_are_not_reported_as_ignored(
    jinshui_officer: Any, village: Region
) -> None:
    headers = [*REGISTER_HEADERS, "备注"]
    result = include(
        jinshui_officer, RegisterKind.DIBAO, register(dibao_family(village), headers=headers)
    )
    assert result.ignored_columns == ["备注"]


def test_csv_register_in_gbk_is_read(jinshui_officer: Any, village: Region) -> None:
    content = csv_bytes(table(dibao_family(village), REGISTER_HEADERS), encoding="gbk")
    result = include(jinshui_officer, RegisterKind.DIBAO, content, name="低保名册.csv")
    assert (result.ok, len(result.included)) == (True, 1)


def test_village_assistant_may_not_include(village_assistant: Any, village: Region) -> None:
    with pytest.raises(PermissionDenied, match="直接纳入名册"):
        include(village_assistant, RegisterKind.DIBAO, register(dibao_family(village)))


def test_import_writes_one_summary_audit_record(jinshui_officer: Any, village: Region) -> None:
    include(jinshui_officer, RegisterKind.DIBAO, register(dibao_family(village)))
    record = AuditRecord.objects.get(action=Action.IMPORT, object_type="register_inclusion")
    assert (record.detail["included"], record.detail["created"], record.detail["kind"]) == (
        1,
        1,
        "dibao",
    )


def test_dibao_inclusion_schedules_the_periodic_check(
    jinshui_officer: Any, village: Region
) -> None:
    include(jinshui_officer, RegisterKind.DIBAO, register(dibao_family(village)))
    assert ReviewSchedule.objects.get().kind == "periodic_check"


# --- the console command -----------------------------------------------------------------------


def run(*args: str) -> tuple[int, list[str]]:
    out = io.StringIO()
    try:
        call_command("include_registers", *args, stdout=out)
        status = 0
    except SystemExit as exc:
        status = int(exc.code or 0)
    return status, out.getvalue().splitlines()


def test_console_script_maps_include_registers_to_the_command(monkeypatch: Any) -> None:
    seen: list[list[str]] = []
    monkeypatch.setattr(management, "execute_from_command_line", seen.append)
    main(["include-registers", "f.xlsx", "--kind", "dibao"])
    assert seen == [["safetynet", "include_registers", "f.xlsx", "--kind", "dibao"]]


def test_command_prints_included_and_unchanged(
    jinshui_officer: Any, village: Region, tmp_path: Path
) -> None:
    path = tmp_path / "低保.xlsx"
    path.write_bytes(register(dibao_family(village) + dibao_family(village)))
    first = run(str(path), "--kind", "dibao", "--as", "jinshui")
    second = run(str(path), "--kind", "dibao", "--as", "jinshui")
    assert (first, second) == ((0, ["included=2 unchanged=0"]), (0, ["included=0 unchanged=2"]))


def test_command_errors_print_lines_write_the_report_and_exit_one(
    jinshui_officer: Any, village: Region, tmp_path: Path
) -> None:
    path = tmp_path / "bad.xlsx"
    path.write_bytes(register(dibao_family(village, **{"纳入日期": "去年"})))
    target = tmp_path / "report.xlsx"
    status, lines = run(str(path), "--kind", "dibao", "--as", "jinshui", "--report", str(target))
    rows = list(load_workbook(io.BytesIO(target.read_bytes())).active.iter_rows(values_only=True))
    assert (status, lines[-1]) == (1, f"errors=1 report={target}")
    assert lines[0].startswith("2\t纳入日期\t去年\t日期格式无法识别")
    assert rows[2][:3] == (2, "纳入日期", "去年")


def test_command_report_defaults_beside_the_file(
    jinshui_officer: Any, village: Region, tmp_path: Path
) -> None:
    path = tmp_path / "bad.xlsx"
    path.write_bytes(register(dibao_family(village, **{"纳入日期": "去年"})))
    _, lines = run(str(path), "--kind", "dibao", "--as", "jinshui")
    assert lines[-1] == f"errors=1 report={tmp_path / 'bad.xlsx.errors.xlsx'}"


def test_command_refuses_a_user_without_the_capability(
    village_assistant: Any, village: Region, tmp_path: Path
) -> None:
    path = tmp_path / "低保.xlsx"
    path.write_bytes(register(dibao_family(village)))
    with pytest.raises(CommandError, match="没有直接纳入名册的权限"):
        run(str(path), "--kind", "dibao", "--as", "village")


def test_command_requires_the_kind(jinshui_officer: Any, tmp_path: Path) -> None:
    path = tmp_path / "低保.xlsx"
    path.write_bytes(b"")
    with pytest.raises(CommandError, match="--kind"):
        run(str(path), "--as", "jinshui")


# --- the page ----------------------------------------------------------------------------------


@pytest.fixture
def officer(client: Client, jinshui_officer: Any) -> Client:
    client.force_login(jinshui_officer)
    return client


def upload(client: Client, kind: str, content: bytes, name: str = "名册.xlsx") -> Any:
    """Post a register; the job runs inline in tests (JOBS_INLINE), the page follows it."""
    return client.post(
        reverse("determination:inclusion"),
        {"kind": kind, "file": SimpleUploadedFile(name, content)},
        follow=True,
    )


def test_page_lists_the_register_columns(officer: Client) -> None:
    body = officer.get(reverse("determination:inclusion")).content.decode()
    assert all(header in body for header in ("纳入日期", "保障对象", "监测类型"))


def test_page_refuses_an_xls_register_with_the_shared_advice(officer: Client) -> None:
    body = upload(officer, "dibao", b"\xd0\xcf", name="名册.xls").content.decode()
    assert "暂不支持 .xls 格式" in body
    assert not Job.objects.exists()


def test_page_runs_the_import_as_a_job_and_shows_its_outcome(
    officer: Client, village: Region
) -> None:
    response = upload(officer, "dibao", register(dibao_family(village)))
    job = Job.objects.get()
    body = response.content.decode()
    assert response.redirect_chain == [(f"{reverse('determination:inclusion')}?job={job.pk}", 302)]
    assert (job.kind, job.status, job.result["included"]) == (
        INCLUSION_JOB_KIND,
        JobStatus.SUCCEEDED,
        1,
    )
    assert 'id="included-count">1<' in body
    assert Household.objects.get().category == "dibao"


def test_job_page_polls_while_the_import_runs(
    officer: Client, jinshui_officer: Any, village: Region
) -> None:
    job = Job.objects.create(
        kind=INCLUSION_JOB_KIND,
        task="safetynet.determination.inclusion.registers_include_task",
        created_by=jinshui_officer,
        status=JobStatus.RUNNING,
        progress_done=0,
        progress_total=300,
        stage="正在写入 300 户",
    )
    body = officer.get(reverse("determination:inclusion"), {"job": job.pk}).content.decode()
    assert f'hx-get="{reverse("jobs:status", args=[job.pk])}"' in body
    assert "正在写入 300 户" in body


def test_uploaded_register_is_deleted_when_the_job_ends(
    officer: Client, village: Region, settings: Any
) -> None:
    upload(officer, "dibao", register(dibao_family(village, **{"纳入日期": "去年"})))
    folder = Path(settings.MEDIA_ROOT) / "inclusion-uploads"
    assert list(folder.iterdir()) == []


def test_page_shows_problems_and_the_report_downloads(officer: Client, village: Region) -> None:
    response = upload(officer, "dibao", register(dibao_family(village, **{"纳入日期": "去年"})))
    job = Job.objects.get()
    report = officer.get(reverse("determination:inclusion_report", args=[job.pk]))
    rows = list(
        load_workbook(io.BytesIO(b"".join(report.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert "日期格式无法识别" in response.content.decode()
    assert report["Content-Disposition"].endswith("%E5%90%8D%E5%86%8C.xlsx.errors.xlsx")
    assert rows[2][:3] == (2, "纳入日期", "去年")


def test_report_of_another_user_is_not_found(
    officer: Client, village: Region, county_officer: Any
) -> None:
    upload(officer, "dibao", register(dibao_family(village, **{"纳入日期": "去年"})))
    other = Client()
    other.force_login(county_officer)
    url = reverse("determination:inclusion_report", args=[Job.objects.get().pk])
    assert other.get(url).status_code == 404


def test_job_of_another_user_is_not_shown(
    officer: Client, village: Region, county_officer: Any
) -> None:
    upload(officer, "dibao", register(dibao_family(village)))
    other = Client()
    other.force_login(county_officer)
    response = other.get(reverse("determination:inclusion"), {"job": Job.objects.get().pk})
    assert response.status_code == 404


def test_page_is_forbidden_to_a_village_assistant(client: Client, village_assistant: Any) -> None:
    client.force_login(village_assistant)
    assert client.get(reverse("determination:inclusion")).status_code == 403


def test_page_import_is_audited_as_coming_from_the_web(officer: Client, village: Region) -> None:
    upload(officer, "dibao", register(dibao_family(village) + dibao_family(village)))
    channels = set(
        AuditRecord.objects.filter(
            object_type__in=["register_inclusion", "direct_inclusion"]
        ).values_list("channel", flat=True)
    )
    assert channels == {"web"}
