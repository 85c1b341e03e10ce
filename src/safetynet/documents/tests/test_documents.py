from __future__ import annotations

import csv
import datetime as dt
import functools
import logging
from pathlib import Path

import pytest
from django.conf import settings
from fontTools.ttLib import TTFont

from safetynet import documents as doc
from safetynet.documents.fonts import font_path
from safetynet.documents.tests.pdf_text import pdf_text
from safetynet.registry.synthetic import vocabulary

GENERATED = dt.datetime(2026, 5, 6, 1, 30, tzinfo=dt.UTC)


@functools.cache
def _cmap() -> frozenset[int]:
    return frozenset(TTFont(str(font_path())).getBestCmap())


def _missing(chars: set[str]) -> set[str]:
    covered = _cmap()
    return {c for c in chars if ord(c) not in covered}


def _notice(number: str = "TZ-0001", body: str = "经审核，您家庭的申请符合条件。") -> bytes:
    meta = doc.DocumentMeta(title="认定通知书", number=number, generated_at=GENERATED)
    return doc.render(meta, [*doc.title("认定通知书"), doc.para(body)])


def test_font_is_truetype_with_glyph_outlines_and_small() -> None:
    font = TTFont(str(font_path()))
    assert "glyf" in font
    assert font_path().stat().st_size < 3_000_000


def test_font_covers_every_character_of_region_names() -> None:
    path = Path(settings.DATA_DIR) / "regions" / "henan.csv"
    with path.open(encoding="utf-8") as handle:
        names = {char for row in csv.DictReader(handle) for char in row["name"]}
    assert _missing(names) == set()


def test_font_covers_every_character_of_the_synthetic_name_vocabulary() -> None:
    chars = {c for surname, _ in vocabulary.SURNAMES for c in surname}
    chars |= {c for given in vocabulary.GIVEN_NAME_CHARS.values() for c in given}
    assert _missing(chars) == set()


def test_font_covers_all_gb2312_hanzi_ascii_and_full_width_digits() -> None:
    hanzi = set()
    for first in range(0xB0, 0xF8):
        for second in range(0xA1, 0xFF):
            try:
                hanzi.add(bytes([first, second]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    wanted = hanzi | {chr(c) for c in range(0x20, 0x7F)} | set("０１２３４５６７８９、。《》〔〕")
    assert len(hanzi) == 6763
    assert _missing(wanted) == set()


def test_rendered_pdf_starts_with_pdf_header_and_ends_with_eof() -> None:
    pdf = _notice()
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")


def test_rendered_text_is_extractable_chinese() -> None:
    text = pdf_text(_notice(body="河南省郑州市金水区经八路街道：经审核，符合条件。"))
    assert "认定通知书" in text
    assert "河南省郑州市金水区经八路街道：经审核，符合条件。" in text


def test_header_and_footer_show_number_generation_time_and_page_count() -> None:
    text = pdf_text(_notice(number="TZ-2026-0042"))
    assert "编号：TZ-2026-0042" in text
    assert "生成时间：2026-05-06 09:30" in text  # Asia/Shanghai
    assert "第 1 页 / 共 1 页" in text


def test_every_page_names_the_policy_by_its_real_title() -> None:
    pdf = doc.render_many([(doc.DocumentMeta(title=f"通知{n}"), [doc.para("正文")]) for n in "12"])
    text = pdf_text(pdf)
    title = (
        "依据《河南省人民政府办公厅关于加强低收入人口动态监测和救助帮扶工作巩固脱贫攻坚兜底保障"
        "成果的实施意见》（豫政办〔2022〕103号）"
    )
    assert text.count(title) == 2


def test_font_is_embedded_as_subset() -> None:
    assert b"+WenQuanYiMicroHei" in _notice()


def test_character_outside_font_prints_replacement_and_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="safetynet.documents.fonts"):
        text = pdf_text(_notice(body="生僻字𠀀在此"))
    assert "生僻字□在此" in text
    assert "U+20000" in caplog.text


def test_markup_characters_are_printed_literally() -> None:
    text = pdf_text(_notice(body="收入<500 & 支出>300"))
    assert "收入<500 & 支出>300" in text


def test_long_table_repeats_header_and_numbers_pages() -> None:
    rows = [[f"成员{i}", "机动车", f"{i},000.00"] for i in range(120)]
    meta = doc.DocumentMeta(title="清单", generated_at=GENERATED)
    text = pdf_text(doc.render(meta, [doc.table(["姓名", "来源", "金额(元)"], rows, numeric={2})]))
    pages = text.count("第 ")
    assert pages >= 3
    assert text.count("金额(元)") == pages
    assert f"第 {pages} 页 / 共 {pages} 页" in text


def test_empty_table_shows_the_empty_text() -> None:
    meta = doc.DocumentMeta(title="清单", generated_at=GENERATED)
    text = pdf_text(doc.render(meta, [doc.table(["姓名", "金额"], [], empty="未申报财产")]))
    assert "未申报财产" in text


def test_table_row_with_wrong_cell_count_is_refused() -> None:
    with pytest.raises(ValueError, match="row has 1 cells"):
        doc.table(["姓名", "金额"], [["张三"]])


def test_many_documents_in_one_file_number_their_pages_each() -> None:
    documents = [
        (
            doc.DocumentMeta(title="认定通知书", number=f"TZ-{i:04d}", generated_at=GENERATED),
            [*doc.title("认定通知书"), doc.para(f"第{i}份通知")],
        )
        for i in range(1, 4)
    ]
    text = pdf_text(doc.render_many(documents))
    assert [line for line in text.splitlines() if line.startswith("编号：")] == [
        "编号：TZ-0001",
        "编号：TZ-0002",
        "编号：TZ-0003",
    ]
    assert text.count("第 1 页 / 共 1 页") == 3


def test_render_many_of_nothing_is_refused() -> None:
    with pytest.raises(ValueError, match="no document"):
        doc.render_many([])


def test_page_break_starts_a_new_page_of_the_same_document() -> None:
    meta = doc.DocumentMeta(title="通知", generated_at=GENERATED)
    text = pdf_text(
        doc.render(meta, [doc.para("甲"), doc.page_break(), doc.para("乙", style="right")])
    )
    assert "第 2 页 / 共 2 页" in text
