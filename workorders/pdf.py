"""The work order's papers laid out from a snapshot: work order (托修单), estimate,
settlement list (结算清单), completion certificate (竣工出厂合格证) and QC sheet.

Each function takes an ``OrderSnapshot`` and returns PDF bytes; it runs
inside the customer's locale, so labels, amounts and dates read as the
customer reads them. Every value from the records goes through the
building blocks of ``dealer.pdf``, which escape it; the sections the papers
share are in ``workorders.pdf_sections``.
"""

from dealer import pdf as b
from dealer.i18n import gettext as _
from dealer.i18n import localdate, localtime, money, qty
from workorders.labels import (
    CATEGORY_LABELS,
    CHECKLIST_LABELS,
    CONDITION_LABELS,
    JOB_LABELS,
    PAY_LABELS,
    PAYMENT_LABELS,
    UNIT_LABELS,
)
from workorders.pdf_sections import (
    ZERO,
    authorizations,
    box,
    concern,
    customer_and_vehicle,
    intake_record,
    km,
    label_of,
    lines_table,
    paper_head,
    render,
    styles,
    terms,
    totals_table,
)


def work_order(snap, copies=("customer", "shop")) -> bytes:
    """The work order (托修单): one section per copy, each starting on a new page."""
    st = styles(snap)
    titles = {"customer": _("Customer copy"), "shop": _("Shop copy")}
    sections = []
    for copy in copies:
        shop = copy == "shop"
        flow = [
            *customer_and_vehicle(snap, st),
            *concern(snap, st),
            *intake_record(snap, st),
            b.heading(_("Jobs and parts"), st),
            lines_table(snap, snap.jobs, st, shop=shop),
            *totals_table(snap, snap.totals, st),
        ]
        if snap.not_to_exceed is not None:
            flow.append(
                b.para(
                    _("Not to exceed without asking: %(amount)s", amount=money(snap.not_to_exceed)),
                    st.body,
                )
            )
        flow += authorizations(snap, st)
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
        flow.append(b.KeepTogether([*terms(st), b.signatures(boxes, st)]))
        sections.append(
            b.Section(paper_head(snap, _("Work order"), snap.number, titles[copy]), flow)
        )
    return render(snap, sections, _("Work order"))


def estimate(snap) -> bytes:
    """The estimate: every job not declined, with parts marked genuine or aftermarket, totals,
    the ceiling, validity, and a box per job for the customer's decision."""
    st = styles(snap)
    flow = [
        *customer_and_vehicle(snap, st),
        *concern(snap, st),
        b.heading(_("Estimated work"), st),
        lines_table(snap, snap.jobs, st, decisions=True),
        *totals_table(snap, snap.estimate, st, label=_("Estimated total")),
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
    head = paper_head(snap, _("Estimate"), snap.number, registration=True)
    return render(snap, [b.Section(head, flow)], _("Estimate"))


def invoice(snap) -> bytes:
    """The settlement list (结算清单): labor and materials itemized apart, nothing lumped."""
    st = styles(snap)
    done = [j for j in snap.jobs if j.status == "done"]
    pairs = [
        (_("Work order (contract)"), snap.number),
        (_("Settlement number"), snap.settlement_number or _("Draft, not issued")),
        (_("Completion certificate"), snap.certificate_number or "—"),
        (
            _("Repair category"),
            label_of(CATEGORY_LABELS, snap.repair_category) if snap.repair_category else "—",
        ),
        (_("Customer"), snap.customer_name),
        (_("Phone"), snap.customer_phone),
        (_("Plate"), snap.plate),
        (_("Frame number") if snap.frame_number else _("VIN"), snap.vin),
        (_("Vehicle"), snap.vehicle),
        (_("Service advisor"), snap.advisor),
        (_("Date in"), localtime(snap.received_at)),
        (_("Odometer in"), km(snap.odometer_in)),
        (_("Settled"), localtime(snap.delivered_at) or "—"),
        (_("Odometer out"), km(snap.odometer_out) or "—"),
    ]
    labor_rows = [
        (
            job.title,
            label_of(CATEGORY_LABELS, job.category),
            label_of(PAY_LABELS, job.pay_type),
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
            label_of(CONDITION_LABELS, part.condition),
            f"{qty(part.quantity)} {label_of(UNIT_LABELS, part.unit)}",
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
    flow += totals_table(snap, snap.totals, st)
    payment_lines = [
        (f"{label_of(PAYMENT_LABELS, p.method)} · {localdate(p.at)}", money(p.amount))
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
    head = paper_head(snap, title, snap.settlement_number or snap.number, registration=True)
    return render(snap, [b.Section(head, flow)], title)


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
    st = styles(snap)
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
                    label_of(CATEGORY_LABELS, snap.repair_category)
                    if snap.repair_category
                    else "—",
                ),
                (_("Date in"), localdate(snap.received_at)),
                (_("Date out"), localdate(snap.delivered_at) or "—"),
                (_("Odometer out"), km(snap.odometer_out) or "—"),
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
                    label_of(CATEGORY_LABELS, job.category),
                    localdate(job.warranty_until) or "—",
                    km(job.warranty_until_km) or "—",
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
    head = paper_head(snap, title, snap.certificate_number or snap.number)
    return render(snap, [b.Section(head, flow)], title)


def qc_sheet(snap) -> bytes:
    """The QC sheet: the work inspected, each inspection's checklist, road test and inspector;
    a blank sheet to fill in by hand when none is recorded yet."""
    st = styles(snap)
    done = [j for j in snap.jobs if j.status in ("done", "in_progress", "approved")]
    flow = [
        *customer_and_vehicle(snap, st, phone=False),
        b.heading(_("Work to inspect"), st),
        b.table(
            [
                b.Column(_("Job"), 0.5),
                b.Column(_("Technician"), 0.3),
                b.Column(_("Status"), 0.2),
            ],
            [(job.title, job.technician or "—", label_of(JOB_LABELS, job.status)) for job in done],
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
                    (str(label), box(False, _("OK")) + "   " + box(False, _("Not OK")))
                    for label in CHECKLIST_LABELS.values()
                ],
                st,
            ),
            b.para(box(False, _("Road test done")), st.body),
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
                        label_of(CHECKLIST_LABELS, key),
                        box(True, _("OK")) if ok else box(False, _("Not OK")),
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
    head = paper_head(snap, _("Final inspection sheet"), snap.number)
    return render(snap, [b.Section(head, flow)], _("Final inspection sheet"))


LAYOUTS = {
    "work-order": work_order,
    "estimate": estimate,
    "invoice": invoice,
    "certificate": certificate,
    "qc": qc_sheet,
}
