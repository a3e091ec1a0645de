"""PDF building blocks: the A4 page with its letterhead, styles, tables, signatures (the
font is in ``dealer.pdf_fonts``).

A document is a list of sections, each a letterhead and the flowables
under it; the letterhead (dealer, document title, number and its QR code)
repeats on every page and the footer counts the pages. User text reaches
reportlab only through ``text()``, ``para()`` and the table helpers, which
escape it: ``Paragraph`` reads its text as markup, so unescaped text could
pull a server file into the PDF or add a ``javascript:`` link."""

import hashlib
import io
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    HRFlowable,
    Image,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from dealer.i18n import gettext as _
from dealer.pdf_fonts import font, register_font

log = logging.getLogger(__name__)

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 15 * mm


HEADER_HEIGHT = 30 * mm


FOOTER_HEIGHT = 12 * mm


WIDTH = PAGE_WIDTH - 2 * MARGIN


LINE = colors.HexColor("#9aa0a6")


SHADE = colors.HexColor("#eef0f2")


MUTED = colors.HexColor("#5f6368")


CHECKED, UNCHECKED = "■", "□"


SPACES = str.maketrans({"\u202f": " ", "\u2009": " ", "\u00a0": " ", "\u2212": "-"})


def plain(value) -> str:
    """A string with the thin and no-break spaces locale formats use (which CJK fonts lack)
    as plain spaces."""
    return "" if value is None else str(value).translate(SPACES)


def text(value) -> str:
    """User text as Paragraph markup that shows exactly those characters."""
    if value is None:
        return ""
    return escape(plain(value)).replace("\n", "<br/>")


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    muted: ParagraphStyle
    cell: ParagraphStyle
    cell_right: ParagraphStyle
    cell_head: ParagraphStyle
    cell_head_right: ParagraphStyle
    heading: ParagraphStyle
    title: ParagraphStyle
    center: ParagraphStyle


def styles(chinese: bool) -> Styles:
    """The paragraph styles of a document; Chinese text may break between any two characters."""
    name = font().name
    wrap = "CJK" if chinese else None
    body = ParagraphStyle("body", fontName=name, fontSize=9, leading=12.5, wordWrap=wrap)
    small = ParagraphStyle("small", parent=body, fontSize=7.5, leading=10)
    cell = ParagraphStyle("cell", parent=body, fontSize=8.5, leading=11)
    head = ParagraphStyle("cell_head", parent=cell, textColor=colors.black)
    return Styles(
        body=body,
        small=small,
        muted=ParagraphStyle("muted", parent=small, textColor=MUTED),
        cell=cell,
        cell_right=ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
        cell_head=head,
        cell_head_right=ParagraphStyle("cell_head_right", parent=head, alignment=TA_RIGHT),
        heading=ParagraphStyle(
            "heading", parent=body, fontSize=11, leading=15, spaceBefore=8, spaceAfter=3
        ),
        title=ParagraphStyle("title", parent=body, fontSize=14, leading=18, spaceAfter=4),
        center=ParagraphStyle("center", parent=body, alignment=TA_CENTER),
    )


def para(value, style: ParagraphStyle) -> Paragraph:
    """A paragraph of user text, escaped."""
    return Paragraph(text(value), style)


LINES_PER_PARAGRAPH = 12


def paras(value, style: ParagraphStyle) -> list[Paragraph]:
    """User text of any length as paragraphs of a few lines each. reportlab breaks a long
    paragraph across pages by laying out what is left of it again at every page, so one of
    thousands of lines costs seconds; short ones cost in proportion to the text."""
    lines = plain(value or "").split("\n")
    return [
        Paragraph(text("\n".join(lines[start : start + LINES_PER_PARAGRAPH])), style)
        for start in range(0, len(lines), LINES_PER_PARAGRAPH)
    ]


def noted(value, note: str, st: Styles) -> Paragraph:
    """A cell's text with a smaller grey note after it on the same line, both escaped."""
    if not note:
        return para(value, st.cell)
    return Paragraph(
        f'{text(value)} <font size="{st.muted.fontSize}" color="#5f6368">{text(note)}</font>',
        st.cell,
    )


def heading(value, st: Styles) -> Paragraph:
    return Paragraph(text(value), st.heading)


def spacer(height_mm: float = 3) -> Spacer:
    return Spacer(1, height_mm * mm)


@dataclass(frozen=True)
class Column:
    """A table column: its heading, its share of the page width, right-aligned or not."""

    label: str
    share: float
    right: bool = False


GRID = [
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LINEBELOW", (0, 0), (-1, -1), 0.25, LINE),
    ("BOX", (0, 0), (-1, -1), 0.5, LINE),
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ("TOPPADDING", (0, 0), (-1, -1), 2),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
]


def _cell(value, style: ParagraphStyle):
    if isinstance(value, Flowable):
        return value
    if isinstance(value, (list, tuple)) and all(isinstance(v, Flowable) for v in value):
        return list(value)
    return para(value, style)


def _plain_cells(style: ParagraphStyle, start=(0, 0), stop=(-1, -1)) -> list[tuple]:
    """Table style commands that set the plain (non-paragraph) cells in ``style``."""
    return [
        ("FONTNAME", start, stop, style.fontName),
        ("FONTSIZE", start, stop, style.fontSize),
        ("LEADING", start, stop, style.leading),
        ("TEXTCOLOR", start, stop, style.textColor),
    ]


def _fitted(value, style: ParagraphStyle, room: float):
    """A value that fits its column on one line as a plain cell, which reportlab draws
    as-is (no markup is read) and quickly; anything longer wraps as an escaped paragraph."""
    if isinstance(value, str):
        value = plain(value)
        if (
            "\n" not in value
            and pdfmetrics.stringWidth(value, style.fontName, style.fontSize) <= room
        ):
            return value
    return _cell(value, style)


def table(
    columns: Sequence[Column],
    rows: Iterable[Sequence],
    st: Styles,
    *,
    emphasis: Iterable[int] = (),
    width: float = WIDTH,
) -> Table:
    """A table whose heading row repeats on every page it runs onto; amounts right-aligned."""
    total = sum(c.share for c in columns)
    widths = [width * c.share / total for c in columns]
    head = [
        _fitted(c.label, st.cell_head_right if c.right else st.cell_head, w - 6)
        for c, w in zip(columns, widths, strict=True)
    ]
    body = [
        [
            _fitted(value, st.cell_right if c.right else st.cell, w - 6)
            for c, w, value in zip(columns, widths, row, strict=True)
        ]
        for row in rows
    ]
    result = Table([head, *body], colWidths=widths, repeatRows=1, hAlign="LEFT", splitInRow=1)
    commands = [*GRID, *_plain_cells(st.cell), ("BACKGROUND", (0, 0), (-1, 0), SHADE)]
    commands += [
        ("ALIGN", (index, 0), (index, -1), "RIGHT") for index, c in enumerate(columns) if c.right
    ]
    for index in emphasis:
        row = index + 1
        commands += [("BACKGROUND", (0, row), (-1, row), SHADE)]
    result.setStyle(TableStyle(commands))
    return result


def facts(pairs: Sequence[tuple[str, object]], st: Styles, *, columns: int = 2) -> Table:
    """Labels and values side by side, ``columns`` pairs to a row."""
    share = WIDTH / columns
    widths = [share * 0.32, share * 0.68] * columns
    cells = [
        [_fitted(label, st.muted, widths[0] - 6), _fitted(value, st.cell, widths[1] - 6)]
        for label, value in pairs
    ]
    rows = []
    for start in range(0, len(cells), columns):
        chunk = [c for pair in cells[start : start + columns] for c in pair]
        chunk += [""] * (2 * columns - len(chunk))
        rows.append(chunk)
    result = Table(rows or [[""] * 2 * columns], colWidths=widths, hAlign="LEFT", splitInRow=1)
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        *_plain_cells(st.cell),
    ]
    for label_column in range(0, 2 * columns, 2):
        commands += _plain_cells(st.muted, (label_column, 0), (label_column, -1))
    result.setStyle(TableStyle(commands))
    return result


def amounts(lines: Sequence[tuple[str, str]], st: Styles, *, strong: Iterable[int] = ()) -> Table:
    """A column of labelled amounts at the right of the page (totals)."""
    widths = [WIDTH * 0.34, WIDTH * 0.18]
    rows = [
        [_fitted(label, st.cell, widths[0] - 6), _fitted(value, st.cell_right, widths[1] - 6)]
        for label, value in lines
    ]
    result = Table(rows, colWidths=widths, hAlign="RIGHT")
    commands = [*GRID, *_plain_cells(st.cell), ("ALIGN", (1, 0), (1, -1), "RIGHT")]
    for index in strong:
        commands += [("BACKGROUND", (0, index), (-1, index), SHADE)]
    result.setStyle(TableStyle(commands))
    return KeepTogether([result])


def box(flowables: Sequence[Flowable], *, height_mm: float | None = None) -> Table:
    """Flowables inside a thin frame, e.g. the dealer's stamp area."""
    result = Table(
        [[list(flowables)]],
        colWidths=[WIDTH],
        rowHeights=[height_mm * mm] if height_mm else None,
    )
    result.setStyle(
        TableStyle([("BOX", (0, 0), (-1, -1), 0.5, LINE), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    return result


@dataclass(frozen=True)
class Signature:
    """A signature line: what it is for, the signer's name, when, and a drawn image if any."""

    label: str
    name: str = ""
    when: str = ""
    image: Path | None = None


def _signature_image(path: Path | None) -> Flowable:
    if path is not None and path.is_file():
        try:
            return Image(str(path), width=48 * mm, height=16 * mm, kind="proportional", mask="auto")
        except (OSError, ValueError) as exc:
            log.warning("signature image %s cannot be drawn: %s", path.name, exc)
    return Spacer(1, 16 * mm)


def signatures(items: Sequence[Signature], st: Styles) -> Table:
    """Signature lines side by side, each the drawn image (or room to sign) over a rule, then
    what is signed for, the name and the time; one row, so it never splits across pages."""
    gap = 6 * mm
    share = (WIDTH - gap * (len(items) - 1)) / max(len(items), 1)
    cells, widths = [], []
    for index, item in enumerate(items):
        if index:
            cells.append("")
            widths.append(gap)
        caption = item.label + (f": {item.name}" if item.name else "")
        cells.append(
            [
                _signature_image(item.image),
                HRFlowable(width="100%", thickness=0.6, color=colors.black, spaceAfter=2),
                para(caption, st.small),
                para(item.when, st.muted),
            ]
        )
        widths.append(share)
    result = Table([cells], colWidths=widths, hAlign="LEFT")
    result.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 4 * mm),
            ]
        )
    )
    return result


def stored_file(storage: str, relative: str | None) -> Path | None:
    """A file kept under the storage folder, never outside it."""
    if not relative:
        return None
    root = Path(storage).resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root):
        return None
    return path


@dataclass(frozen=True)
class Letterhead:
    """What the top of every page of a section shows."""

    dealer_name: str
    address: str
    phone: str
    title: str
    number: str = ""
    subtitle: str = ""
    footer: str = ""
    registration: str = ""


@lru_cache(maxsize=2048)
def _qr_runs(value: str) -> tuple[int, tuple[bytes, ...]]:
    """The size of the QR code of ``value`` and, for each row, its runs of dark modules as
    bytes (first column, length, first column, length, ...).

    Encoding tries all eight masks in pure Python (a few milliseconds), and the desk prints
    the same order's papers again and again; a code kept this way takes about a kilobyte.
    """
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(value)
    code.make()
    count = code.getModuleCount()
    rows = []
    for r in range(count):
        runs = bytearray()
        c = 0
        while c < count:
            if code.isDark(r, c):
                start = c
                while c < count and code.isDark(r, c):
                    c += 1
                runs += bytes((start, c - start))
            else:
                c += 1
        rows.append(bytes(runs))
    return count, tuple(rows)


def _qr(canvas: Canvas, value: str, x: float, y: float, size: float) -> None:
    """The QR code of ``value`` as one filled path, a rectangle per run of dark modules."""
    count, rows = _qr_runs(value)
    cell = size / count
    canvas.setFillColor(colors.black)
    path = canvas.beginPath()
    for row, runs in enumerate(rows):
        top = y + size - (row + 1) * cell
        for index in range(0, len(runs), 2):
            path.rect(x + runs[index] * cell, top, runs[index + 1] * cell, cell)
    canvas.drawPath(path, stroke=0, fill=1)


def _stamp_qr(canvas: Canvas, value: str, x: float, y: float, size: float) -> None:
    """The QR code drawn once per document as a form and placed on each page."""
    name = "qr" + hashlib.sha1(value.encode(), usedforsecurity=False).hexdigest()[:16]
    made = canvas.__dict__.setdefault("desk_forms", set())
    if name not in made:
        canvas.beginForm(name)
        _qr(canvas, value, 0, 0, size)
        canvas.endForm()
        made.add(name)
    canvas.saveState()
    canvas.translate(x, y)
    canvas.doForm(name)
    canvas.restoreState()


def _draw_page(head: Letterhead, canvas: Canvas, doc) -> None:
    name = font().name
    top = PAGE_HEIGHT - MARGIN
    canvas.saveState()
    qr_size = 20 * mm if head.number else 0
    right = PAGE_WIDTH - MARGIN - (qr_size + 3 * mm if qr_size else 0)
    if head.number:
        _stamp_qr(canvas, head.number, PAGE_WIDTH - MARGIN - qr_size, top - qr_size, qr_size)
    canvas.setFont(name, 12)
    left_width = WIDTH * 0.52
    y = top - 11
    for line in simpleSplit(head.dealer_name, name, 12, left_width)[:2]:
        canvas.drawString(MARGIN, y, line)
        y -= 14
    canvas.setFont(name, 7.5)
    canvas.setFillColor(MUTED)
    for line in simpleSplit(
        " · ".join(v for v in (head.address, head.phone, head.registration) if v),
        name,
        7.5,
        left_width,
    )[:4]:
        canvas.drawString(MARGIN, y, line)
        y -= 9.5
    canvas.setFillColor(colors.black)
    canvas.setFont(name, 14)
    canvas.drawRightString(right, top - 13, head.title)
    canvas.setFont(name, 10)
    if head.number:
        canvas.drawRightString(right, top - 27, head.number)
    if head.subtitle:
        canvas.setFont(name, 8.5)
        canvas.drawRightString(right, top - 40, head.subtitle)
    canvas.setStrokeColor(LINE)
    canvas.setLineWidth(0.6)
    line_y = PAGE_HEIGHT - MARGIN - HEADER_HEIGHT + 4 * mm
    canvas.line(MARGIN, line_y, PAGE_WIDTH - MARGIN, line_y)
    canvas.line(
        MARGIN,
        MARGIN + FOOTER_HEIGHT - 5 * mm,
        PAGE_WIDTH - MARGIN,
        MARGIN + FOOTER_HEIGHT - 5 * mm,
    )
    canvas.setFont(name, 7.5)
    canvas.setFillColor(MUTED)
    if head.footer:
        canvas.drawString(MARGIN, MARGIN, plain(head.footer)[:140])
    canvas.restoreState()


def _numbered_canvas(label: str):
    """A canvas that writes "page n of m" on each page once the count is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            count = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(font().name, 7.5)
                self.setFillColor(MUTED)
                self.drawRightString(
                    PAGE_WIDTH - MARGIN, MARGIN, label % {"page": self._pageNumber, "pages": count}
                )
                super().showPage()
            super().save()

    return NumberedCanvas


@dataclass
class Section:
    """A part of a document with its own letterhead, starting on a new page."""

    head: Letterhead
    flowables: list = field(default_factory=list)


def render(sections: Sequence[Section], *, title: str, author: str = "") -> bytes:
    """Lay the sections out on A4 pages and return the PDF."""
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + HEADER_HEIGHT,
        bottomMargin=MARGIN + FOOTER_HEIGHT,
        title=title,
        author=author,
        creator="Service Desk",
        invariant=False,
    )
    frame = Frame(
        MARGIN,
        MARGIN + FOOTER_HEIGHT,
        WIDTH,
        PAGE_HEIGHT - 2 * MARGIN - HEADER_HEIGHT - FOOTER_HEIGHT,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    templates = [
        PageTemplate(id=f"section{i}", frames=[frame], onPage=partial(_draw_page, s.head))
        for i, s in enumerate(sections)
    ]
    doc.addPageTemplates(templates)
    story: list = []
    for index, section in enumerate(sections):
        if index:
            story += [NextPageTemplate(f"section{index}"), PageBreak()]
        story += section.flowables
    if not story:
        story.append(Spacer(1, 1))
    doc.build(story, canvasmaker=_numbered_canvas(_("Page %(page)s of %(pages)s")))
    return buffer.getvalue()


__all__ = [
    "CHECKED",
    "UNCHECKED",
    "Column",
    "CondPageBreak",
    "KeepTogether",
    "Letterhead",
    "Section",
    "Signature",
    "amounts",
    "box",
    "facts",
    "heading",
    "para",
    "register_font",
    "render",
    "signatures",
    "spacer",
    "stored_file",
    "styles",
    "table",
    "text",
]
