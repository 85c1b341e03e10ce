"""PDF documents: a one-page notice and a verification report in ≤ 0.5 s each, 50 notices in
one file in ≤ 10 s (design.md, "Scale targets").

Measured: the notice through ``safetynet.documents`` (reportlab with the shipped cut font), the
whole ``verification_report_issue`` of a household with department batches (assemble, compare,
render, keep, record, audit), and 50 notices in one file. The naive baseline renders the same
notice with fpdf2 and the full, uncut CJK font, which fpdf2 subsets with fontTools for every
document: the cost that made us cut the font. The full font is WenQuanYi Micro Hei from Debian's
``fonts-wqy-microhei`` (or ``BENCH_FULL_CJK_FONT``); without it the baseline uses the cut font
and says so.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

NOTICE_TARGET = 0.5
BATCH_TARGET = 10.0
BATCH_SIZE = 50
RUNS = int(os.environ.get("BENCH_DOCUMENTS_RUNS", "10"))
FULL_FONT_CANDIDATES = (
    os.environ.get("BENCH_FULL_CJK_FONT", ""),
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)

NOTICE_PARAGRAPHS = (
    "张建国（身份证号 410***********1234）：",
    "你于 2026 年 4 月 2 日向河南省郑州市金水区经八路街道办事处提出最低生活保障申请。经入户调查、"
    "家庭经济状况核对和民主评议，你家庭共同生活成员 3 人，月人均收入 480.00 元，低于本地城市"
    "低保标准 750.00 元/人·月，家庭财产状况符合规定，依据《河南省人民政府办公厅关于加强低收入"
    "人口动态监测做好分层分类社会救助工作的实施意见》（豫政办〔2022〕103号）第二条第（一）项，"
    "决定自 2026 年 5 月起将你家庭纳入最低生活保障范围，每月发放低保金 810.00 元。",
    "如对本决定不服，可以自收到本通知书之日起 60 日内向金水区人民政府申请行政复议，或者在 6 个月"
    "内依法向人民法院提起行政诉讼。",
)


def _notice_story(index: int) -> list[Any]:
    from safetynet import documents as doc

    return [
        *doc.title("最低生活保障认定通知书", f"金民低认〔2026〕{index:04d}号"),
        *(doc.para(text) for text in NOTICE_PARAGRAPHS),
        doc.table(
            ["成员", "与户主关系", "计入收入(元/月)"],
            [
                ["张建国", "户主", "1,440.00"],
                ["李秀英", "配偶", "0.00"],
                ["张梓涵", "子女", "0.00"],
            ],
            widths=(0.4, 0.3, 0.3),
            numeric={2},
        ),
        doc.spacer(8),
        doc.para("郑州市金水区经八路街道办事处（盖章）\n2026 年 5 月 6 日", style="right"),
    ]


def _notice_meta(index: int) -> Any:
    from safetynet.documents import DocumentMeta

    return DocumentMeta(title="最低生活保障认定通知书", number=f"TZ410105-20260506-{index:04d}")


def render_notice(index: int = 1) -> bytes:
    from safetynet.documents import render

    return render(_notice_meta(index), _notice_story(index))


def render_notices(count: int) -> bytes:
    from safetynet.documents import render_many

    return render_many((_notice_meta(i), _notice_story(i)) for i in range(1, count + 1))


def naive_notice(font: Path) -> bytes:
    """The same notice with fpdf2, adding (and so subsetting) the whole font per document."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.add_font("cjk", "", str(font))
    pdf.set_font("cjk", size=18)
    pdf.cell(0, 12, "最低生活保障认定通知书", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=10.5)
    for text in NOTICE_PARAGRAPHS:
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    for row in (("张建国", "户主", "1,440.00"), ("李秀英", "配偶", "0.00")):
        for cell in row:
            pdf.cell(60, 7, cell, border=1)
        pdf.ln()
    return bytes(pdf.output())


def _median(function: Callable[[], Any], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _full_font() -> Path | None:
    for candidate in FULL_FONT_CANDIDATES:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def _verification_household() -> tuple[Any, Any]:
    """A county officer and a household whose members appear in four department batches."""
    import csv
    import datetime as dt

    from django.conf import settings

    from safetynet.accounts.models import User
    from safetynet.accounts.roles import Role
    from safetynet.feeds.services import batch_import
    from safetynet.regions.models import Level, Region
    from safetynet.registry import services
    from safetynet.registry.identity import build_id_number
    from safetynet.registry.inputs import HouseholdInput, IncomeInput, MemberInput

    county = Region.objects.get(code="410105000000")
    village = (
        Region.objects.filter(code__startswith=county.prefix, level=Level.VILLAGE)
        .order_by("code")
        .first()
    )
    assert village is not None
    officer = User.objects.create_user(
        username="bench_verifier", password=None, role=Role.COUNTY_OFFICER, scope_region=county
    )

    ids = [
        build_id_number(
            address_code="410105", birth_date=dt.date(1960 + i * 9, 3, 4), sequence=700 + i,
            male=i % 2 == 0,
        )
        for i in range(4)
    ]  # fmt: skip
    household = services.households_create(
        actor=officer,
        households=[
            HouseholdInput(
                region_code=village.code,
                members=[
                    MemberInput(
                        id_number=number,
                        name=name,
                        relation=relation,
                        incomes=[IncomeInput(kind="wages", monthly_amount=Decimal("600"))],
                    )
                    for number, name, relation in zip(
                        ids,
                        ("张建国", "李秀英", "张伟", "张梓涵"),
                        ("02", "10", "20", "20"),
                        strict=True,
                    )
                ],
            )
        ],
    ).households[0]
    # Each batch also holds 20,000 other people, as a county's monthly file would.
    others = [
        build_id_number(
            address_code="410105", birth_date=dt.date(1950, 1, 1) + dt.timedelta(days=i % 20000),
            sequence=i, male=True,
        )
        for i in range(20000)
    ]  # fmt: skip
    folder = Path(settings.FEEDS_DIR) / "bench-incoming"
    folder.mkdir(parents=True, exist_ok=True)
    batches: dict[str, tuple[list[str], Callable[[str], list[str]]]] = {
        "vehicles": (
            ["id_number", "plate", "vehicle_type", "register_date", "value"],
            lambda n: [n, "豫A12345", "小型轿车", "2024-03-01", "85000"],
        ),
        "pensions": (["id_number", "month", "amount"], lambda n: [n, "2026-04", "1260.50"]),
        "payroll": (["id_number", "employer"], lambda n: [n, "金水区教育局"]),
        "provident_fund": (["id_number", "month", "deposit"], lambda n: [n, "2026-04", "612"]),
    }
    for source, (header, row) in batches.items():
        path = folder / f"{source}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(row(n) for n in [*others, ids[0], ids[1]])
        batch_import(source=source, path=path, period="2026-04", actor=None, channel="cli")
    return officer, household


def main() -> None:
    from django.conf import settings

    from safetynet.documents.fonts import font_path, register_fonts
    from safetynet.feeds.models import VerificationPurpose
    from safetynet.feeds.services import verification_report_issue

    started = time.perf_counter()
    register_fonts()
    first = time.perf_counter() - started
    print(f"font: {font_path().name} {font_path().stat().st_size / 1e6:.2f} MB, "
          f"registered in {first:.3f} s (once per process)")  # fmt: skip

    notice = _median(render_notice)
    many_started = time.perf_counter()
    many = render_notices(BATCH_SIZE)
    many_seconds = time.perf_counter() - many_started
    print(f"notice (1 page): {notice:.3f} s median of {RUNS} (target ≤ {NOTICE_TARGET} s), "
          f"{len(render_notice()) / 1e3:.0f} kB")  # fmt: skip
    print(f"{BATCH_SIZE} notices in one file: {many_seconds:.2f} s (target ≤ {BATCH_TARGET} s), "
          f"{len(many) / 1e6:.2f} MB")  # fmt: skip

    with tempfile.TemporaryDirectory(prefix="safetynet-bench-feeds-") as feeds_dir:
        settings.FEEDS_DIR = feeds_dir
        officer, household = _verification_household()

        def issue() -> None:
            verification_report_issue(
                actor=officer,
                household=household,
                purpose=VerificationPurpose.DETERMINATION,
                authorisation_reference="BENCH-1",
            )

        report = _median(issue, runs=max(3, RUNS // 2))
        print(
            "verification report (4 members, 4 batches of 20,002 rows; assemble, compare, "
            f"render, keep, audit): {report:.3f} s median (target ≤ {NOTICE_TARGET} s)"
        )

    try:
        import fpdf  # noqa: F401
    except ImportError:
        print("baseline: fpdf2 not installed, skipped")
        return
    full = _full_font()
    font = full or font_path()
    label = f"full font {font.name}" if full else "cut font (no full CJK font installed)"
    naive = _median(lambda: naive_notice(font), runs=3)
    print(f"naive baseline, fpdf2 + {label} subset per document: {naive:.3f} s per notice, "
          f"{BATCH_SIZE} notices ≈ {naive * BATCH_SIZE:.1f} s; "
          f"ratio {naive / notice:.0f}× slower than the shipped path")  # fmt: skip
