"""Importing department batches through ``services.batch_import``: what is accepted, refused
(row, column, reason), counted as duplicate, stored where, and that no ID number is stored."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import time_machine
from django.conf import settings
from openpyxl import load_workbook

from safetynet.accounts.permissions import PermissionDenied
from safetynet.audit.models import AuditRecord
from safetynet.feeds.catalogue import BUILTIN_SOURCES
from safetynet.feeds.importing.services import FeedImportError, batch_import
from safetynet.feeds.models import BatchStatus, FeedBatch, SourceDefinition
from safetynet.feeds.tests.files import (
    SAMPLE_HEADERS,
    full_width,
    id_number,
    impossible_birth_date,
    sample_rows,
    write_csv,
    write_parquet,
    write_xlsx,
)
from safetynet.registry.identity import blind_index, mask_id_number
from safetynet.spreadsheets import data_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _march_2026() -> Any:
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC), tick=False):
        yield


DEATHS_HEADER = ["公民身份号码", "姓名", "火化日期"]


def _import(path: Path, source: str = "deaths", **options: Any) -> Any:
    options.setdefault("actor", None)
    options.setdefault("period", "2026-02")
    return batch_import(source=source, path=path, **options)


def _stored(batch: FeedBatch) -> pa.Table:
    return pq.read_table(Path(settings.FEEDS_DIR) / batch.parquet_path)


def _all_parquet_strings() -> list[str]:
    values = []
    for path in Path(settings.FEEDS_DIR).rglob("*.parquet"):
        table = pq.read_table(path)
        for name in table.column_names:
            if pa.types.is_string(table.schema.field(name).type):
                values += [v for v in table.column(name).to_pylist() if v is not None]
    return values


def _errors(outcome: Any) -> list[tuple[int, str, str]]:
    return [(error.row, error.column, error.reason) for error in outcome.errors]


# --- messy CSV files -----------------------------------------------------------------------------


@pytest.fixture
def ids() -> list[str]:
    return [id_number() for _ in range(6)]


@pytest.fixture
def messy_gbk(tmp_path: Path, ids: list[str]) -> tuple[Path, list[str], dict[str, str]]:
    """A GBK file with a stray BOM: a full-width ID, a lower-case x, blank lines, a duplicate
    row, a wrong check digit, an impossible birth date, an ID turned into 4.10105E+17, a date
    that does not exist and a missing date."""
    with_x = next(n for n in (id_number() for _ in range(200)) if n.endswith("X"))
    bad = {
        "check": ids[3][:17] + ("1" if ids[3][17] != "1" else "2"),
        "birth": impossible_birth_date(),
    }
    rows = [
        DEATHS_HEADER,
        [ids[0], "张三", "2026-02-01"],  # row 2
        [full_width(ids[1]), "李 四", "2026年2月3日"],  # row 3
        None,  # row 4
        [with_x.lower(), "王五", "2026/2/4"],  # row 5
        [ids[0], "张三", "2026-02-01"],  # row 6: duplicate of row 2
        [bad["check"], "赵六", "2026-02-05"],  # row 7
        [bad["birth"], "钱七", "20260206"],  # row 8
        ["4.10105E+17", "孙八", "2026-02-07"],  # row 9
        [ids[4], "周九", "2026-02-30"],  # row 10
        None,  # row 11
        None,  # row 12
        [ids[5], "吴十", ""],  # row 13
    ]
    path = write_csv(tmp_path / "火化名单.csv", rows, encoding="gbk", bom=True)
    return path, [ids[0], ids[1], with_x], bad


def test_messy_gbk_csv_accepts_exactly_the_valid_rows(messy_gbk: Any, algorithm_set: str) -> None:
    path, good, _ = messy_gbk

    outcome = _import(path, accept_valid=True)

    assert (outcome.accepted, outcome.rejected, outcome.duplicate) == (3, 5, 1)
    stored = _stored(outcome.batch).to_pydict()
    assert stored["row_number"] == [2, 3, 5]
    assert stored["id_hash"] == [blind_index(number) for number in good]
    assert stored["name"] == ["张三", "李四", "王五"]
    assert stored["death_date"] == [dt.date(2026, 2, 1), dt.date(2026, 2, 3), dt.date(2026, 2, 4)]


def test_messy_gbk_csv_lists_each_refused_cell_with_row_column_and_reason(messy_gbk: Any) -> None:
    path, _, bad = messy_gbk

    outcome = _import(path, accept_valid=True)

    check = bad["check"]
    assert _errors(outcome) == [
        (
            7,
            "公民身份号码",
            f"身份证号校验码错误：末位应为 {_right_check(check)}，实际为 {check[17]}",
        ),
        (8, "公民身份号码", f"身份证号中的出生日期 {bad['birth'][6:14]} 不是有效日期"),
        (
            9,
            "公民身份号码",
            "身份证号被 Excel 转成了科学计数法（4.10105E+17），原号码已丢失，"
            "请将该列设为文本后重新录入",
        ),
        (10, "火化日期", "日期不存在：2026-02-30"),
        (13, "火化日期", "死亡日期不能为空"),
    ]


def _right_check(number: str) -> str:
    from safetynet.registry.identity import check_char

    return check_char(number[:17])


def test_error_values_of_id_numbers_are_masked(messy_gbk: Any) -> None:
    path, _, bad = messy_gbk

    outcome = _import(path, accept_valid=True)

    values = {error.row: error.value for error in outcome.errors}
    assert values[7] == mask_id_number(bad["check"])
    assert values[9] == "***"
    assert values[10] == "2026-02-30"


def test_without_accept_valid_a_batch_with_errors_is_not_stored(messy_gbk: Any) -> None:
    path, _, _ = messy_gbk

    outcome = _import(path)

    assert outcome.batch.status == BatchStatus.REJECTED
    assert outcome.batch.parquet_path == ""
    assert (outcome.accepted, outcome.rejected, outcome.duplicate) == (3, 5, 1)
    assert not list(Path(settings.FEEDS_DIR).rglob("*.parquet"))


def test_the_error_report_lists_row_column_value_reason(messy_gbk: Any, tmp_path: Path) -> None:
    path, _, bad = messy_gbk

    outcome = _import(path, report_path=tmp_path / "report.xlsx")

    assert outcome.report_path == tmp_path / "report.xlsx"
    sheet = load_workbook(outcome.report_path).worksheets[0]
    rows = data_rows(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[0] == ("行号", "列", "值", "原因")
    assert rows[1][:3] == (7, "公民身份号码", mask_id_number(bad["check"]))
    assert [row[0] for row in rows[1:]] == [7, 8, 9, 10, 13]
    assert (Path(settings.FEEDS_DIR) / outcome.batch.report_path).is_file()


def test_quarantine_keeps_refused_rows_as_written_with_ids_masked(messy_gbk: Any) -> None:
    path, _, bad = messy_gbk

    outcome = _import(path, accept_valid=True)

    quarantine = pq.read_table(Path(settings.FEEDS_DIR) / outcome.batch.quarantine_path)
    assert quarantine.column_names == [
        "id_number",
        "name",
        "death_date",
        "row_number",
        "_county",  # the ID's address code, for the county's per-row reading
        "reasons",
    ]
    rows = quarantine.to_pylist()
    assert [row["row_number"] for row in rows] == [7, 8, 9, 10, 13]
    assert rows[0]["id_number"] == mask_id_number(bad["check"])
    assert rows[2]["id_number"] == "***"
    assert rows[3]["death_date"] == "2026-02-30"
    assert rows[3]["reasons"] == "火化日期：日期不存在：2026-02-30"


def test_no_plain_id_number_is_in_any_parquet_file(messy_gbk: Any, ids: list[str]) -> None:
    path, good, bad = messy_gbk

    _import(path, accept_valid=True)

    strings = "\n".join(_all_parquet_strings())
    for number in [*ids, *good, *bad.values(), *(n.lower() for n in good)]:
        assert number not in strings


def test_batch_metadata_is_recorded_and_the_import_audited(
    messy_gbk: Any, county_officer: Any
) -> None:
    path, _, _ = messy_gbk

    outcome = _import(path, accept_valid=True, actor=county_officer, channel="cli")

    batch = FeedBatch.objects.get(pk=outcome.batch.pk)
    assert (batch.source, batch.period, batch.status) == ("deaths", "2026-02", BatchStatus.STORED)
    assert (batch.rows_total, batch.rows_accepted, batch.rows_rejected, batch.rows_duplicate) == (
        9,
        3,
        5,
        1,
    )
    assert batch.parquet_path == f"deaths/2026-02/{batch.pk}.parquet"
    assert batch.quarantine_path == f"deaths/2026-02/{batch.pk}.quarantine.parquet"
    assert batch.imported_by == county_officer
    assert len(batch.file_sha256) == 64
    record = AuditRecord.objects.get(object_type="feed_batch", object_id=str(batch.pk))
    assert (record.action, record.actor, record.channel) == ("import", county_officer, "cli")


def test_reimporting_the_same_file_changes_nothing(messy_gbk: Any) -> None:
    path, _, _ = messy_gbk
    first = _import(path, accept_valid=True)
    files = sorted(Path(settings.FEEDS_DIR).rglob("*"))

    again = _import(path, accept_valid=True)

    assert again.already_imported
    assert again.batch.pk == first.batch.pk
    assert (again.accepted, again.rejected, again.duplicate) == (0, 0, 9)
    assert FeedBatch.objects.count() == 1
    assert sorted(Path(settings.FEEDS_DIR).rglob("*")) == files


def test_the_same_file_for_another_period_is_a_new_batch(messy_gbk: Any) -> None:
    path, _, _ = messy_gbk
    _import(path, accept_valid=True)

    other = _import(path, accept_valid=True, period="2026-01")

    assert not other.already_imported
    assert FeedBatch.objects.filter(status=BatchStatus.STORED).count() == 2


def test_a_refused_batch_can_be_imported_again_with_accept_valid(messy_gbk: Any) -> None:
    path, _, _ = messy_gbk
    _import(path)

    outcome = _import(path, accept_valid=True)

    assert not outcome.already_imported
    assert outcome.batch.status == BatchStatus.STORED


def test_utf8_with_bom_and_blank_lines_keeps_spreadsheet_row_numbers(
    tmp_path: Path, ids: list[str]
) -> None:
    path = write_csv(
        tmp_path / "d.csv",
        [
            DEATHS_HEADER,
            None,
            [ids[0], "张三", "2026-02-01"],
            None,
            None,
            [ids[1], "李四", "2026-02-02"],
        ],
        bom=True,
        line_end="\n",
    )

    outcome = _import(path)

    assert _stored(outcome.batch).column("row_number").to_pylist() == [3, 6]


def test_quoted_line_breaks_are_one_row(tmp_path: Path, ids: list[str]) -> None:
    path = write_csv(
        tmp_path / "d.csv",
        [
            ["身份证号", "姓名", "死亡日期", "备注"],
            [ids[0], "张三", "2026-02-01", "第一行\n第二行"],
            [ids[1], "李四", "2026-02-02", ""],
        ],
    )

    outcome = _import(path)

    assert _stored(outcome.batch).column("row_number").to_pylist() == [2, 3]


def test_gb18030_text_is_read(tmp_path: Path, ids: list[str]) -> None:
    path = write_csv(
        tmp_path / "d.csv", [DEATHS_HEADER, [ids[0], "䶮", "2026-02-01"]], encoding="gb18030"
    )

    outcome = _import(path)

    assert _stored(outcome.batch).column("name").to_pylist() == ["䶮"]


def test_title_rows_above_a_csv_header_are_skipped(tmp_path: Path, ids: list[str]) -> None:
    path = write_csv(
        tmp_path / "d.csv",
        [
            ["2026年2月火化人员名单", "", ""],
            ["填报单位：金水区殡仪馆", "", ""],
            DEATHS_HEADER,
            [ids[0], "张三", "2026-02-01"],
        ],
    )

    outcome = _import(path)

    assert _stored(outcome.batch).column("row_number").to_pylist() == [4]


# --- XLSX and Parquet ----------------------------------------------------------------------------


def test_xlsx_with_merged_title_row_ids_as_numbers_and_date_cells(
    tmp_path: Path, ids: list[str]
) -> None:
    # Excel can only turn an all-digit number into a float; which IDs the shared sequence
    # hands out depends on the tests that ran before in the same worker.
    digits = next(n for n in (id_number() for _ in range(50)) if n.isdigit())
    path = write_xlsx(
        tmp_path / "d.xlsx",
        [
            ["序号", "身份证号码", "姓名", "死亡日期"],
            [1, ids[0], "张三", dt.datetime(2026, 2, 1)],  # row 3
            [2, float(digits), "李四", "2026-02-02"],  # row 4: stored as a number by Excel
            None,  # row 5
            [3, ids[2], "王五", 46055],  # row 6: an Excel serial number, 2026-02-02
            [4, ids[2], "王五", 46055.0],  # row 7: duplicate
        ],
        title="2026年2月死亡人员名单",
    )

    outcome = _import(path, accept_valid=True)

    assert (outcome.accepted, outcome.rejected, outcome.duplicate) == (2, 1, 1)
    assert _errors(outcome) == [
        (
            4,
            "身份证号码",
            f"身份证号被 Excel 转成了科学计数法（{float(digits):.6G}），原号码已丢失，"
            "请将该列设为文本后重新录入",
        )
    ]
    stored = _stored(outcome.batch).to_pydict()
    assert stored["row_number"] == [3, 6]
    assert stored["death_date"] == [dt.date(2026, 2, 1), dt.date(2026, 2, 2)]


def test_xlsx_header_is_found_on_the_sheet_after_an_instructions_sheet(
    tmp_path: Path, ids: list[str]
) -> None:
    path = write_xlsx(
        tmp_path / "d.xlsx",
        [DEATHS_HEADER, [ids[0], "张三", "2026-02-01"]],
        subtitle="填报单位：金水区",
        extra_sheets=["填写说明"],
    )

    outcome = _import(path)

    assert _stored(outcome.batch).column("row_number").to_pylist() == [3]


def test_parquet_input_with_typed_columns(tmp_path: Path, ids: list[str]) -> None:
    path = write_parquet(
        tmp_path / "p.parquet",
        {
            "身份证号": ids[:2],
            "发放月份": ["2026-01", "2026-02"],
            "养老金金额": [Decimal("1850.5"), Decimal("2000")],
        },
    )

    outcome = _import(path, source="pensions")

    stored = _stored(outcome.batch)
    assert stored.column_names == ["id_hash", "month", "amount", "row_number"]
    assert stored.column("amount").to_pylist() == [Decimal("1850.50"), Decimal("2000.00")]
    assert stored.column("row_number").to_pylist() == [2, 3]


# --- sources -------------------------------------------------------------------------------------


@pytest.mark.parametrize("source", [spec.code for spec in BUILTIN_SOURCES])
def test_every_builtin_source_imports_a_small_file(
    tmp_path: Path, source: str, ids: list[str]
) -> None:
    path = write_csv(
        tmp_path / f"{source}.csv", [SAMPLE_HEADERS[source], *sample_rows(source, ids)]
    )

    outcome = _import(path, source=source, period="2026-01")

    assert (outcome.accepted, outcome.rejected, outcome.duplicate) == (2, 0, 0), outcome.errors
    stored = _stored(outcome.batch)
    assert stored.column("id_hash").to_pylist() == [blind_index(ids[0]), blind_index(ids[1])]


def test_stored_columns_are_typed_and_the_name_dropped_where_not_needed(
    tmp_path: Path, ids: list[str]
) -> None:
    path = write_csv(
        tmp_path / "v.csv", [SAMPLE_HEADERS["vehicles"], *sample_rows("vehicles", ids)]
    )

    outcome = _import(path, source="vehicles", period="2026-01")

    schema = _stored(outcome.batch).schema
    assert schema.names == [
        "id_hash",
        "plate",
        "vehicle_type",
        "register_date",
        "value",
        "row_number",
    ]
    assert schema.field("register_date").type == pa.date32()
    assert schema.field("value").type == pa.decimal128(18, 2)
    assert _stored(outcome.batch).column("value").to_pylist() == [Decimal("85000.00"), None]


def test_payroll_drops_the_name(tmp_path: Path, ids: list[str]) -> None:
    path = write_csv(tmp_path / "p.csv", [SAMPLE_HEADERS["payroll"], *sample_rows("payroll", ids)])

    outcome = _import(path, source="payroll", period="2026-01")

    assert "name" not in _stored(outcome.batch).column_names
    assert "张三" not in _all_parquet_strings()


def test_a_second_id_column_is_stored_as_its_hash(
    tmp_path: Path, ids: list[str], algorithm_set: str
) -> None:
    path = write_csv(
        tmp_path / "r.csv", [SAMPLE_HEADERS["relapse_watch"], *sample_rows("relapse_watch", ids)]
    )

    outcome = _import(path, source="relapse_watch", period="2026-01")

    stored = _stored(outcome.batch)
    assert stored.column("household_head_id_hash").to_pylist() == [blind_index(ids[0])] * 2
    assert "household_head_id" not in stored.column_names


def test_an_administrator_defined_source_imports(tmp_path: Path, ids: list[str]) -> None:
    SourceDefinition.objects.create(
        code="heating_aid",
        name="取暖补贴",
        department="civil_affairs",
        columns=[
            {"name": "id_number", "label": "身份证号", "kind": "id_number"},
            {"name": "amount", "label": "补贴金额", "kind": "decimal", "aliases": ["金额"]},
            {
                "name": "kind",
                "label": "补贴类型",
                "kind": "choice",
                "choices": {"coal": ["燃煤"], "gas": ["燃气"]},
            },
        ],
    )
    path = write_csv(
        tmp_path / "h.csv",
        [["身份证号", "金额", "补贴类型"], [ids[0], "300", "燃煤"], [ids[1], "x", "电"]],
    )

    outcome = _import(path, source="heating_aid", accept_valid=True)

    assert _stored(outcome.batch).to_pylist() == [
        {
            "id_hash": blind_index(ids[0]),
            "amount": Decimal("300.00"),
            "kind": "coal",
            "row_number": 2,
        }
    ]
    assert [(e.row, e.column) for e in outcome.errors] == [(3, "金额"), (3, "补贴类型")]


# --- refusing the whole file ---------------------------------------------------------------------


def test_a_missing_required_column_is_named(tmp_path: Path, ids: list[str]) -> None:
    path = write_csv(tmp_path / "d.csv", [["身份证号", "姓名"], [ids[0], "张三"]])

    with pytest.raises(FeedImportError, match="缺少必填列：死亡日期"):
        _import(path)


def test_an_unknown_source_is_refused(tmp_path: Path, ids: list[str]) -> None:
    path = write_csv(tmp_path / "d.csv", [DEATHS_HEADER, [ids[0], "张三", "2026-02-01"]])

    with pytest.raises(FeedImportError, match="未知的数据源：horses"):
        _import(path, source="horses")


@pytest.mark.parametrize("period", ["2026", "2026-13", "x"])
def test_a_bad_period_is_refused(tmp_path: Path, ids: list[str], period: str) -> None:
    path = write_csv(tmp_path / "d.csv", [DEATHS_HEADER, [ids[0], "张三", "2026-02-01"]])

    with pytest.raises(FeedImportError, match="数据期别应为 YYYY-MM"):
        _import(path, period=period)


def test_a_file_without_data_rows_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "d.csv", [DEATHS_HEADER, None, ["", "", ""]])

    with pytest.raises(FeedImportError, match="没有数据行"):
        _import(path)


def test_a_file_that_is_no_spreadsheet_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "d.xlsx"
    path.write_bytes(b"\x00\x01 not a workbook")

    with pytest.raises(FeedImportError, match="内容不是该格式"):
        _import(path)


def test_a_user_without_the_capability_may_not_import(
    tmp_path: Path, ids: list[str], village_assistant: Any
) -> None:
    path = write_csv(tmp_path / "d.csv", [DEATHS_HEADER, [ids[0], "张三", "2026-02-01"]])

    with pytest.raises(PermissionDenied):
        _import(path, actor=village_assistant)
    assert not FeedBatch.objects.exists()


def test_progress_is_reported_per_stage(tmp_path: Path, ids: list[str]) -> None:
    path = write_csv(tmp_path / "d.csv", [DEATHS_HEADER, [ids[0], "张三", "2026-02-01"]])
    calls: list[tuple[int, int, str]] = []

    _import(path, progress=lambda done, total, stage: calls.append((done, total, stage)))

    assert [stage for _, _, stage in calls] == [
        "读取文件",
        "读取文件",
        "校验",
        "校验",
        "写入",
        "写入",
    ]
    assert calls[-1] == (1, 1, "写入")
