"""Page template and flowable helpers: build a story (a list of flowables) with ``title``,
``heading``, ``para``, ``facts``, ``table`` and get the PDF bytes from ``render`` (one document)
or ``render_many`` (several documents in one file, each starting on a new page with its own
header and its own "page x of y").

Every page carries the document's title and number in the header and the generation time and
page number in the footer. Text is escaped here (callers pass plain text, never markup) and
characters the font lacks are replaced visibly (``fonts.printable``).
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeAlias
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from safetynet.documents.fonts import printable, register_fonts

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 24 * mm  # room for the header
MARGIN_BOTTOM = 20 * mm  # room for the footer
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
ISSUER = "低收入人口动态监测和救助帮扶平台"
# Every document names the policy it rests on by its real title, never an abbreviation.
POLICY_TITLE = (
    "《河南省人民政府办公厅关于加强低收入人口动态监测和救助帮扶工作巩固脱贫攻坚兜底保障成果的"
    "实施意见》（豫政办〔2022〕103号）"
)
GRID = colors.HexColor("#9aa3ad")
HEADER_FILL = colors.HexColor("#eef1f4")
MUTED = colors.HexColor("#5f6b76")


@dataclass(frozen=True)
class DocumentMeta:
    """What the header and footer of every page of one document show."""

    title: str
    number: str = ""
    generated_at: dt.datetime = field(default_factory=timezone.now)
    issuer: str = ISSUER


@lru_cache(maxsize=1)
def _styles() -> dict[str, ParagraphStyle]:
    font = register_fonts()
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
    return {
        "title": ParagraphStyle(
            "title", parent=body, fontSize=18, leading=26, alignment=TA_CENTER, spaceAfter=6
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=body, fontSize=10.5, alignment=TA_CENTER, textColor=MUTED
        ),
        "heading": ParagraphStyle(
            "heading",
            parent=body,
            fontSize=13,
            leading=20,
            spaceBefore=10,
            spaceAfter=4,
            keepWithNext=1,  # never a heading alone at the foot of a page
        ),
        "body": body,
        "note": ParagraphStyle("note", parent=body, fontSize=9, leading=13, textColor=MUTED),
        # Signature blocks of notices: the issuing office and the date, flush right.
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9.5, leading=13),
        "cell_num": ParagraphStyle(
            "cell_num", parent=body, fontSize=9.5, leading=13, alignment=TA_RIGHT
        ),
        "cell_head": ParagraphStyle("cell_head", parent=body, fontSize=9.5, leading=13),
    }


def _markup(text: str) -> str:
    return escape(printable(str(text))).replace("\n", "<br/>")


def para(text: str, *, style: str = "body") -> Paragraph:
    """A paragraph of plain text that wraps between any two Chinese characters. Styles: body,
    title, subtitle, heading, note, right (flush right, for a signature block), cell."""
    return Paragraph(_markup(text), _styles()[style])


def title(text: str, subtitle: str = "") -> list[Flowable]:
    story: list[Flowable] = [para(text, style="title")]
    if subtitle:
        story += [para(subtitle, style="subtitle"), spacer(3)]
    return story


def heading(text: str) -> Paragraph:
    return para(text, style="heading")


def note(text: str) -> Paragraph:
    return para(text, style="note")


def spacer(height_mm: float = 4) -> Spacer:
    return Spacer(1, height_mm * mm)


def page_break() -> PageBreak:
    return PageBreak()


Cell: TypeAlias = str | Flowable


def _cell(value: Cell, style: str) -> Flowable:
    return value if isinstance(value, Flowable) else para(value, style=style)


def _grid_style(extra: Sequence[tuple[Any, ...]] = ()) -> TableStyle:
    return TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, GRID),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            *extra,
        ]
    )


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    *,
    widths: Sequence[float] | None = None,
    numeric: Collection[int] = (),
    empty: str = "无",
) -> Table:
    """A ruled table whose header repeats on every page. ``widths`` are fractions of the text
    width (default: equal); ``numeric`` the indexes of right-aligned columns; ``empty`` the text
    of the single row shown when there are no rows."""
    count = len(header)
    fractions = list(widths) if widths else [1 / count] * count
    if len(fractions) != count:
        raise ValueError("one width per column")
    data: list[list[Flowable]] = [[_cell(h, "cell_head") for h in header]]
    for row in rows:
        if len(row) != count:
            raise ValueError(f"row has {len(row)} cells, header {count}")
        data.append(
            [_cell(value, "cell_num" if i in numeric else "cell") for i, value in enumerate(row)]
        )
    extra: list[tuple[Any, ...]] = [("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL)]
    if not rows:
        data.append([para(empty, style="cell")] + [para("", style="cell")] * (count - 1))
        extra.append(("SPAN", (0, 1), (-1, 1)))
    return Table(
        data,
        colWidths=[FRAME_WIDTH * f for f in fractions],
        repeatRows=1,
        style=_grid_style(extra),
        hAlign="LEFT",
    )


def facts(pairs: Sequence[tuple[str, Cell]], *, columns: int = 2) -> Table:
    """Label/value pairs in a grid, ``columns`` pairs per line (labels shaded)."""
    label_width = 0.17 if columns == 2 else 0.25 / columns
    value_width = 1 / columns - label_width
    data: list[list[Flowable]] = []
    for start in range(0, len(pairs), columns):
        line: list[Flowable] = []
        for label, value in pairs[start : start + columns]:
            line += [para(label, style="cell"), _cell(value, "cell")]
        while len(line) < 2 * columns:
            line.append(para("", style="cell"))
        data.append(line)
    shading = [("BACKGROUND", (2 * i, 0), (2 * i, -1), HEADER_FILL) for i in range(columns)]
    return Table(
        data,
        colWidths=[FRAME_WIDTH * w for _ in range(columns) for w in (label_width, value_width)],
        style=_grid_style(shading),
        hAlign="LEFT",
    )


class _DocumentStart(Flowable):
    """Zero-size marker at the top of each document: tells the canvas whose pages follow."""

    def __init__(self, index: int, meta: DocumentMeta) -> None:
        super().__init__()
        self.index = index
        self.meta = meta
        self.width = self.height = 0

    def draw(self) -> None:
        self.canv.document_index = self.index
        self.canv.document_meta = self.meta


class _PagedCanvas(Canvas):
    """Holds every page back until the end so that the footer can say "page x of y" per document
    (reportlab's usual two-pass recipe, grouped by document)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.document_index = 0
        self.document_meta: DocumentMeta | None = None
        self._held_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        totals = Counter(page["document_index"] for page in self._held_pages)
        numbers: Counter[int] = Counter()
        for page in self._held_pages:
            self.__dict__.update(page)
            numbers[self.document_index] += 1
            if self.document_meta is not None:
                _draw_page_frame(
                    self,
                    self.document_meta,
                    numbers[self.document_index],
                    totals[self.document_index],
                )
            super().showPage()
        super().save()


def _draw_page_frame(canvas: Canvas, meta: DocumentMeta, page: int, pages: int) -> None:
    font = register_fonts()
    top = PAGE_HEIGHT - 14 * mm
    canvas.saveState()
    canvas.setFont(font, 9)
    canvas.setFillColor(MUTED)
    canvas.drawString(MARGIN_X, top, printable(meta.title))
    if meta.number:
        canvas.drawRightString(PAGE_WIDTH - MARGIN_X, top, printable(f"编号：{meta.number}"))
    canvas.setStrokeColor(GRID)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN_X, top - 2.5 * mm, PAGE_WIDTH - MARGIN_X, top - 2.5 * mm)
    bottom = 11 * mm
    canvas.line(MARGIN_X, bottom + 4 * mm, PAGE_WIDTH - MARGIN_X, bottom + 4 * mm)
    generated = timezone.localtime(meta.generated_at).strftime("%Y-%m-%d %H:%M")
    canvas.drawString(MARGIN_X, bottom, f"生成时间：{generated}")
    canvas.drawCentredString(PAGE_WIDTH / 2, bottom, f"第 {page} 页 / 共 {pages} 页")
    canvas.drawRightString(PAGE_WIDTH - MARGIN_X, bottom, printable(meta.issuer))
    canvas.setFont(font, 7)
    canvas.drawCentredString(PAGE_WIDTH / 2, bottom - 4.5 * mm, f"依据{POLICY_TITLE}")
    canvas.restoreState()


def render_many(documents: Iterable[tuple[DocumentMeta, Sequence[Flowable]]]) -> bytes:
    """Several documents in one PDF (e.g. 50 notices to print at once), each from a new page."""
    register_fonts()
    story: list[Flowable] = []
    first_meta: DocumentMeta | None = None
    for index, (meta, flowables) in enumerate(documents):
        if index:
            story.append(PageBreak())
        first_meta = first_meta or meta
        story.append(_DocumentStart(index, meta))
        story.extend(flowables)
    if first_meta is None:
        raise ValueError("no document to render")
    buffer = io.BytesIO()
    frame = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        FRAME_WIDTH,
        PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    template = BaseDocTemplate(
        buffer,
        pagesize=A4,
        pageTemplates=[PageTemplate(id="a4", frames=[frame])],
        title=first_meta.title,
        author=first_meta.issuer,
        creator=ISSUER,
        pageCompression=1,
    )
    template.build(story, canvasmaker=_PagedCanvas)
    return buffer.getvalue()


def render(meta: DocumentMeta, story: Sequence[Flowable]) -> bytes:
    """One document as PDF bytes."""
    return render_many([(meta, story)])
