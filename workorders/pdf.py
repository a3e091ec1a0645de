"""The work order's papers laid out from a snapshot: work order (托修单), estimate,
settlement list (结算清单), completion certificate (竣工出厂合格证) and QC sheet.

Each function takes an ``OrderSnapshot`` and returns PDF bytes; it runs
inside the customer's locale, so labels, amounts and dates read as the
customer reads them. Every value from the records goes through the
building blocks of ``dealer.pdf``, which escape it.
"""

from decimal import Decimal

from dealer import pdf as b
from dealer.i18n import gettext as _
from dealer.i18n import localdate, localtime, money, qty
from workorders.labels import (
    CATEGORY_LABELS,
    CHECKLIST_LABELS,
    CONDITION_LABELS,
    DAMAGE_LABELS,
    JOB_LABELS,
    LIGHT_LABELS,
    METHOD_LABELS,
    PANEL_LABELS,
    PAY_LABELS,
    PAYMENT_LABELS,
    PRINTED_CONDITION_LABELS,
    STANDARD_BELONGINGS,
    SYMPTOM_ANSWERS,
    SYMPTOM_LABELS,
    UNIT_LABELS,
)

ZERO = Decimal("0.00")


def _styles(snap) -> b.Styles:
    return b.styles(chinese=snap.language == "zh_Hans")


def _label(labels: dict, key: str) -> str:
    return str(labels[key]) if key in labels else key


def _km(value: int | None) -> str:
    return f"{value:,} km" if value is not None else ""


def _head(
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


def _render(snap, sections: list[b.Section], title: str) -> bytes:
    return b.render(sections, title=f"{title} {snap.number}", author=snap.dealer.name)


def _customer_and_vehicle(snap, st: b.Styles, *, phone: bool = True) -> list:
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
        (_("Odometer in"), _km(snap.odometer_in)),
        (_("Service advisor"), snap.advisor),
        (_("Fuel"), f"{int(snap.fuel_level * 100)}%"),
        (_("Completion requested for"), localtime(snap.promised_at) or "—"),
    ]
    if snap.comeback_of:
        pairs.append((_("Comeback of"), snap.comeback_of))
    return [b.facts(pairs, st), b.spacer(2)]


def _concern(snap, st: b.Styles) -> list:
    return [b.heading(_("Concern"), st), *b.paras(snap.concern, st.body)]


def _job_caption(job, st: b.Styles, *, technician: bool = False) -> list:
    detail = [_label(CATEGORY_LABELS, job.category)]
    if job.pay_type != "customer":
        detail.append(_label(PAY_LABELS, job.pay_type))
    if job.claim_number:
        detail.append(_("claim %(number)s", number=job.claim_number))
    if technician and job.technician:
        detail.append(job.technician)
    cell = [b.para(job.title, st.cell), b.para(" · ".join(detail), st.muted)]
    if job.findings:
        cell.extend(b.paras(_("Findings: %(text)s", text=job.findings), st.muted))
    return cell


def _lines_table(snap, jobs, st: b.Styles, *, decisions: bool = False, shop: bool = False):
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
            _job_caption(job, st, technician=shop),
            "",
            "",
            qty(job.labor_hours),
            money(job.labor_rate),
            money(job.labor),
        ]
        if decisions:
            row.append(_decision(job))
        rows.append(row)
        for part in job.parts:
            condition = _label(PRINTED_CONDITION_LABELS, part.condition)
            if shop and part.bin_location:
                condition += " · " + _("Bin %(bin)s", bin=part.bin_location)
            returned = _("%(qty)s returned unused", qty=qty(part.returned)) if part.returned else ""
            row = [
                "",
                b.noted(part.name, returned, st) if returned else part.name,
                part.part_number,
                condition,
                f"{qty(part.quantity)} {_label(UNIT_LABELS, part.unit)}",
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


def _box(ticked: bool, label: str) -> str:
    return f"{b.CHECKED if ticked else b.UNCHECKED} {label}"


def _decision(job) -> str:
    approved = job.status in ("approved", "in_progress", "done")
    return _box(approved, _("Approve")) + "\n" + _box(job.status == "declined", _("Decline"))


def _totals(snap, totals, st: b.Styles, *, label: str | None = None) -> list:
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


def _intake(snap, st: b.Styles) -> list:
    intake = snap.intake
    if intake is None:
        return [b.heading(_("Intake walk-around"), st), b.para(_("Not recorded."), st.muted)]
    out = [b.heading(_("Intake walk-around"), st)]
    if intake.panels:
        out.append(
            b.table(
                [b.Column(_("Panel"), 0.3), b.Column(_("Damage"), 0.2), b.Column(_("Note"), 0.5)],
                [
                    (_label(PANEL_LABELS, panel), _label(DAMAGE_LABELS, damage), note)
                    for panel, damage, note in intake.panels
                ],
                st,
            )
        )
    else:
        out.append(b.para(_("No damage noted."), st.body))
    belongings = [_label(STANDARD_BELONGINGS, item) for item in intake.belongings]
    lights = [_label(LIGHT_LABELS, item) for item in intake.warning_lights]
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
                        _label(SYMPTOM_LABELS, key),
                        (_("Yes") if answer else _("No"))
                        if isinstance(answer, bool)
                        else _label(SYMPTOM_ANSWERS, answer),
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


def _authorizations(snap, st: b.Styles) -> list:
    out = [b.heading(_("Authorization"), st)]
    if not snap.authorizations:
        return [*out, b.para(_("Not authorized yet."), st.muted)]
    rows = []
    for a in snap.authorizations:
        how = _label(METHOD_LABELS, a.method) + (f" {a.phone}" if a.phone else "")
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


def _terms(st: b.Styles) -> list:
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


def work_order(snap, copies=("customer", "shop")) -> bytes:
    """The work order (托修单): one section per copy, each starting on a new page."""
    st = _styles(snap)
    titles = {"customer": _("Customer copy"), "shop": _("Shop copy")}
    sections = []
    for copy in copies:
        shop = copy == "shop"
        flow = [
            *_customer_and_vehicle(snap, st),
            *_concern(snap, st),
            *_intake(snap, st),
            b.heading(_("Jobs and parts"), st),
            _lines_table(snap, snap.jobs, st, shop=shop),
            *_totals(snap, snap.totals, st),
        ]
        if snap.not_to_exceed is not None:
            flow.append(
                b.para(
                    _("Not to exceed without asking: %(amount)s", amount=money(snap.not_to_exceed)),
                    st.body,
                )
            )
        flow += _authorizations(snap, st)
        if snap.return_old_parts is not None:
            flow.append(
                b.para(
                    _("Replaced parts: handed back to the customer")
                    if snap.return_old_parts
                    else _("Replaced parts: disposed of by the workshop"),
                    st.body,
                )
            )
        signed = next((a for a in snap.authorizations if a.signature), None)
        boxes = [
            b.Signature(
                _("Customer, at intake"),
                name=snap.intake.acknowledged_by if snap.intake else "",
                image=snap.intake.signature if snap.intake else None,
            ),
            b.Signature(_("Service advisor"), name=snap.advisor),
        ]
        if signed is not None:
            boxes.insert(
                1,
                b.Signature(
                    _("Customer, authorizing the work"),
                    name=signed.authorized_by,
                    image=signed.signature,
                ),
            )
        flow.append(b.KeepTogether([*_terms(st), b.signatures(boxes, st)]))
        sections.append(b.Section(_head(snap, _("Work order"), snap.number, titles[copy]), flow))
    return _render(snap, sections, _("Work order"))


def estimate(snap) -> bytes:
    """The estimate: every job not declined, with parts marked genuine or aftermarket, totals,
    the ceiling, validity, and a box per job for the customer's decision."""
    st = _styles(snap)
    flow = [
        *_customer_and_vehicle(snap, st),
        *_concern(snap, st),
        b.heading(_("Estimated work"), st),
        _lines_table(snap, snap.jobs, st, decisions=True),
        *_totals(snap, snap.estimate, st, label=_("Estimated total")),
        b.spacer(2),
        b.facts(
            [
                (_("Estimate date"), localdate(snap.estimate_at)),
                (_("Valid until"), localdate(snap.estimate_valid_until)),
                (
                    _("Not to exceed without asking"),
                    money(snap.not_to_exceed) if snap.not_to_exceed is not None else "—",
                ),
                (_("Authorized so far"), money(snap.authorized_amount)),
            ],
            st,
        ),
        b.para(
            _(
                "Declined jobs are shown for the record and are not in the "
                "estimated total. Prices are before tax; tax is added once on the total."
            ),
            st.small,
        ),
        b.signatures(
            [
                b.Signature(_("Customer's approval")),
                b.Signature(_("Service advisor"), name=snap.advisor),
            ],
            st,
        ),
    ]
    head = _head(snap, _("Estimate"), snap.number, registration=True)
    return _render(snap, [b.Section(head, flow)], _("Estimate"))


def invoice(snap) -> bytes:
    """The settlement list (结算清单): labor and materials itemized apart, nothing lumped."""
    st = _styles(snap)
    done = [j for j in snap.jobs if j.status == "done"]
    pairs = [
        (_("Work order (contract)"), snap.number),
        (_("Settlement number"), snap.settlement_number or _("Draft, not issued")),
        (_("Completion certificate"), snap.certificate_number or "—"),
        (
            _("Repair category"),
            _label(CATEGORY_LABELS, snap.repair_category) if snap.repair_category else "—",
        ),
        (_("Customer"), snap.customer_name),
        (_("Phone"), snap.customer_phone),
        (_("Plate"), snap.plate),
        (_("Frame number") if snap.frame_number else _("VIN"), snap.vin),
        (_("Vehicle"), snap.vehicle),
        (_("Service advisor"), snap.advisor),
        (_("Date in"), localtime(snap.received_at)),
        (_("Odometer in"), _km(snap.odometer_in)),
        (_("Settled"), localtime(snap.delivered_at) or "—"),
        (_("Odometer out"), _km(snap.odometer_out) or "—"),
    ]
    labor_rows = [
        (
            job.title,
            _label(CATEGORY_LABELS, job.category),
            _label(PAY_LABELS, job.pay_type),
            qty(job.labor_hours),
            money(job.labor_rate if job.charged else ZERO),
            money(job.labor if job.charged else ZERO),
        )
        for job in done
    ]
    parts_rows = [
        (
            part.part_number,
            part.name,
            _label(CONDITION_LABELS, part.condition),
            f"{qty(part.quantity)} {_label(UNIT_LABELS, part.unit)}",
            money(part.unit_price if job.charged else ZERO),
            money(part.amount if job.charged else ZERO),
        )
        for job in done
        for part in job.parts
        if part.quantity > 0
    ]
    sublet_rows = [
        (job.title, job.sublet_vendor, money(job.sublet_price if job.charged else ZERO))
        for job in done
        if job.sublet_vendor
    ]
    flow = [
        b.facts(pairs, st),
        b.heading(_("Labor"), st),
        b.table(
            [
                b.Column(_("Job"), 0.36),
                b.Column(_("Repair category"), 0.16),
                b.Column(_("Paid by"), 0.12),
                b.Column(_("Hours"), 0.08, right=True),
                b.Column(_("Rate"), 0.13, right=True),
                b.Column(_("Amount"), 0.15, right=True),
            ],
            labor_rows,
            st,
        )
        if labor_rows
        else b.para(_("No labor."), st.muted),
        b.heading(_("Materials"), st),
        b.table(
            [
                b.Column(_("Part number"), 0.17),
                b.Column(_("Part"), 0.3),
                b.Column(_("Condition"), 0.15),
                b.Column(_("Quantity"), 0.1, right=True),
                b.Column(_("Unit price"), 0.13, right=True),
                b.Column(_("Amount"), 0.15, right=True),
            ],
            parts_rows,
            st,
        )
        if parts_rows
        else b.para(_("No materials."), st.muted),
    ]
    if sublet_rows:
        flow += [
            b.heading(_("Sublet work"), st),
            b.table(
                [
                    b.Column(_("Job"), 0.45),
                    b.Column(_("Done by"), 0.4),
                    b.Column(_("Amount"), 0.15, right=True),
                ],
                sublet_rows,
                st,
            ),
        ]
    declined = [j for j in snap.jobs if j.status == "declined"]
    if declined:
        flow += [
            b.heading(_("Work the customer declined (not charged)"), st),
            b.table(
                [b.Column(_("Job"), 0.75), b.Column(_("Decision"), 0.25)],
                [(job.title, _("Declined")) for job in declined],
                st,
            ),
        ]
    if any(not j.charged for j in done):
        flow.append(
            b.para(
                _("Warranty and internal work is listed at no charge to the customer."), st.small
            )
        )
    flow += _totals(snap, snap.totals, st)
    payment_lines = [
        (f"{_label(PAYMENT_LABELS, p.method)} · {localdate(p.at)}", money(p.amount))
        for p in snap.payments
    ]
    payment_lines.append((_("Paid"), money(snap.paid)))
    payment_lines.append((_("Balance due"), money(max(snap.totals.total - snap.paid, ZERO))))
    flow += [b.spacer(2), b.amounts(payment_lines, st, strong=[len(payment_lines) - 1])]
    flow += _difference(snap, st)
    flow += [
        b.box([b.para(_("Dealer's stamp"), st.muted)], height_mm=28),
        b.signatures(
            [
                b.Signature(
                    _("Received by the customer"),
                    name=snap.received_by,
                    image=snap.handover_signature,
                ),
                b.Signature(_("Service advisor"), name=snap.advisor),
            ],
            st,
        ),
    ]
    title = _("Settlement list") if snap.settlement_number else _("Settlement list (draft)")
    head = _head(snap, title, snap.settlement_number or snap.number, registration=True)
    return _render(snap, [b.Section(head, flow)], title)


def _difference(snap, st: b.Styles) -> list:
    diff = snap.difference
    if diff is None:
        return []
    lines = [
        _("First approved estimate: %(amount)s", amount=money(diff.first_approved)),
    ]
    for at, who, added, jobs in diff.supplements:
        lines.append(
            _(
                "Added work approved by %(who)s on %(when)s: %(jobs)s (%(amount)s)",
                who=who,
                when=localdate(at),
                jobs="; ".join(jobs) or "—",
                amount=money(added),
            )
        )
    if diff.other:
        sign = "+" if diff.other > 0 else "-"
        lines.append(
            _(
                "Other changes (parts returned unused, discounts, "
                "work declined or not needed): %(amount)s",
                amount=sign + money(abs(diff.other)),
            )
        )
    change = diff.change
    sign = "+" if change > 0 else ("-" if change < 0 else "")
    lines.append(
        _(
            "Final total %(final)s, %(change)s against the first estimate.",
            final=money(diff.final),
            change=sign + money(abs(change)),
        )
    )
    return [
        b.heading(_("Difference from the estimate"), st),
        *(b.para(line, st.small) for line in lines),
    ]


def certificate(snap) -> bytes:
    """The completion certificate (竣工出厂合格证): the car, the work and its warranty, the
    inspection, and room for the dealer's stamp."""
    st = _styles(snap)
    check = snap.passed_check
    done = [j for j in snap.jobs if j.status == "done"]
    flow = [
        b.facts(
            [
                (_("Certificate number"), snap.certificate_number or _("Not issued")),
                (_("Work order (contract)"), snap.number),
                (_("Customer"), snap.customer_name),
                (_("Vehicle"), snap.vehicle),
                (_("Plate"), snap.plate),
                (_("Frame number") if snap.frame_number else _("VIN"), snap.vin),
                (_("Engine number"), snap.engine_number or "—"),
                (_("Colour"), snap.colour or "—"),
                (
                    _("Repair category"),
                    _label(CATEGORY_LABELS, snap.repair_category) if snap.repair_category else "—",
                ),
                (_("Date in"), localdate(snap.received_at)),
                (_("Date out"), localdate(snap.delivered_at) or "—"),
                (_("Odometer out"), _km(snap.odometer_out) or "—"),
            ],
            st,
        ),
        b.heading(_("Work done and its warranty"), st),
        b.table(
            [
                b.Column(_("Job"), 0.42),
                b.Column(_("Repair category"), 0.2),
                b.Column(_("Warranty until"), 0.19),
                b.Column(_("or until"), 0.19, right=True),
            ],
            [
                (
                    job.title,
                    _label(CATEGORY_LABELS, job.category),
                    localdate(job.warranty_until) or "—",
                    _km(job.warranty_until_km) or "—",
                )
                for job in done
            ],
            st,
        )
        if done
        else b.para(_("No work done."), st.muted),
        b.para(
            _(
                "Each job's warranty runs until the date or the odometer reading shown, whichever "
                "comes first, and covers the work and the parts fitted, not wear or misuse."
            ),
            st.small,
        ),
        b.heading(_("Final inspection"), st),
        b.facts(
            [
                (_("Result"), _("Passed") if check else _("Not inspected")),
                (_("Inspector"), check.inspector if check else "—"),
                (_("Inspected"), localtime(check.at) if check else "—"),
                (
                    _("Road test"),
                    (_("Done") if check.road_test_done else _("Not needed")) if check else "—",
                ),
            ],
            st,
        ),
        b.para(
            _("The car was repaired and inspected as above and is fit to leave the workshop."),
            st.body,
        ),
        b.spacer(3),
        b.box([b.para(_("Dealer's stamp"), st.muted)], height_mm=32),
        b.signatures(
            [
                b.Signature(_("Inspector"), name=check.inspector if check else ""),
                b.Signature(_("Customer"), name=snap.received_by),
            ],
            st,
        ),
    ]
    title = _("Completion certificate")
    head = _head(snap, title, snap.certificate_number or snap.number)
    return _render(snap, [b.Section(head, flow)], title)


def qc_sheet(snap) -> bytes:
    """The QC sheet: the work inspected, each inspection's checklist, road test and inspector;
    a blank sheet to fill in by hand when none is recorded yet."""
    st = _styles(snap)
    done = [j for j in snap.jobs if j.status in ("done", "in_progress", "approved")]
    flow = [
        *_customer_and_vehicle(snap, st, phone=False),
        b.heading(_("Work to inspect"), st),
        b.table(
            [
                b.Column(_("Job"), 0.5),
                b.Column(_("Technician"), 0.3),
                b.Column(_("Status"), 0.2),
            ],
            [(job.title, job.technician or "—", _label(JOB_LABELS, job.status)) for job in done],
            st,
        )
        if done
        else b.para(_("No jobs yet."), st.muted),
    ]
    if not snap.checks:
        flow += [
            b.heading(_("Checklist"), st),
            b.table(
                [b.Column(_("Item"), 0.7), b.Column(_("Result"), 0.3)],
                [
                    (str(label), _box(False, _("OK")) + "   " + _box(False, _("Not OK")))
                    for label in CHECKLIST_LABELS.values()
                ],
                st,
            ),
            b.para(_box(False, _("Road test done")), st.body),
            b.heading(_("Notes"), st),
            b.box([b.spacer(1)], height_mm=25),
            b.signatures([b.Signature(_("Inspector")), b.Signature(_("Date"))], st),
        ]
    for index, check in enumerate(snap.checks, start=1):
        verdict = _("Passed") if check.passed else _("Failed")
        flow += [
            b.CondPageBreak(60 * b.mm),
            b.heading(
                _("Inspection %(n)s: %(verdict)s", n=index, verdict=verdict),
                st,
            ),
            b.table(
                [b.Column(_("Item"), 0.7), b.Column(_("Result"), 0.3)],
                [
                    (
                        _label(CHECKLIST_LABELS, key),
                        _box(True, _("OK")) if ok else _box(False, _("Not OK")),
                    )
                    for key, ok in check.checklist
                ],
                st,
            ),
            b.facts(
                [
                    (_("Road test"), _("Done") if check.road_test_done else _("Not done")),
                    (_("Inspected"), localtime(check.at)),
                    (_("Inspector"), check.inspector),
                    (_("To be done again"), "; ".join(check.failed) or "—"),
                ],
                st,
            ),
        ]
        if check.notes:
            flow.extend(b.paras(_("Notes: %(text)s", text=check.notes), st.body))
        flow.append(
            b.signatures(
                [b.Signature(_("Inspector"), name=check.inspector, when=localtime(check.at))], st
            )
        )
    head = _head(snap, _("Final inspection sheet"), snap.number)
    return _render(snap, [b.Section(head, flow)], _("Final inspection sheet"))


LAYOUTS = {
    "work-order": work_order,
    "estimate": estimate,
    "invoice": invoice,
    "certificate": certificate,
    "qc": qc_sheet,
}
