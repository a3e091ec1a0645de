"""The warranty claim on paper, in the reader's language, for the manufacturer's file: the
car and the visit, the labor operation, causal part and failure code, complaint, cause and
correction, the amounts claimed, what was paid, and the old parts' tags and photos attached."""

from flask import Response
from flask_babel import gettext as _

from dealer import pdf as b
from dealer.i18n import localdate, localtime, money
from dealer.services import settings_for
from dealer.types import utcnow
from dealer.web import pdf_response
from warranty.claims import attachments
from warranty.models import WarrantyClaim
from warranty.vocabulary import ClaimStatus, FaultSystem


def claim_document(settings, claim: WarrantyClaim, chinese: bool) -> bytes:
    """The claim as the warranty administrator files it."""
    st = b.styles(chinese=chinese)
    order = claim.work_order
    statuses = ClaimStatus.labels()
    systems = FaultSystem.labels()
    flow = [
        b.facts(
            [
                (_("Manufacturer"), claim.manufacturer),
                (_("VIN"), claim.vin),
                (_("Vehicle"), f"{order.vehicle.plate} {order.vehicle.make} {order.vehicle.model}"),
                (_("Work order"), order.number),
                (_("Taken in"), localdate(order.received_at)),
                (_("Odometer"), f"{order.odometer_in} km"),
                (_("Repaired on"), localdate(claim.repaired_on)),
                (_("Status"), str(statuses[claim.status])),
                (_("Campaign"), claim.campaign.code if claim.campaign else "—"),
                (_("Manufacturer's claim number"), claim.manufacturer_number or "—"),
            ],
            st,
        ),
        b.spacer(),
        b.facts(
            [
                (_("Labor operation"), claim.labor_op or "—"),
                (_("Causal part"), claim.causal_part_number or "—"),
                (_("Failure code"), claim.failure_code or "—"),
                (
                    _("Fault system"),
                    str(systems[claim.fault_system]) if claim.fault_system else "—",
                ),
            ],
            st,
        ),
        b.heading(_("Customer's complaint"), st),
        *b.paras(claim.complaint or "—", st.body),
        b.heading(_("Cause"), st),
        *b.paras(claim.cause or "—", st.body),
        b.heading(_("Correction"), st),
        *b.paras(claim.correction or "—", st.body),
        b.heading(_("Amounts claimed"), st),
    ]
    columns = [
        b.Column(_("Part number"), 0.22),
        b.Column(_("Part"), 0.38),
        b.Column(_("Quantity"), 0.12, right=True),
        b.Column(_("Unit price"), 0.14, right=True),
        b.Column(_("Amount"), 0.14, right=True),
    ]
    if claim.parts:
        flow.append(
            b.table(
                columns,
                [
                    (
                        p["part_number"],
                        (p.get("name_zh") if chinese else None) or p["name"],
                        p["quantity"],
                        p["unit_price"],
                        p["amount"],
                    )
                    for p in claim.parts
                ],
                st,
            )
        )
    lines = [
        (
            _(
                "Labor: %(hours)s h at %(rate)s",
                hours=claim.labor_hours,
                rate=money(claim.labor_rate),
            ),
            money(claim.labor_amount),
        ),
        (_("Parts"), money(claim.parts_amount)),
        (_("Sublet"), money(claim.sublet_amount)),
        (_("Total claimed"), money(claim.total_claimed)),
    ]
    if claim.paid_amount is not None:
        lines.append((_("Paid on %(day)s", day=localdate(claim.paid_on)), money(claim.paid_amount)))
        if claim.short_paid:
            lines.append((_("Short paid"), money(claim.short_paid)))
    flow += [b.spacer(), b.amounts(lines, st, strong=(3,))]
    if claim.rejection_reason:
        flow += [b.heading(_("Rejection reason"), st), *b.paras(claim.rejection_reason, st.body)]
    attached = attachments(claim)
    tags = [a for a in attached if a["kind"] == "old_part_tag"]
    photos = len(attached) - len(tags)
    flow.append(b.heading(_("Attachments"), st))
    flow.append(
        b.para(
            _(
                "Photos: %(n)s. Old part tags: %(tags)s.",
                n=photos,
                tags=", ".join(t["tag_number"] for t in tags) or "—",
            ),
            st.body,
        )
    )
    if claim.tags:
        flow.append(
            b.table(
                [
                    b.Column(_("Tag"), 0.25),
                    b.Column(_("Part number"), 0.25),
                    b.Column(_("Shelf"), 0.25),
                    b.Column(_("Kept until"), 0.25),
                ],
                [
                    (t.tag_number, t.part_number, t.shelf, localdate(t.keep_until))
                    for t in claim.tags
                ],
                st,
            )
        )
    title = _("Warranty claim")
    head = b.Letterhead(
        dealer_name=settings.dealer_name,
        address=settings.address,
        phone=settings.phone,
        title=title,
        number=f"{order.number}-{claim.id}",
        subtitle=f"{claim.manufacturer} · {claim.vin}",
        footer=_("Printed %(when)s", when=localtime(utcnow())),
    )
    return b.render([b.Section(head, flow)], title=title, author=settings.dealer_name)


def claim_response(claim: WarrantyClaim, chinese: bool) -> Response:
    """The claim as the browser shows a paper."""
    return pdf_response(
        claim_document(settings_for(claim.site_id), claim, chinese),
        f"claim-{claim.id}.pdf",
    )
