"""The order page's forms for the estimate and after: jobs and parts, common jobs,
discounts and payments, the customer's decision, the final inspection and the handover."""

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from dealer.auth import roles_required
from dealer.errors import DomainError
from dealer.extensions import db
from dealer.forms import EmptyForm
from dealer.roles import ADVISOR, INSPECTOR, MANAGER, PARTS, TECHNICIAN
from dealer.web import (
    act,
    form_status,
    get_or_404,
    submitted,
)
from workorders import services as wo
from workorders.forms import (
    AuthorizationForm,
    CannedJobForm,
    DiscountForm,
    HandoverForm,
    JobForm,
    NotifyForm,
    PartLineForm,
    PaymentForm,
    QualityCheckForm,
    SpecialOrderForm,
)
from workorders.models import BookedWork, CannedJob, Job
from workorders.pages import (
    DESK,
    back_to,
    bp,
    flash_form_errors,
    job_in_reach,
    order_in_reach,
    qc_draft_key,
)


@bp.post("/work-orders/<int:order_id>/jobs")
@roles_required(ADVISOR, MANAGER, TECHNICIAN)
def add_job(order_id: int):
    found = order_in_reach(order_id)
    form = JobForm()
    if form.validate_on_submit():
        act(
            wo.add_job,
            _("Job added."),
            found,
            title=form.title.data,
            labor_hours=form.labor_hours.data,
            labor_rate=form.labor_rate.data,
            category=form.category.data,
            pay_type=form.pay_type.data,
            requires_road_test=form.requires_road_test.data,
            is_diagnosis=form.is_diagnosis.data,
            findings=form.findings.data,
            sublet_vendor=form.sublet_vendor.data,
            sublet_cost=form.sublet_cost.data,
            sublet_price=form.sublet_price.data,
            version=form.version_number(),
        )
    else:
        flash_form_errors(form)
    if current_user.roles == {TECHNICIAN}:
        return redirect(url_for("workorders.board"))
    return back_to(found)


@bp.post("/work-orders/<int:order_id>/parts")
@roles_required(ADVISOR, PARTS, MANAGER, TECHNICIAN)
def add_part(order_id: int):
    found = order_in_reach(order_id)
    form = PartLineForm()
    form.job_id.choices = [(j.id, j.title) for j in found.jobs]
    if form.validate_on_submit():
        act(
            lambda actor, **kw: wo.add_part_line(
                actor, found, db.session.get(Job, form.job_id.data), **kw
            ),
            _("Part added."),
            part_number=form.part_number.data,
            quantity=form.quantity.data,
            unit_price=form.unit_price.data,
            condition=form.condition.data or None,
            version=form.version_number(),
        )
    else:
        flash_form_errors(form)
    if request.form.get("next") == "board":
        return redirect(url_for("workorders.board"))
    return back_to(found)


@bp.post("/work-orders/<int:order_id>/special-parts")
@roles_required(ADVISOR, PARTS, MANAGER)
def add_special_order(order_id: int):
    found = order_in_reach(order_id)
    form = SpecialOrderForm(prefix="special")
    form.job_id.choices = [(j.id, j.title) for j in found.jobs]
    if form.validate_on_submit():
        act(
            lambda actor, **kw: wo.add_special_order_line(
                actor, found, db.session.get(Job, form.job_id.data), **kw
            ),
            _("Special order placed: the job waits for the part."),
            part_number=form.part_number.data,
            name=form.name.data,
            quantity=form.quantity.data,
            unit_price=form.unit_price.data,
            supplier=form.supplier.data,
            condition=form.condition.data,
            version=form.version_number(),
        )
    else:
        flash_form_errors(form)
    return back_to(found)


@bp.post("/work-orders/<int:order_id>/authorize")
@roles_required(*DESK)
def authorize(order_id: int):
    found = order_in_reach(order_id)
    form = AuthorizationForm()
    if form.validate_on_submit():
        approved = [j.id for j in found.jobs if request.form.get(f"decision-{j.id}") == "approve"]
        declined = [j.id for j in found.jobs if request.form.get(f"decision-{j.id}") == "decline"]
        try:
            signature = wo.decode_signature(form.signature.data)
        except DomainError as exc:
            flash(str(exc), "danger")
            return back_to(found)
        act(
            wo.authorize_jobs,
            _("Authorization recorded."),
            found,
            approved_job_ids=approved,
            declined_job_ids=declined,
            authorized_by=form.authorized_by.data,
            method=form.method.data,
            phone=form.phone.data,
            amount=form.amount.data,
            signature=signature,
            return_old_parts=form.return_old_parts.data,
            version=form.version_number(),
        )
    else:
        flash_form_errors(form)
    return back_to(found)


@bp.post("/work-orders/<int:order_id>/qc")
@roles_required(INSPECTOR, MANAGER)
def quality_check(order_id: int):
    found = order_in_reach(order_id)
    form = QualityCheckForm()
    if form.validate_on_submit():
        passed = request.form.get("result") == "pass"
        checklist = {key: bool(request.form.get(f"check-{key}")) for key in wo.QC_CHECKLIST}
        failed = [int(i) for i in request.form.getlist("failed_job_ids") if i.isdigit()]
        recorded = act(
            wo.record_quality_check,
            _("Final inspection passed: the car is ready.")
            if passed
            else _("Final inspection failed: the jobs go back."),
            found,
            passed=passed,
            checklist=checklist,
            road_test_done=form.road_test_done.data,
            failed_job_ids=failed,
            notes=form.notes.data,
            version=form.version_number(),
        )
        if recorded is None:
            session[qc_draft_key(found.id)] = {
                "checked": [key for key, ticked in checklist.items() if ticked],
                "failed": failed,
                "notes": (form.notes.data or "")[:4000],
                "road_test_done": bool(form.road_test_done.data),
            }
    else:
        flash_form_errors(form)
    return back_to(found)


@bp.post("/work-orders/<int:order_id>/notify")
@roles_required(*DESK)
def notify(order_id: int):
    found = order_in_reach(order_id)
    form = NotifyForm()
    if form.validate_on_submit():
        act(
            wo.record_notification,
            _("Noted: the customer knows the car is ready."),
            found,
            form.how.data,
            version=form.version_number(),
        )
    return back_to(found)


@bp.post("/work-orders/<int:order_id>/handover")
@roles_required(*DESK)
def handover(order_id: int):
    found = order_in_reach(order_id)
    form = HandoverForm()
    if form.validate_on_submit():
        try:
            signature = wo.decode_signature(form.signature.data)
        except DomainError as exc:
            flash(str(exc), "danger")
            return back_to(found)
        act(
            wo.hand_over,
            _("Handed over. Callbacks are scheduled."),
            found,
            payment_method=form.payment_method.data,
            amount_paid=form.amount_paid.data,
            change_given=form.change_given.data,
            received_by=form.received_by.data,
            old_parts_returned=form.old_parts_returned.data,
            odometer_out=form.odometer_out.data,
            signature=signature,
            version=form.version_number(),
        )
    else:
        flash_form_errors(form)
    return back_to(found)


@bp.post("/work-orders/<int:order_id>/canned")
@roles_required(*DESK)
def add_canned(order_id: int):
    found = order_in_reach(order_id)
    if EmptyForm().validate_on_submit():
        canned = db.session.get(CannedJob, request.form.get("canned_job_id", type=int) or 0)
        if canned is None or canned.site_id != current_user.site_id:
            flash(_("Choose a common job."), "danger")
        else:
            act(
                wo.add_canned_job,
                _("Job added."),
                found,
                canned,
                version=request.form.get("version", type=int),
            )
    return back_to(found)


def parse_parts_lines(text: str) -> list[dict]:
    """``04152-YZZA1 1`` per line into part numbers and quantities."""
    parts = []
    for line in (text or "").splitlines():
        number, _sep, quantity = line.strip().rpartition(" ")
        if line.strip():
            parts.append(
                {"part_number": number.strip() or quantity, "quantity": quantity if number else ""}
            )
    return parts


@bp.route("/canned-jobs", methods=["GET", "POST"])
@roles_required(MANAGER)
def canned_jobs():
    form = CannedJobForm()
    if form.validate_on_submit():
        with submitted(form) as done:
            wo.save_canned_job(
                current_user,
                current_user.site_id,
                title=form.title.data,
                title_zh=form.title_zh.data,
                labor_hours=form.labor_hours.data,
                category=form.category.data,
                parts=parse_parts_lines(form.parts.data),
            )
        if done:
            flash(_("Common job saved."), "success")
            return redirect(url_for("workorders.canned_jobs"))
    jobs = db.session.scalars(
        select(CannedJob)
        .where(CannedJob.site_id == current_user.site_id)
        .order_by(CannedJob.active.desc(), CannedJob.title)
    ).all()
    return render_template(
        "workorders/canned_jobs.html", form=form, jobs=jobs, action_form=EmptyForm()
    ), form_status()


@bp.post("/canned-jobs/<int:canned_id>/toggle")
@roles_required(MANAGER)
def toggle_canned(canned_id: int):
    canned = get_or_404(CannedJob, canned_id, site_id=current_user.site_id)
    if EmptyForm().validate_on_submit():
        canned.active = not canned.active
        db.session.commit()
        flash(_("Saved."), "success")
    return redirect(url_for("workorders.canned_jobs"))


@bp.post("/work-orders/<int:order_id>/discounts")
@roles_required(*DESK)
def add_discount(order_id: int):
    found = order_in_reach(order_id)
    form = DiscountForm(prefix="discount")
    if form.validate_on_submit():
        act(
            wo.add_discount,
            _("Discount added."),
            found,
            kind=form.kind.data,
            value=form.value.data,
            reason=form.reason.data,
            version=form.version_number(),
        )
    else:
        flash_form_errors(form)
    return back_to(found)


@bp.post("/work-orders/<int:order_id>/payments")
@roles_required(*DESK)
def add_payment(order_id: int):
    found = order_in_reach(order_id)
    form = PaymentForm(prefix="payment")
    if form.validate_on_submit():
        act(
            wo.record_payment,
            _("Payment recorded."),
            found,
            method=form.payment_method.data,
            amount=form.amount.data,
            payer=form.payer.data,
            change_given=form.change_given.data,
        )
    else:
        flash_form_errors(form)
    return back_to(found)


@bp.post("/work-orders/<int:order_id>/parts/<int:line_id>/<any(approve, decline):decision>")
@roles_required(*DESK)
def decide_part_request(order_id: int, line_id: int, decision: str):
    found = order_in_reach(order_id)
    line = next((p for p in found.parts if p.id == line_id), None)
    if line is None:
        abort(404)
    if EmptyForm().validate_on_submit():
        approve = decision == "approve"
        act(
            wo.decide_part_request,
            _("The parts request is approved.") if approve else _("The parts request is declined."),
            line,
            approve=approve,
        )
    return back_to(found)


@bp.post("/work-orders/<int:order_id>/booked-work/<int:booking_id>")
@roles_required(*DESK)
def pull_booked_work(order_id: int, booking_id: int):
    found = order_in_reach(order_id)
    booking = get_or_404(BookedWork, booking_id, site_id=found.site_id)
    if EmptyForm().validate_on_submit():
        act(
            wo.pull_booked_work,
            _("The booked work is on this order."),
            found,
            booking,
            version=request.form.get("version", type=int),
        )
    return back_to(found)


@bp.post("/jobs/<int:job_id>/no-clock-reason")
@roles_required(*DESK)
def excuse_no_clock(job_id: int):
    job = job_in_reach(job_id)
    if EmptyForm().validate_on_submit():
        act(
            wo.excuse_no_clock,
            _("Recorded: the job may be completed without clocked time."),
            job,
            request.form.get("reason", ""),
            version=request.form.get("version", type=int),
        )
    return back_to(job.work_order)
