"""Pages of the work order: the desk's order page, intake, the job board, QC and handover."""

from datetime import datetime
from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from customers.models import Vehicle
from dealer.auth import roles_required
from dealer.database import get_locked
from dealer.errors import DomainError
from dealer.extensions import db
from dealer.forms import EmptyForm, choices
from dealer.i18n import Translated, current_settings
from dealer.models import User
from dealer.roles import ADVISOR, ALL_STAFF, INSPECTOR, MANAGER, PARTS, TECHNICIAN
from dealer.timeutil import zone
from dealer.web import (
    accepts_upload,
    act,
    form_status,
    get_or_404,
    paginate,
    pdf_response,
    searchable,
    searched_text,
    show_errors,
    stored_file,
)
from workorders import attention, documents, lifecycle
from workorders import services as wo
from workorders.forms import (
    AuthorizationForm,
    CannedJobForm,
    ComebackForm,
    DiscountForm,
    HandoverForm,
    IntakeForm,
    JobForm,
    MoveForm,
    NewOrderForm,
    NotifyForm,
    PartLineForm,
    PaymentForm,
    PhotoForm,
    PromiseForm,
    QualityCheckForm,
)
from workorders.labels import (
    CHECKLIST_LABELS,
    CONDITION_LABELS,
    DAMAGE_LABELS,
    JOB_LABELS,
    LIGHT_LABELS,
    PANEL_LABELS,
    STANDARD_BELONGINGS,
    STATUS_LABELS,
)
from workorders.lifecycle import OPEN_STATUSES, JobStatus, Status
from workorders.models import BookedWork, CannedJob, InspectionPhoto, Job, WorkOrder

bp = Blueprint("workorders", __name__)
DOCUMENT_KINDS = ", ".join(f"'{kind}'" for kind in documents.KINDS)

DESK = (ADVISOR, MANAGER)
MOVE_LABELS = {
    "estimating": _l("Start the estimate"),
    "awaiting_approval": _l("Put to the customer"),
    "in_progress": _l("Start authorized work"),
    "quality_check": _l("Send to final inspection"),
    "ready": _l("Hand back without work"),
}


@bp.app_context_processor
def labels() -> dict:
    """Display names the work-order templates share."""
    return {
        "status_labels": Translated(STATUS_LABELS),
        "job_labels": Translated(JOB_LABELS),
        "conditions": Translated(CONDITION_LABELS),
        "Status": Status,
    }


def _order(order_id: int, *options) -> WorkOrder:
    order = db.session.get(WorkOrder, order_id, options=options)
    if order is None or not wo.visible_to(current_user, order):
        abort(404)
    return order


def _job(job_id: int, *, locked: bool = False) -> Job:
    job = get_locked(Job, job_id) if locked else db.session.get(Job, job_id)
    if job is None or not wo.visible_to(current_user, job.work_order):
        abort(404)
    return job


def flash_form_errors(form) -> None:
    """Tell about fields a form refused before any operation ran."""
    for name, errors in form.errors.items():
        label = getattr(form, name).label.text if hasattr(form, name) else name
        for message in errors:
            flash(f"{label}: {message}", "danger")


def to_utc(moment: datetime | None) -> datetime | None:
    """A time typed in the dealer's zone, as UTC."""
    if moment is None:
        return None
    return moment.replace(tzinfo=zone(current_settings().time_zone))


def back_to(order: WorkOrder):
    return redirect(url_for("workorders.order", order_id=order.id))


@bp.route("/work-orders", methods=["GET", "POST"])
@roles_required(*ALL_STAFF)
@searchable
def orders():
    status = request.args.get("status", "open")
    q = searched_text(40)
    stmt = select(WorkOrder).where(WorkOrder.site_id == current_user.site_id)
    if current_user.roles == {TECHNICIAN}:
        mine = select(Job.work_order_id).where(
            or_(
                Job.technician_id == current_user.id,
                Job.technician_id.is_(None) & (Job.status == JobStatus.APPROVED.value),
            )
        )
        stmt = stmt.where(WorkOrder.id.in_(mine))
    if status == "open":
        stmt = stmt.where(WorkOrder.status.in_(OPEN_STATUSES))
    elif status == "decision":
        waiting = select(Job.work_order_id).where(Job.status.in_(["pending", "proposed"]))
        stmt = stmt.where(WorkOrder.status.in_(OPEN_STATUSES), WorkOrder.id.in_(waiting))
    elif status in attention.FILTERS:
        stmt = stmt.where(attention.condition(status, wo.utcnow(), current_settings().time_zone))
    elif status in STATUS_LABELS:
        stmt = stmt.where(WorkOrder.status == status)
    if q:
        plates = select(Vehicle.id).where(
            Vehicle.plate_key.contains(q.replace(" ", "").upper(), autoescape=True)
        )
        stmt = stmt.where(
            or_(
                WorkOrder.number.contains(q.upper(), autoescape=True),
                WorkOrder.vehicle_id.in_(plates),
            )
        )
    in_workshop = status in ("open", "decision", *attention.FILTERS) or (
        status in STATUS_LABELS and Status(status).is_open
    )
    if in_workshop:
        # Cars in the workshop: the next promise first.
        stmt = stmt.order_by(
            WorkOrder.promised_at.is_(None), WorkOrder.promised_at, WorkOrder.id.desc()
        )
    else:
        # History: the newest first.
        stmt = stmt.order_by(WorkOrder.id.desc())
    stmt = stmt.options(selectinload(WorkOrder.vehicle), selectinload(WorkOrder.customer))
    pagination = paginate(stmt, 25)
    return render_template("workorders/orders.html", pagination=pagination, status=status, q=q)


@bp.route("/vehicles/<int:vehicle_id>/work-orders/new", methods=["GET", "POST"])
@roles_required(*DESK)
def new_order(vehicle_id: int):
    vehicle = get_or_404(Vehicle, vehicle_id, site_id=current_user.site_id)
    form = NewOrderForm()
    if request.method == "GET":
        form.odometer_km.data = vehicle.odometer_km
    if form.validate_on_submit():
        try:
            order = wo.open_work_order(
                current_user,
                vehicle,
                odometer_km=form.odometer_km.data,
                fuel_level=Decimal(form.fuel_level.data),
                concern=form.concern.data,
                promised_at=to_utc(form.promised_at.data),
                not_to_exceed=form.not_to_exceed.data,
            )
        except DomainError as exc:
            db.session.rollback()
            show_errors(form, exc)
        else:
            db.session.commit()
            flash(
                _("Work order %(number)s opened. Now walk around the car.", number=order.number),
                "success",
            )
            return redirect(url_for("workorders.intake", order_id=order.id))
    return render_template("workorders/new_order.html", form=form, vehicle=vehicle), form_status()


@bp.route("/work-orders/<int:order_id>/intake", methods=["GET", "POST"])
@roles_required(*DESK)
def intake(order_id: int):
    order = _order(order_id)
    inspection = order.inspection
    form = IntakeForm()
    if request.method == "GET":
        form.version.data = order.version
        if inspection:
            form.keys_count.data = inspection.keys_count
            form.oil_pan.data = inspection.underbody.get("oil_pan", "ok")
            form.leaks.data = inspection.underbody.get("leaks", "")
            for key in wo.SYMPTOM_KEYS:
                if hasattr(form, key) and key in inspection.symptoms:
                    getattr(form, key).data = inspection.symptoms[key]
            form.acknowledged_by.data = inspection.acknowledged_by
            known = {str(label) for label in STANDARD_BELONGINGS.values()}
            form.valuables.data = ", ".join(b for b in inspection.belongings if b not in known)
    if form.validate_on_submit():
        panels = []
        for panel in wo.PANELS:
            damage = request.form.get(f"damage-{panel}", "")
            if damage:
                panels.append(
                    {
                        "panel": panel,
                        "damage": damage,
                        "note": request.form.get(f"note-{panel}", ""),
                    }
                )
        belongings = [
            str(STANDARD_BELONGINGS[k])
            for k in STANDARD_BELONGINGS
            if request.form.get(f"belonging-{k}")
        ]
        belongings += [v.strip() for v in (form.valuables.data or "").split(",") if v.strip()]
        symptoms = {key: getattr(form, key).data for key in wo.SYMPTOM_KEYS if hasattr(form, key)}
        symptoms = {k: v for k, v in symptoms.items() if v not in ("", None, False)}
        try:
            data = wo.InspectionInput(
                panels=panels,
                warning_lights=request.form.getlist("warning_lights"),
                belongings=belongings,
                keys_count=form.keys_count.data,
                underbody={"oil_pan": form.oil_pan.data, "leaks": form.leaks.data or ""},
                symptoms=symptoms,
                acknowledged_by=form.acknowledged_by.data,
                signature=wo.decode_signature(form.signature.data),
            )
            wo.record_inspection(current_user, order, data, version=form.version_number())
            if order.status == Status.INTAKE:
                wo.move_order(current_user, order, Status.ESTIMATING)
        except DomainError as exc:
            db.session.rollback()
            show_errors(form, exc)
            for field, message in exc.errors:
                if not hasattr(form, field.split(".")[0]):
                    flash(str(message), "danger")
        else:
            db.session.commit()
            flash(_("Intake recorded. Write the estimate."), "success")
            return back_to(order)
    chosen = {p["panel"]: p for p in (inspection.panels if inspection else [])}
    return render_template(
        "workorders/intake.html",
        order=order,
        form=form,
        panels=PANEL_LABELS,
        damage=DAMAGE_LABELS,
        lights=LIGHT_LABELS,
        chosen=chosen,
        belongings=STANDARD_BELONGINGS,
        checked_lights=set(inspection.warning_lights if inspection else []),
        kept=set(inspection.belongings if inspection else []),
        photo_form=_photo_form(),
    ), form_status()


def _photo_form() -> PhotoForm:
    form = PhotoForm(formdata=None)
    form.panel.choices = choices(PANEL_LABELS.items())
    return form


@bp.get("/work-orders/<int:order_id>")
@roles_required(*ALL_STAFF)
def order(order_id: int):
    found = _order(order_id, *documents.SNAPSHOT_LOADS)
    job_form = JobForm(version=found.version, labor_rate=found.labor_rate)
    part_form = PartLineForm(version=found.version)
    part_form.job_id.choices = [
        (j.id, j.title) for j in found.jobs if j.status not in ("declined", "done")
    ]
    totals = wo.order_totals(found)
    proposed = wo.order_proposed_totals(found)
    decisions = [j for j in found.jobs if j.status in (JobStatus.PENDING, JobStatus.PROPOSED)]
    authorization_form = AuthorizationForm(
        version=found.version,
        authorized_by=found.customer.name,
    )
    current = Status(found.status)
    facts = wo.order_facts(found)
    moves = [
        target
        for target in lifecycle.next_moves(current)
        if target not in (Status.CANCELLED, Status.DELIVERED)
        and current != Status.QUALITY_CHECK
        and lifecycle.check_move(current, target, current_user.roles, facts)[0]
    ]
    return render_template(
        "workorders/order.html",
        order=found,
        papers=papers(found),
        totals=totals,
        proposed=proposed,
        job_form=job_form,
        part_form=part_form,
        authorization_form=authorization_form,
        decisions=decisions,
        moves=moves,
        move_labels=MOVE_LABELS,
        qc_form=QualityCheckForm(version=found.version),
        checklist=CHECKLIST_LABELS,
        notify_form=NotifyForm(version=found.version),
        handover_form=HandoverForm(
            version=found.version,
            amount_paid=max(totals.total - wo.amount_paid(found), Decimal("0")),
            received_by=found.customer.name,
            odometer_out=found.odometer_in,
        ),
        move_form=MoveForm(version=found.version),
        action_form=EmptyForm(),
        technicians=_technicians(),
        inspector_worked=wo.worked_on(found, current_user),
        total_if_all_approved=wo.total_if_all_approved(found),
        clocked_jobs=wo.clocked_jobs(found),
        booked_work=wo.booked_work_for(found.vehicle_id) if Status(found.status).is_open else [],
        headroom=wo.headroom(found),
        ceiling=wo.ceiling(found),
        panels=PANEL_LABELS,
        damage=DAMAGE_LABELS,
        lights=LIGHT_LABELS,
        paid=wo.amount_paid(found),
        line_amount=wo.line_amount,
        job_amount=wo.job_amount,
        suggestion=wo.suggest_promise(found) if Status(found.status).is_open else None,
        promise_form=PromiseForm(version=found.version),
        discount_form=DiscountForm(version=found.version, prefix="discount"),
        payment_form=PaymentForm(payer=found.customer.name, prefix="payment"),
        comeback_form=ComebackForm(odometer_km=found.vehicle.odometer_km),
        canned=db.session.scalars(
            select(CannedJob)
            .where(CannedJob.site_id == found.site_id, CannedJob.active.is_(True))
            .order_by(CannedJob.title)
        ).all(),
    )


def papers(order: WorkOrder) -> list[tuple[str, str]]:
    """The papers the order can print now, with their menu labels."""
    shown = [("work-order", _("Work order")), ("estimate", _("Estimate"))]
    if order.status == Status.DELIVERED:
        shown += [("invoice", _("Settlement list")), ("certificate", _("Completion certificate"))]
    elif order.status != Status.CANCELLED:
        shown.append(("invoice", _("Settlement list (draft)")))
    if order.quality_checks or order.status == Status.QUALITY_CHECK:
        shown.append(("qc", _("Final inspection sheet")))
    return shown


def _technicians() -> list:
    """Ids and names of the site's active technicians, for assigning jobs."""
    from dealer.models import UserRole

    return list(
        db.session.execute(
            select(User.id, User.full_name)
            .join(UserRole)
            .where(
                UserRole.role == TECHNICIAN,
                User.active.is_(True),
                User.site_id == current_user.site_id,
            )
            .order_by(User.full_name)
        )
    )


@bp.post("/work-orders/<int:order_id>/jobs")
@roles_required(ADVISOR, MANAGER, TECHNICIAN)
def add_job(order_id: int):
    found = _order(order_id)
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
    found = _order(order_id)
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


@bp.post("/work-orders/<int:order_id>/move")
@roles_required(*ALL_STAFF)
def move(order_id: int):
    found = _order(order_id)
    form = MoveForm()
    if form.validate_on_submit():
        label = STATUS_LABELS.get(form.to.data, form.to.data)
        act(
            wo.move_order,
            _("The order is now: %(status)s.", status=label),
            found,
            form.to.data,
            reason=form.reason.data,
            version=form.version_number(),
        )
    else:
        flash_form_errors(form)
    return back_to(found)


@bp.post("/work-orders/<int:order_id>/authorize")
@roles_required(*DESK)
def authorize(order_id: int):
    found = _order(order_id)
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
    found = _order(order_id)
    form = QualityCheckForm()
    if form.validate_on_submit():
        passed = request.form.get("result") == "pass"
        checklist = {key: bool(request.form.get(f"check-{key}")) for key in wo.QC_CHECKLIST}
        failed = [int(i) for i in request.form.getlist("failed_job_ids") if i.isdigit()]
        act(
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
    else:
        flash_form_errors(form)
    return back_to(found)


@bp.post("/work-orders/<int:order_id>/notify")
@roles_required(*DESK)
def notify(order_id: int):
    found = _order(order_id)
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
    found = _order(order_id)
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


@bp.post("/jobs/<int:job_id>/<any('clock-on', 'clock-off', complete):action>")
@roles_required(TECHNICIAN, MANAGER)
def job_action(job_id: int, action: str):
    job = _job(job_id, locked=True)
    if EmptyForm().validate_on_submit():
        operation, done = {
            "clock-on": (wo.clock_on, _("Clocked on.")),
            "clock-off": (wo.clock_off, _("Clocked off.")),
            "complete": (wo.complete_job, _("Job done.")),
        }[action]
        act(operation, done, job)
    return redirect(request.form.get("next") or url_for("workorders.board"))


@bp.post("/jobs/<int:job_id>/approve")
@roles_required(*DESK)
def approve_job(job_id: int):
    job = _job(job_id)
    if EmptyForm().validate_on_submit():
        act(
            lambda actor, j: wo.approve_within_authorization(actor, j.work_order, j),
            _("Approved within the authorized amount."),
            job,
        )
    return back_to(job.work_order)


@bp.post("/jobs/<int:job_id>/assign")
@roles_required(*DESK)
def assign_job(job_id: int):
    job = _job(job_id)
    if EmptyForm().validate_on_submit():
        technician_id = request.form.get("technician_id", type=int)
        technician = db.session.get(User, technician_id) if technician_id else None
        act(wo.assign_job, _("Assignment saved."), job, technician)
    return back_to(job.work_order)


def board_jobs() -> dict:
    """The job board's contents for the signed-in user."""
    base = (
        select(Job)
        .join(WorkOrder)
        .where(
            WorkOrder.site_id == current_user.site_id,
            WorkOrder.status.in_(OPEN_STATUSES),
        )
        .order_by(WorkOrder.promised_at.is_(None), WorkOrder.promised_at, Job.id)
        .options(selectinload(Job.work_order).selectinload(WorkOrder.vehicle))
    )
    mine = db.session.scalars(
        base.where(
            Job.technician_id == current_user.id,
            Job.status.in_(["approved", "in_progress", "proposed", "pending"]),
        )
    ).all()
    unassigned = db.session.scalars(base.where(wo.open_to_take_clause())).all()
    everyone = []
    if current_user.has_role(MANAGER, ADVISOR):
        everyone = db.session.scalars(
            base.where(
                Job.technician_id.is_not(None), Job.status.in_(["approved", "in_progress"])
            ).options(selectinload(Job.technician))
        ).all()
    clock = wo.open_clock_of(current_user)
    now = wo.workshop_now(current_user.site_id) if current_user.has_role(MANAGER, ADVISOR) else []
    return {
        "mine": mine,
        "unassigned": unassigned,
        "everyone": everyone,
        "open_clock": clock,
        "workshop": now,
        "headroom": wo.headroom_of({job.work_order_id for job in [*mine, *unassigned, *everyone]}),
    }


@bp.get("/board")
@roles_required(TECHNICIAN, MANAGER, ADVISOR)
def board():
    return render_template(
        "workorders/board.html",
        **board_jobs(),
        action_form=EmptyForm(),
        job_form=JobForm(),
    )


@bp.get("/board/jobs")
@roles_required(TECHNICIAN, MANAGER, ADVISOR)
def board_partial():
    return render_template(
        "workorders/_board.html", **board_jobs(), action_form=EmptyForm(), job_form=JobForm()
    )


@bp.post("/work-orders/<int:order_id>/photos")
@roles_required(*DESK)
@accepts_upload
def upload_photo(order_id: int):
    found = _order(order_id)
    form = PhotoForm()
    form.panel.choices = choices(PANEL_LABELS.items())
    if form.validate_on_submit():
        act(wo.add_photo, _("Photo kept."), found, form.panel.data, form.photo.data.read())
    else:
        flash_form_errors(form)
    return redirect(url_for("workorders.intake", order_id=found.id))


@bp.get("/work-orders/<int:order_id>/photos/<int:photo_id>")
@roles_required(*ALL_STAFF)
def photo(order_id: int, photo_id: int):
    found = _order(order_id)
    kept = db.session.get(InspectionPhoto, photo_id)
    if kept is None or kept.work_order_id != found.id:
        abort(404)
    return stored_file(wo.photo_file(kept), kept.content_type, wo.photo_name(found, kept))


@bp.post("/work-orders/<int:order_id>/promise")
@roles_required(*DESK)
def promise(order_id: int):
    found = _order(order_id)
    form = PromiseForm()
    if form.validate_on_submit():
        act(
            lambda actor, o: wo.update_order(
                actor, o, promised_at=to_utc(form.promised_at.data), version=form.version_number()
            ),
            _("Promised time saved."),
            found,
        )
    else:
        flash_form_errors(form)
    return back_to(found)


@bp.post("/work-orders/<int:order_id>/comeback")
@roles_required(*DESK)
def comeback(order_id: int):
    found = _order(order_id)
    form = ComebackForm()
    if form.validate_on_submit():
        new = act(
            wo.open_comeback,
            _("Comeback order opened."),
            found,
            odometer_km=form.odometer_km.data,
            fuel_level=Decimal(form.fuel_level.data),
            concern=form.concern.data,
            cause=form.cause.data,
        )
        if new is not None:
            return redirect(url_for("workorders.intake", order_id=new.id))
    else:
        flash_form_errors(form)
    return back_to(found)


@bp.post("/work-orders/<int:order_id>/canned")
@roles_required(*DESK)
def add_canned(order_id: int):
    found = _order(order_id)
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
        try:
            wo.save_canned_job(
                current_user,
                current_user.site_id,
                title=form.title.data,
                title_zh=form.title_zh.data,
                labor_hours=form.labor_hours.data,
                category=form.category.data,
                parts=parse_parts_lines(form.parts.data),
            )
        except DomainError as exc:
            db.session.rollback()
            show_errors(form, exc)
        else:
            db.session.commit()
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
    found = _order(order_id)
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
    found = _order(order_id)
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


@bp.post("/jobs/<int:job_id>/findings")
@roles_required(TECHNICIAN, ADVISOR, MANAGER)
def findings(job_id: int):
    job = _job(job_id)
    if EmptyForm().validate_on_submit():
        act(wo.record_findings, _("Findings saved."), job, request.form.get("findings", "")[:4000])
    return redirect(url_for("workorders.board"))


@bp.get("/parts/waiting")
@roles_required(PARTS, MANAGER, ADVISOR)
def waiting_for_parts():
    jobs = db.session.scalars(
        select(Job)
        .join(WorkOrder)
        .where(
            WorkOrder.site_id == current_user.site_id,
            Job.waiting_for_parts.is_(True),
            WorkOrder.status.in_(OPEN_STATUSES),
        )
        .order_by(WorkOrder.promised_at.is_(None), WorkOrder.promised_at, Job.id)
        .options(selectinload(Job.work_order).selectinload(WorkOrder.vehicle))
    ).all()
    return render_template("workorders/parts_waiting.html", jobs=jobs)


@bp.post("/work-orders/<int:order_id>/parts/<int:line_id>/<any(issue, return):action>")
@roles_required(PARTS, MANAGER)
def part_line_action(order_id: int, line_id: int, action: str):
    found = _order(order_id)
    line = next((p for p in found.parts if p.id == line_id), None)
    if line is None:
        abort(404)
    if EmptyForm().validate_on_submit():
        if action == "issue":
            act(wo.issue_parts, _("Parts issued."), line)
        else:
            try:
                quantity = Decimal(request.form.get("quantity", "").strip())
            except ArithmeticError:
                flash(_("Enter a number."), "danger")
            else:
                act(wo.return_parts, _("Parts returned to stock."), line, quantity)
    return back_to(found)


@bp.post("/work-orders/<int:order_id>/parts/<int:line_id>/<any(approve, decline):decision>")
@roles_required(*DESK)
def decide_part_request(order_id: int, line_id: int, decision: str):
    found = _order(order_id)
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
    found = _order(order_id)
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
    job = _job(job_id)
    if EmptyForm().validate_on_submit():
        act(
            wo.excuse_no_clock,
            _("Recorded: the job may be completed without clocked time."),
            job,
            request.form.get("reason", ""),
            version=request.form.get("version", type=int),
        )
    return back_to(job.work_order)


@bp.get("/work-orders/<int:order_id>/documents/<any(" + DOCUMENT_KINDS + "):kind>.pdf")
@roles_required(ADVISOR, INSPECTOR, MANAGER)
def document(order_id: int, kind: str):
    found = _order(order_id, *documents.SNAPSHOT_LOADS)
    try:
        data = documents.document(found, kind, copy=request.args.get("copy") or None)
    except DomainError as exc:
        for _field, message in exc.errors:
            flash(str(message), "danger")
        return back_to(found)
    return pdf_response(data, documents.filename(found, kind))
