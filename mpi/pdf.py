"""The inspection report on paper, in the customer's language: the car, who inspected it and
when, a count of green, yellow and red, the items by system with their measurements, notes
and recommended work, and the photos as thumbnails scaled down for print (a phone's photo
is kept at up to 2,560 pixels; the paper needs a few hundred)."""

import io
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _
from PIL import Image as PILImage
from reportlab.lib.units import mm
from reportlab.platypus import Image, Table, TableStyle

from dealer import pdf as b
from dealer.i18n import in_language, localtime
from dealer.services import settings_for
from dealer.types import utcnow
from dealer.web import pdf_response
from mpi import inspecting
from mpi.models import MpiInspection
from mpi.vocabulary import Condition, ItemGroup

THUMB_EDGE = 480
"""The longest edge of a photo as printed, in pixels (about 200 dpi at 60 mm)."""
THUMB_QUALITY = 70
PHOTOS_PER_ROW = 3
MARKS = {"green": "●", "yellow": "▲", "red": "■", "not_checked": "○"}


@dataclass(frozen=True)
class Thumb:
    data: bytes
    width: int
    height: int


def thumbnail(path) -> Thumb | None:
    """A photo scaled down for print, as a JPEG (None when its file is gone); a JPEG is
    decoded at the smallest scale that still covers the print size."""
    try:
        with PILImage.open(path) as image:
            image.draft("RGB", (THUMB_EDGE, THUMB_EDGE))
            image = image.convert("RGB")
            image.thumbnail((THUMB_EDGE, THUMB_EDGE))
            out = io.BytesIO()
            image.save(out, "JPEG", quality=THUMB_QUALITY, optimize=True)
            return Thumb(out.getvalue(), image.width, image.height)
    except (OSError, ValueError):
        return None


def _photo_grid(inspection: MpiInspection, st) -> list:
    cells = []
    room = b.WIDTH / PHOTOS_PER_ROW - 4 * mm
    for item in inspection.items:
        for photo in item.photos:
            thumb = thumbnail(inspecting.photo_file(photo))
            if thumb is None:
                continue
            scale = min(room / thumb.width, 45 * mm / thumb.height)
            picture = Image(
                io.BytesIO(thumb.data), width=thumb.width * scale, height=thumb.height * scale
            )
            cells.append([picture, b.para(in_language(item, "label"), st.muted)])
    if not cells:
        return []
    rows = [cells[i : i + PHOTOS_PER_ROW] for i in range(0, len(cells), PHOTOS_PER_ROW)]
    rows[-1] += [""] * (PHOTOS_PER_ROW - len(rows[-1]))
    grid = Table(
        [[Table([[c[0]], [c[1]]]) if c else "" for c in row] for row in rows],
        colWidths=[b.WIDTH / PHOTOS_PER_ROW] * PHOTOS_PER_ROW,
        hAlign="LEFT",
    )
    grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [b.heading(_("Photos"), st), grid]


def inspection_document(settings, inspection: MpiInspection) -> bytes:
    """The inspection report of an order, in its customer's language."""
    order = inspection.work_order
    language = order.customer.preferred_language
    with force_locale(language):
        st = b.styles(chinese=language == "zh_Hans")
        conditions = Condition.labels()
        groups = ItemGroup.labels()
        who = inspection.completed_by or inspection.started_by
        counts = {c: sum(1 for i in inspection.items if i.condition == c) for c in MARKS}
        flow = [
            b.facts(
                [
                    (
                        _("Vehicle"),
                        f"{order.vehicle.plate} {order.vehicle.make} {order.vehicle.model}",
                    ),
                    (_("VIN"), order.vehicle.vin),
                    (_("Odometer"), f"{order.odometer_in} km"),
                    (_("Customer"), order.customer.name),
                    (_("Technician"), who.full_name if who else ""),
                    (_("Inspected"), localtime(inspection.completed_at or inspection.started_at)),
                ],
                st,
            ),
            b.spacer(),
            b.para(
                "   ".join(
                    f"{MARKS[c]} {conditions[c]}: {counts[c]}"
                    for c in ("green", "yellow", "red", "not_checked")
                ),
                st.body,
            ),
        ]
        columns = [
            b.Column(_("Item"), 0.30),
            b.Column(_("Result"), 0.18),
            b.Column(_("Measurement"), 0.12, right=True),
            b.Column(_("Note"), 0.22),
            b.Column(_("Recommended work"), 0.18),
        ]
        for group, items in inspecting.by_system(inspection).items():
            rows = [
                (
                    in_language(item, "label"),
                    f"{MARKS[item.condition]} {conditions[item.condition]}",
                    f"{item.measurement.normalize():f} {item.unit or ''}".strip()
                    if item.measurement is not None
                    else "",
                    item.note or "",
                    (
                        in_language(item.job, "title")
                        + (f" ({_('Safety')})" if item.job.safety else "")
                    )
                    if item.job is not None
                    else "",
                )
                for item in items
            ]
            flow += [b.heading(str(groups[group]), st), b.table(columns, rows, st)]
        flow += _photo_grid(inspection, st)
        title = _("Vehicle inspection report")
        head = b.Letterhead(
            dealer_name=settings.dealer_name,
            address=settings.address,
            phone=settings.phone,
            title=title,
            number=order.number,
            subtitle=f"{order.vehicle.plate} · {order.customer.name}",
            footer=_("Printed %(when)s", when=localtime(utcnow())),
        )
        return b.render([b.Section(head, flow)], title=title, author=settings.dealer_name)


def report_response(inspection: MpiInspection):
    """The inspection report as the browser shows a paper."""
    order = inspection.work_order
    return pdf_response(
        inspection_document(settings_for(order.site_id), inspection),
        f"{order.number}-inspection.pdf",
    )
