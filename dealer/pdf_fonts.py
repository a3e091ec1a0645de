"""The papers' font: a TrueType CJK font found on the machine and embedded (subset), or
the built-in ``STSong-Light`` when there is none; and the compression the papers are
written with.

reportlab cannot read CFF-outline fonts such as Noto CJK; when no TrueType CJK font is
found the built-in ``STSong-Light`` is used, which is not embedded and shows blank on
viewers without a Chinese font."""

import logging
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

log = logging.getLogger(__name__)


FONT_NAME = "DeskCJK"


FALLBACK_FONT = "STSong-Light"


FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "C:/Windows/Fonts/simhei.ttf",
    "C:/Windows/Fonts/simsun.ttc",
)


@dataclass(frozen=True)
class PdfFont:
    """The font documents are set in, and whether it travels inside the PDF."""

    name: str
    path: str | None
    embedded: bool


_font: PdfFont | None = None


def choose_font(candidates: Iterable[str | None]) -> TTFont | None:
    """The first candidate that reportlab reads as a TrueType font with Chinese glyphs."""
    for path in candidates:
        if not path or not Path(path).is_file():
            continue
        try:
            font = TTFont(FONT_NAME, path, subfontIndex=0)
        except (TTFError, OSError, ValueError) as exc:
            log.warning("PDF font %s cannot be used: %s", path, exc)
            continue
        if ord("中") in font.face.charToGlyph:
            return font
        log.warning("PDF font %s has no Chinese characters", path)
    return None


class QuickFlate(pdfdoc.PDFStreamFilterZCompress):
    """reportlab's Flate filter at zlib's fastest level. Most of a paper's bytes are the
    glyphs it embeds; they compress in half the time into a file about 5% larger."""

    def encode(self, text) -> bytes:
        if isinstance(text, str):
            text = text.encode("utf8")
        return zlib.compress(text, 1)


class _TableInPlace:
    """A font table read where it lies in the font file: a slice of it is copied out, the
    whole table never is."""

    __slots__ = ("_view",)

    def __init__(self, view: memoryview):
        self._view = view

    def __getitem__(self, key: slice) -> bytes:
        return bytes(self._view[key])


def _read_large_tables_in_place(face) -> None:
    """Every PDF embeds the glyphs it uses, and reportlab copies the font's whole glyph
    table (10 MB for WenQuanYi Zen Hei) each time it makes such a subset, only to slice the
    glyphs out of the copy. It reads the glyph and PostScript tables by slicing alone; give
    it those two in place."""
    whole = memoryview(face._ttf_data)
    copy_of_table = face.get_table

    def get_table(tag: str):
        if tag in ("glyf", "post"):
            position, length = face.get_table_pos(tag)
            return _TableInPlace(whole[position : position + length])
        return copy_of_table(tag)

    face.get_table = get_table


def register_font(configured: str | None = None) -> PdfFont:
    """Register the documents' font once per process; later calls return the same choice."""
    global _font
    if _font is not None:
        return _font
    pdfdoc.PDFZCompress = QuickFlate()
    found = choose_font([configured, *FONT_CANDIDATES])
    if found is not None:
        _read_large_tables_in_place(found.face)
        pdfmetrics.registerFont(found)
        _font = PdfFont(FONT_NAME, found.face.filename, True)
    else:
        pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
        _font = PdfFont(FALLBACK_FONT, None, False)
        log.warning(
            "No TrueType CJK font found: PDFs use %s, which is not embedded and shows "
            "blank on viewers without a Chinese font. Install fonts-wqy-microhei or "
            "fonts-wqy-zenhei, or set PDF_CJK_FONT to a .ttf/.ttc file.",
            FALLBACK_FONT,
        )
    return _font


def font() -> PdfFont:
    return _font or register_font()
