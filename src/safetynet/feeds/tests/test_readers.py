"""Reading department files into cell texts with spreadsheet row numbers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from safetynet.feeds.catalogue import FeedImportError, source_get
from safetynet.feeds.importing.readers import read_table
from safetynet.feeds.tests.files import write_csv, write_parquet, write_xlsx

DEATHS = source_get("deaths")
BUSINESSES = source_get("businesses")
NUMBER = "410105194912310020"
HEADER = ["身份证号", "姓名", "死亡日期"]


def _rows(path: Path, spec: object = DEATHS) -> list[dict[str, object]]:
    return read_table(path, spec).table.to_pylist()  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-8", False),
        ("utf-8", True),
        ("gbk", False),
        ("gbk", True),
        ("gb18030", False),
        ("utf-16", False),
    ],
)
def test_csv_encodings_are_detected(tmp_path: Path, encoding: str, bom: bool) -> None:
    path = write_csv(
        tmp_path / "d.csv", [HEADER, [NUMBER, "张三", "2026-02-01"]], encoding=encoding, bom=bom
    )

    assert _rows(path) == [
        {"id_number": NUMBER, "name": "张三", "death_date": "2026-02-01", "row_number": 2}
    ]


def test_an_undecodable_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_bytes("身份证号,姓名,死亡日期\n".encode() + b"\x81\x30\xff\xff,\xfe,\n")

    with pytest.raises(FeedImportError, match="无法识别文件编码"):
        read_table(path, DEATHS)


def test_blank_lines_are_skipped_but_counted(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "d.csv",
        [HEADER, None, [NUMBER, "张三", "2026-02-01"], None, None, [NUMBER, "李四", ""]],
    )

    assert [row["row_number"] for row in _rows(path)] == [3, 6]


def test_rows_with_missing_trailing_cells_are_read_exactly(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text(
        f"身份证号,姓名,死亡日期\n{NUMBER},张三\n\n{NUMBER},李四,2026-02-01,多余\n",
        encoding="utf-8",
    )

    assert _rows(path) == [
        {"id_number": NUMBER, "name": "张三", "death_date": "", "row_number": 2},
        {"id_number": NUMBER, "name": "李四", "death_date": "2026-02-01", "row_number": 4},
    ]


def test_tab_separated_text_is_read(tmp_path: Path) -> None:
    path = tmp_path / "d.txt"
    path.write_text(f"身份证号\t姓名\t死亡日期\n{NUMBER}\t张三\t2026-02-01\n", encoding="utf-8")

    assert _rows(path)[0]["name"] == "张三"


def test_unmapped_columns_are_ignored_and_headers_kept_as_written(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "d.csv",
        [
            ["序号", "公民身份号码", "姓名", "火化日期", "备注"],
            ["1", NUMBER, "张三", "2026-02-01", "无"],
        ],
    )

    raw = read_table(path, DEATHS)

    assert raw.table.column_names == ["id_number", "name", "death_date", "row_number"]
    assert raw.headers == {"id_number": "公民身份号码", "name": "姓名", "death_date": "火化日期"}


def test_a_header_in_ten_thousand_yuan_scales_the_amounts(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "b.csv",
        [
            ["身份证号", "企业名称", "注册资本（万元）", "登记状态", "成立日期"],
            [NUMBER, "甲公司", "50", "存续", "2020-01-01"],
        ],
    )

    assert read_table(path, BUSINESSES).scales == {"registered_capital": Decimal(10000)}


def test_a_file_without_a_recognisable_header_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "d.csv", [["编号", "名称"], ["1", "甲"]])

    with pytest.raises(FeedImportError, match="未找到表头行"):
        read_table(path, DEATHS)


def test_xlsx_title_rows_and_merged_title_cells_are_skipped(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "d.xlsx",
        [
            HEADER,
            [NUMBER, "张三", dt.datetime(2026, 2, 1)],
            None,
            [NUMBER, "李四", dt.datetime(2026, 2, 2, 14, 30)],
        ],
        title="2026年2月死亡人员名单",
        subtitle="填报单位：金水区民政局",
    )

    assert _rows(path) == [
        {"id_number": NUMBER, "name": "张三", "death_date": "2026-02-01", "row_number": 4},
        {"id_number": "", "name": "", "death_date": "", "row_number": 5},
        {"id_number": NUMBER, "name": "李四", "death_date": "2026-02-02 14:30:00", "row_number": 6},
    ]


def test_xlsx_id_numbers_stored_as_numbers_read_as_excel_shows_them(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "d.xlsx", [HEADER, [float(NUMBER), "张三", 46054], [410105, "李四", 46054.0]]
    )

    rows = _rows(path)

    assert [row["id_number"] for row in rows] == ["4.10105E+17", "410105"]
    assert [row["death_date"] for row in rows] == ["46054", "46054"]


def test_xls_files_are_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "d.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)

    with pytest.raises(FeedImportError, match=r"另存为 \.xlsx"):
        read_table(path, DEATHS)


def test_parquet_columns_of_any_type_are_read_as_text(tmp_path: Path) -> None:
    path = write_parquet(
        tmp_path / "d.parquet",
        {"身份证号": [NUMBER], "姓名": ["张三"], "死亡日期": [dt.date(2026, 2, 1)], "年龄": [77]},
    )

    assert _rows(path) == [
        {"id_number": NUMBER, "name": "张三", "death_date": "2026-02-01", "row_number": 2}
    ]


def test_xlsx_cells_merged_over_data_rows_count_for_every_row(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = write_xlsx(
        tmp_path / "d.xlsx",
        [
            HEADER,
            [NUMBER, "张三", dt.datetime(2026, 2, 1)],
            [None, "李四", None],
            [None, "王五", None],
        ],
        title="2026年2月死亡人员名单",
    )
    workbook = load_workbook(path)
    # Column A merged over the three data rows (rows 3–5), as a clerk merges a repeated value;
    # column C only over rows 3–4.
    workbook.active.merge_cells("A3:A5")
    workbook.active.merge_cells("C3:C4")
    workbook.save(path)

    rows = _rows(path)

    assert [row["id_number"] for row in rows] == [NUMBER, NUMBER, NUMBER]
    assert [row["death_date"] for row in rows] == ["2026-02-01", "2026-02-01", ""]
    assert [row["row_number"] for row in rows] == [3, 4, 5]
