"""Pages of the work order: the list, opening an order, the intake walk-around and its
photos, the order page, moves between states, the promised time, comebacks and the papers."""

from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from customers.models import Vehicle
from dealer.auth import roles_required
from dealer.errors import DomainError
from dealer.extensions import db
from dealer.forms import choices
from dealer.i18n import current_settings
from dealer.models import User, UserRole
from dealer.roles import ADVISOR, ALL_STAFF, INSPECTOR, MANAGER, TECHNICIAN
from dealer.types import utcnow
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
    submitted,
)
from workorders import attention, lifecycle, queries
from workorders import services as wo
from workorders.forms import (
    AuthorizationForm,
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
    SpecialOrderForm,
)
from workorders.labels import (
    CHECKLIST_LABELS,
    DAMAGE_LABELS,
    LIGHT_LABELS,
    PANEL_LABELS,
    SECTION_LABELS,
    STANDARD_BELONGINGS,
    STATUS_LABELS,
)
from workorders.lifecycle import OPEN_STATUSES, JobStatus, Status
from workorders.models import CannedJob, InspectionPhoto, Job, WorkOrder
from workorders.pages import (
    DESK,
    allowed,
    back_to,
    bp,
    flash_form_errors,
    order_in_reach,
    qc_draft_key,
    to_utc,
)
from workorders.services import documents
from workorders.vocabulary import Belonging
from workorders.workspace import PageFacts, Section, workspace

DOCUMENT_KINDS = ", ".join(f"'{kind}'" for kind in documents.KINDS)


MOVE_LABELS = {
    "estimating": _l("Start the estimate"),
    "awaiting_approval": _l("Put to the customer"),
    "in_progress": _l("Start authorized work"),
    "quality_check": _l("Send to final inspection"),
    "ready": _l("Hand back without work"),
}


@bp.route("/work-orders", methods=["GET", "POST"])
@roles_required(*ALL_STAFF)
@searchable
def orders():
    status = request.args.get("status", "open")
    q = searched_text(40)
    stmt = queries.orders_visible_to(current_user)
    if status == "open":
        stmt = stmt.where(WorkOrder.status.in_(OPEN_STATUSES))
    elif status == "decision":
        waiting = select(Job.work_order_id).where(Job.status.in_(["pending", "proposed"]))
        stmt = stmt.where(WorkOrder.status.in_(OPEN_STATUSES), WorkOrder.id.in_(waiting))
    elif status in attention.FILTERS:
        stmt = stmt.where(attention.condition(status, utcnow(), current_settings().time_zone))
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
        with submitted(form) as done:
            order = wo.open_work_order(
                current_user,
                vehicle,
                odometer_km=form.odometer_km.data,
                fuel_level=Decimal(form.fuel_level.data),
                concern=form.concern.data,
                promised_at=to_utc(form.promised_at.data),
                not_to_exceed=form.not_to_exceed.data,
            )
        if done:
            flash(
                _("Work order %(number)s opened. Now walk around the car.", number=order.number),
                "success",
            )
            return redirect(url_for("workorders.intake", order_id=order.id))
    return render_template("workorders/new_order.html", form=form, vehicle=vehicle), form_status()


@bp.route("/work-orders/<int:order_id>/intake", methods=["GET", "POST"])
@roles_required(*DESK)
def intake(order_id: int):
    order = order_in_reach(order_id)
    inspection = order.inspection
    form = IntakeForm()
    if request.method == "GET":
        form.version.data = order.version
        form.fuel_level.data = str(order.fuel_level.normalize())
        if inspection:
            form.keys_count.data = inspection.keys_count
            form.oil_pan.data = inspection.underbody.get("oil_pan", "ok")
            form.leaks.data = inspection.underbody.get("leaks", "")
            for key in wo.SYMPTOM_KEYS:
                if hasattr(form, key) and key in inspection.symptoms:
                    getattr(form, key).data = inspection.symptoms[key]
            form.acknowledged_by.data = inspection.acknowledged_by
            form.valuables.data = ", ".join(
                b for b in inspection.belongings if b not in Belonging.values()
            )
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
        belongings = [code for code in Belonging.values() if request.form.get(f"belonging-{code}")]
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
                fuel_level=Decimal(form.fuel_level.data),
            )
            wo.record_inspection(current_user, order, data, version=form.version_number())
        except DomainError as exc:
            db.session.rollback()
            show_errors(form, exc)
            for field, message in exc.errors:
                if not hasattr(form, field.split(".")[0]):
                    flash(str(message), "danger")
        else:
            db.session.commit()
            if order.status == Status.INTAKE:
                flash(
                    _(
                        "Intake saved as a draft: the estimate starts once the customer "
                        "acknowledges it (typed name or signature)."
                    ),
                    "warning",
                )
            else:
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
    found = order_in_reach(order_id, *documents.SNAPSHOT_LOADS)
    current = Status(found.status)
    decisions = [j for j in found.jobs if j.status in (JobStatus.PENDING, JobStatus.PROPOSED)]
    facts = wo.order_facts(found)
    moves = [
        target
        for target in lifecycle.next_moves(current)
        if target not in (Status.CANCELLED, Status.DELIVERED)
        and current != Status.QUALITY_CHECK
        and lifecycle.check_move(current, target, current_user.roles, facts)[0]
    ]
    can = allowed(found)
    inspector_worked = wo.worked_on(found, current_user)
    space = workspace(
        PageFacts(
            state=current,
            can=can,
            moves=tuple(moves),
            jobs=len(found.jobs),
            decisions=len(decisions),
            authorizations=len(found.authorizations),
            quality_checks=len(found.quality_checks),
            payments=len(found.payments),
            inspector_worked=inspector_worked,
        ),
        request.args.get("tab"),
    )
    totals = wo.order_totals(found)
    return render_template(
        "workorders/order.html",
        order=found,
        space=space,
        section_labels=SECTION_LABELS,
        can=can,
        desk=current_user.has_role(*DESK),
        open=current.is_open,
        papers=papers(found),
        moves=moves,
        move_labels=MOVE_LABELS,
        steps=lifecycle.STEPS,
        decisions=decisions,
        inspector_worked=inspector_worked,
        totals=totals,
        proposed=wo.order_proposed_totals(found),
        total_if_all_approved=wo.total_if_all_approved(found),
        headroom=wo.headroom(found),
        paid=wo.amount_paid(found),
        due=wo.amount_due(found),
        line_amount=wo.line_amount,
        job_amount=wo.job_amount,
        **SECTION_CONTEXT[space.active](found, totals),
    )


def _intake_section(found: WorkOrder, totals) -> dict:
    return {"panels": PANEL_LABELS, "damage": DAMAGE_LABELS, "lights": LIGHT_LABELS}


def _jobs_section(found: WorkOrder, totals) -> dict:
    part_form = PartLineForm(version=found.version)
    part_form.job_id.choices = [
        (j.id, j.title) for j in found.jobs if j.status not in ("declined", "done")
    ]
    special_form = SpecialOrderForm(version=found.version, prefix="special")
    special_form.job_id.choices = part_form.job_id.choices
    is_open = Status(found.status).is_open
    return {
        "job_form": JobForm(version=found.version, labor_rate=found.labor_rate),
        "part_form": part_form,
        "special_form": special_form,
        "discount_form": DiscountForm(version=found.version, prefix="discount"),
        "technicians": _technicians(),
        "clocked_jobs": wo.clocked_jobs(found),
        "booked_work": wo.booked_work_for(found.vehicle_id) if is_open else [],
        "suggestion": wo.suggest_promise(found) if is_open else None,
        "promise_form": PromiseForm(version=found.version),
        "canned": db.session.scalars(
            select(CannedJob)
            .where(CannedJob.site_id == found.site_id, CannedJob.active.is_(True))
            .order_by(CannedJob.title)
        ).all(),
    }


def _decision_section(found: WorkOrder, totals) -> dict:
    form = AuthorizationForm(version=found.version, authorized_by=found.customer.name)
    return {"authorization_form": form}


def _inspection_section(found: WorkOrder, totals) -> dict:
    """The final inspection, with what a refused one kept of the ticks and notes."""
    draft = session.pop(qc_draft_key(found.id), None) or {}
    form = QualityCheckForm(
        version=found.version,
        notes=draft.get("notes"),
        road_test_done=draft.get("road_test_done"),
    )
    return {"qc_form": form, "qc_draft": draft, "checklist": CHECKLIST_LABELS}


def _payment_section(found: WorkOrder, totals) -> dict:
    return {
        "notify_form": NotifyForm(version=found.version),
        "handover_form": HandoverForm(
            version=found.version,
            amount_paid=max(totals.total - wo.amount_paid(found), Decimal("0")),
            received_by=found.customer.name,
            odometer_out=found.odometer_in,
        ),
        "payment_form": PaymentForm(payer=found.customer.name, prefix="payment"),
    }


def _history_section(found: WorkOrder, totals) -> dict:
    return {"comeback_form": ComebackForm(odometer_km=found.vehicle.odometer_km)}


SECTION_CONTEXT = {
    Section.INTAKE: _intake_section,
    Section.JOBS: _jobs_section,
    Section.DECISION: _decision_section,
    Section.INSPECTION: _inspection_section,
    Section.PAYMENT: _payment_section,
    Section.HISTORY: _history_section,
}
"""What each section of the order page needs besides the header: only the open one is
rendered, so only its forms and reads are made."""


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


@bp.post("/work-orders/<int:order_id>/move")
@roles_required(*ALL_STAFF)
def move(order_id: int):
    found = order_in_reach(order_id)
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


@bp.post("/work-orders/<int:order_id>/photos")
@roles_required(*DESK)
@accepts_upload
def upload_photo(order_id: int):
    found = order_in_reach(order_id)
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
    found = order_in_reach(order_id)
    kept = db.session.get(InspectionPhoto, photo_id)
    if kept is None or kept.work_order_id != found.id:
        abort(404)
    return stored_file(wo.photo_file(kept), kept.content_type, wo.photo_name(found, kept))


@bp.post("/work-orders/<int:order_id>/promise")
@roles_required(*DESK)
def promise(order_id: int):
    found = order_in_reach(order_id)
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
    found = order_in_reach(order_id)
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


@bp.get("/work-orders/<int:order_id>/documents/<any(" + DOCUMENT_KINDS + "):kind>.pdf")
@roles_required(ADVISOR, INSPECTOR, MANAGER)
def document(order_id: int, kind: str):
    found = order_in_reach(order_id, *documents.SNAPSHOT_LOADS)
    try:
        data = documents.document(found, kind, copy=request.args.get("copy") or None)
    except DomainError as exc:
        for _field, message in exc.errors:
            flash(str(message), "danger")
        return back_to(found)
    return pdf_response(data, documents.filename(found, kind))
