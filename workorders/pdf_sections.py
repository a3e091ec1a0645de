"""The sections the work order's papers share: the letterhead's facts, the customer and
the car, the concern, the jobs with their parts, the totals, the intake record, the
authorizations and the terms."""

from decimal import Decimal

from dealer import pdf as b
from dealer.i18n import gettext as _
from dealer.i18n import localtime, money, qty
from workorders.labels import (
    CATEGORY_LABELS,
    DAMAGE_LABELS,
    LIGHT_LABELS,
    METHOD_LABELS,
    PANEL_LABELS,
    PAY_LABELS,
    PRINTED_CONDITION_LABELS,
    STANDARD_BELONGINGS,
    SYMPTOM_ANSWERS,
    SYMPTOM_LABELS,
    UNIT_LABELS,
)

ZERO = Decimal("0.00")


def styles(snap) -> b.Styles:
    return b.styles(chinese=snap.language == "zh_Hans")


def label_of(labels: dict, key: str) -> str:
    return str(labels[key]) if key in labels else key


def km(value: int | None) -> str:
    return f"{value:,} km" if value is not None else ""


def paper_head(
    snap, title: str, number: str, subtitle: str = "", *, registration: bool = False
) -> b.Letterhead:
    registered = snap.dealer.registration if registration else ""
    return b.Letterhead(
        dealer_name=snap.dealer.name,
        address=snap.dealer.address,
        phone=snap.dealer.phone,
        registration=_("Repair dealer reg. no. %(number)s", number=registered)
        if registered
        else "",
        title=title,
        number=number,
        subtitle=subtitle,
        footer=_(
            "Work order %(number)s · printed %(when)s",
            number=snap.number,
            when=localtime(snap.printed_at),
        ),
    )


def render(snap, sections: list[b.Section], title: str) -> bytes:
    return b.render(sections, title=f"{title} {snap.number}", author=snap.dealer.name)


def customer_and_vehicle(snap, st: b.Styles, *, phone: bool = True) -> list:
    pairs = [
        (_("Customer"), snap.customer_name),
        (_("Vehicle"), snap.vehicle),
    ]
    if snap.contact_name:
        pairs.append((_("Contact person"), snap.contact_name))
    if phone:
        pairs.append((_("Phone"), snap.customer_phone))
    pairs += [
        (_("Plate"), snap.plate),
        (_("Frame number") if snap.frame_number else _("VIN"), snap.vin),
        (_("Engine number"), snap.engine_number or "—"),
    ]
    if phone and snap.customer_address:
        pairs.append((_("Address"), snap.customer_address))
    pairs += [
        (_("Received"), localtime(snap.received_at)),
        (_("Odometer in"), km(snap.odometer_in)),
        (_("Service advisor"), snap.advisor),
        (_("Fuel"), f"{int(snap.fuel_level * 100)}%"),
        (_("Completion requested for"), localtime(snap.promised_at) or "—"),
    ]
    if snap.comeback_of:
        pairs.append((_("Comeback of"), snap.comeback_of))
    return [b.facts(pairs, st), b.spacer(2)]


def concern(snap, st: b.Styles) -> list:
    return [b.heading(_("Concern"), st), *b.paras(snap.concern, st.body)]


def job_caption(job, st: b.Styles, *, technician: bool = False) -> list:
    detail = [label_of(CATEGORY_LABELS, job.category)]
    if job.pay_type != "customer":
        detail.append(label_of(PAY_LABELS, job.pay_type))
    if job.claim_number:
        detail.append(_("claim %(number)s", number=job.claim_number))
    if technician and job.technician:
        detail.append(job.technician)
    cell = [b.para(job.title, st.cell), b.para(" · ".join(detail), st.muted)]
    if job.findings:
        cell.extend(b.paras(_("Findings: %(text)s", text=job.findings), st.muted))
    return cell


def lines_table(snap, jobs, st: b.Styles, *, decisions: bool = False, shop: bool = False):
    """Jobs with their parts below each: hours and rate for labor, quantity and price for parts."""
    columns = [
        b.Column(_("No."), 0.05),
        b.Column(_("Job or part"), 0.31),
        b.Column(_("Part number"), 0.15),
        b.Column(_("Condition"), 0.13),
        b.Column(_("Qty / hours"), 0.09, right=True),
        b.Column(_("Unit price / rate"), 0.13, right=True),
        b.Column(_("Amount"), 0.14, right=True),
    ]
    if decisions:
        columns.append(b.Column(_("Customer decision"), 0.13))
    rows, emphasis = [], []
    for index, job in enumerate(jobs, start=1):
        emphasis.append(len(rows))
        row = [
            str(index),
            job_caption(job, st, technician=shop),
            "",
            "",
            qty(job.labor_hours),
            money(job.labor_rate),
            money(job.labor),
        ]
        if decisions:
            row.append(decision(job))
        rows.append(row)
        for part in job.parts:
            condition = label_of(PRINTED_CONDITION_LABELS, part.condition)
            if shop and part.bin_location:
                condition += " · " + _("Bin %(bin)s", bin=part.bin_location)
            returned = _("%(qty)s returned unused", qty=qty(part.returned)) if part.returned else ""
            row = [
                "",
                b.noted(part.name, returned, st) if returned else part.name,
                part.part_number,
                condition,
                f"{qty(part.quantity)} {label_of(UNIT_LABELS, part.unit)}",
                money(part.unit_price),
                money(part.amount),
            ]
            if decisions:
                row.append("")
            rows.append(row)
        if job.sublet_vendor:
            row = [
                "",
                _("Sublet to %(vendor)s", vendor=job.sublet_vendor),
                "",
                "",
                "",
                "",
                money(job.sublet_price),
            ]
            if decisions:
                row.append("")
            rows.append(row)
    if not rows:
        return b.para(_("No jobs yet."), st.muted)
    return b.table(columns, rows, st, emphasis=emphasis)


def box(ticked: bool, label: str) -> str:
    return f"{b.CHECKED if ticked else b.UNCHECKED} {label}"


def decision(job) -> str:
    approved = job.status in ("approved", "in_progress", "done")
    return box(approved, _("Approve")) + "\n" + box(job.status == "declined", _("Decline"))


def totals_table(snap, totals, st: b.Styles, *, label: str | None = None) -> list:
    lines = [(_("Labor"), money(totals.labor)), (_("Parts"), money(totals.parts))]
    if totals.sublet:
        lines.append((_("Sublet work"), money(totals.sublet)))
    for d in snap.discounts:
        reason = d.reason + (f" ({qty(d.percent)}%)" if d.percent is not None else "")
        lines.append((_("Discount: %(reason)s", reason=reason), "-" + money(d.amount)))
    if snap.labor_tax_rate is None or snap.labor_tax_rate == snap.tax_rate:
        label_tax = _("Tax (%(rate)s%%)", rate=qty(snap.tax_rate * 100))
    else:
        label_tax = _(
            "Tax (labor %(labor)s%%, parts and sublet %(parts)s%%)",
            labor=qty(snap.labor_tax_rate * 100),
            parts=qty(snap.tax_rate * 100),
        )
    lines.append((label_tax, money(totals.tax)))
    lines.append((label or _("Total"), money(totals.total)))
    strong = [len(lines) - 1]
    if totals.warranty:
        lines.append((_("Warranty work (not charged)"), money(totals.warranty)))
    if totals.internal:
        lines.append((_("Internal work (not charged)"), money(totals.internal)))
    return [b.spacer(2), b.amounts(lines, st, strong=strong)]


def intake_record(snap, st: b.Styles) -> list:
    intake = snap.intake
    if intake is None:
        return [b.heading(_("Intake walk-around"), st), b.para(_("Not recorded."), st.muted)]
    out = [b.heading(_("Intake walk-around"), st)]
    if intake.panels:
        out.append(
            b.table(
                [b.Column(_("Panel"), 0.3), b.Column(_("Damage"), 0.2), b.Column(_("Note"), 0.5)],
                [
                    (label_of(PANEL_LABELS, panel), label_of(DAMAGE_LABELS, damage), note)
                    for panel, damage, note in intake.panels
                ],
                st,
            )
        )
    else:
        out.append(b.para(_("No damage noted."), st.body))
    belongings = [label_of(STANDARD_BELONGINGS, item) for item in intake.belongings]
    lights = [label_of(LIGHT_LABELS, item) for item in intake.warning_lights]
    out.append(
        b.facts(
            [
                (_("Belongings in the car"), ", ".join(belongings) or "—"),
                (_("Warning lights on"), ", ".join(lights) or "—"),
                (_("Keys"), str(intake.keys_count)),
                (_("Confirmed by"), intake.acknowledged_by or "—"),
            ],
            st,
        )
    )
    if intake.symptoms:
        out.append(b.heading(_("Symptom interview"), st))
        out.append(
            b.facts(
                [
                    (
                        label_of(SYMPTOM_LABELS, key),
                        (_("Yes") if answer else _("No"))
                        if isinstance(answer, bool)
                        else label_of(SYMPTOM_ANSWERS, answer),
                    )
                    for key, answer in intake.symptoms
                ],
                st,
                columns=1,
            )
        )
    if intake.amended:
        out.append(
            b.para(
                _(
                    "This is version %(n)s, as the customer acknowledged it. A later amendment "
                    "awaits the customer's acknowledgement.",
                    n=intake.version,
                ),
                st.muted,
            )
        )
    return out


def authorizations(snap, st: b.Styles) -> list:
    out = [b.heading(_("Authorization"), st)]
    if not snap.authorizations:
        return [*out, b.para(_("Not authorized yet."), st.muted)]
    rows = []
    for a in snap.authorizations:
        how = label_of(METHOD_LABELS, a.method) + (f" {a.phone}" if a.phone else "")
        if a.method == "in_person":
            how += " · " + (_("signed") if a.signature else _("no signature captured"))
        jobs = []
        if a.approved:
            jobs.append(_("Approved: %(jobs)s", jobs="; ".join(a.approved)))
        if a.declined:
            jobs.append(_("Declined: %(jobs)s", jobs="; ".join(a.declined)))
        rows.append((localtime(a.at), a.authorized_by, how, "\n".join(jobs), money(a.amount)))
    out.append(
        b.table(
            [
                b.Column(_("When"), 0.17),
                b.Column(_("Who"), 0.15),
                b.Column(_("How"), 0.17),
                b.Column(_("Jobs"), 0.36),
                b.Column(_("Authorized total"), 0.15, right=True),
            ],
            rows,
            st,
        )
    )
    return out


def terms(st: b.Styles) -> list:
    terms = [
        _("The workshop may drive the car as the work requires, including road tests."),
        _("No work beyond the authorized amount is done without the customer's consent."),
        _("Replaced parts are handed back when the customer asks for them at intake."),
        _("Valuables not listed at intake are the customer's responsibility."),
        _("A car not collected within three days of notice may be charged for storage."),
    ]
    return [
        b.heading(_("Terms"), st),
        *(b.para(f"{i}. {term}", st.small) for i, term in enumerate(terms, start=1)),
    ]
