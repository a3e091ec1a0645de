"""The inspection on the workshop tablet: the order's items by system, each a form of its own
(large colour buttons, the measurement, a note, the recommended work, photos from the
camera), so a flaky connection loses at most what was being saved, and the typing of every
item is kept by the page until it is sent; then completed, the recommendations become jobs."""

from decimal import Decimal, InvalidOperation

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from dealer.auth import roles_required
from dealer.errors import DomainError
from dealer.extensions import db
from dealer.forms import EmptyForm
from dealer.i18n import Translated, in_language
from dealer.roles import ADVISOR, MANAGER, TECHNICIAN
from dealer.web import act, stored_file
from mpi import inspecting, templates
from mpi.models import FindingPhoto, InspectionTemplate, MpiItem
from mpi.pdf import report_response
from mpi.views import bp
from mpi.vocabulary import Condition, ItemGroup
from workorders.models import CannedJob, WorkOrder

INSPECTORS = (TECHNICIAN, ADVISOR, MANAGER)


def _order(order_id: int) -> WorkOrder:
    found = db.session.get(WorkOrder, order_id)
    if found is None or found.site_id != current_user.site_id:
        abort(404)
    return found


def _here(order: WorkOrder, item_id: int | None = None):
    anchor = f"#item-{item_id}" if item_id else ""
    return redirect(url_for("mpi.inspection", order_id=order.id) + anchor)


@bp.get("/work-orders/<int:order_id>/inspection")
@roles_required(*INSPECTORS)
def inspection(order_id: int):
    order = _order(order_id)
    found = inspecting.inspection_of(order)
    groups: dict[str, list[MpiItem]] = {}
    for item in found.items if found is not None else ():
        groups.setdefault(item.item_group, []).append(item)
    canned = db.session.scalars(
        select(CannedJob)
        .where(CannedJob.site_id == order.site_id, CannedJob.active.is_(True))
        .order_by(CannedJob.title)
    ).all()
    return render_template(
        "mpi/inspection.html",
        order=order,
        found=found,
        groups=groups,
        templates=templates.templates_of(order.site_id),
        canned=canned,
        canned_by_id={c.id: c for c in canned},
        group_labels=Translated(ItemGroup.labels()),
        condition_labels=Translated(Condition.labels()),
        form=EmptyForm(),
    )


@bp.post("/work-orders/<int:order_id>/inspection")
@roles_required(*INSPECTORS)
def start_inspection(order_id: int):
    order = _order(order_id)
    if EmptyForm().validate_on_submit():
        raw = request.form.get("template_id", "")
        template = db.session.get(InspectionTemplate, int(raw)) if raw.isdigit() else None
        act(lambda actor: inspecting.start(actor, order, template), _("Inspection started."))
    return _here(order)


def _item(order: WorkOrder, item_id: int) -> MpiItem:
    found = db.session.get(MpiItem, item_id)
    if found is None or found.inspection.work_order_id != order.id:
        abort(404)
    return found


def _decimal(raw: str, name: str) -> Decimal | None:
    if not (raw or "").strip():
        return None
    try:
        return Decimal(raw.strip().replace(",", "."))
    except InvalidOperation:
        raise DomainError(_("Enter a number."), name) from None


@bp.post("/work-orders/<int:order_id>/inspection/items/<int:item_id>")
@roles_required(*INSPECTORS)
def record_item(order_id: int, item_id: int):
    order = _order(order_id)
    item = _item(order, item_id)
    if not EmptyForm().validate_on_submit():
        return _here(order, item.id)
    form = request.form

    def save(actor):
        recommendation = None
        canned = form.get("canned_job_id", "")
        title = form.get("rec_title", "").strip()
        if canned.isdigit() or title:
            chosen = db.session.get(CannedJob, int(canned)) if canned.isdigit() else None
            recommendation = {
                "title": title or (chosen.title if chosen else ""),
                "labor_hours": form.get("rec_hours", "").strip()
                or (str(chosen.labor_hours) if chosen else ""),
                "canned_job_id": chosen.id if chosen else None,
            }
        return inspecting.record(
            actor,
            item,
            condition=form.get("condition") or None,
            measurement=_decimal(form.get("measurement", ""), "measurement"),
            note=form.get("note"),
            recommendation=recommendation,
        )

    act(save, _("Saved: %(item)s.", item=in_language(item, "label")))
    return _here(order, item.id)


@bp.post("/work-orders/<int:order_id>/inspection/items/<int:item_id>/photos")
@roles_required(*INSPECTORS)
def add_photo(order_id: int, item_id: int):
    order = _order(order_id)
    item = _item(order, item_id)
    if EmptyForm().validate_on_submit():
        upload = request.files.get("file")
        data = upload.read() if upload is not None else b""
        act(lambda actor: inspecting.add_photo(actor, item, data), _("Photo kept."))
    return _here(order, item.id)


@bp.get("/work-orders/<int:order_id>/inspection/photos/<int:photo_id>")
@roles_required(*INSPECTORS)
def photo(order_id: int, photo_id: int):
    order = _order(order_id)
    found = db.session.get(FindingPhoto, photo_id)
    if found is None or found.item.inspection.work_order_id != order.id:
        abort(404)
    return stored_file(
        inspecting.photo_file(found), found.content_type, inspecting.photo_name(order, found)
    )


def _step(order_id: int, operation, done: str):
    """Run a step on the order's inspection (404 when it has none), then show it again."""
    order = _order(order_id)
    found = inspecting.inspection_of(order)
    if found is None:
        abort(404)
    if EmptyForm().validate_on_submit():
        act(lambda actor: operation(actor, found), done)
    return _here(order)


@bp.post("/work-orders/<int:order_id>/inspection/complete")
@roles_required(*INSPECTORS)
def complete(order_id: int):
    return _step(
        order_id,
        inspecting.complete,
        _("Inspection completed: the recommended work is on the order for the advisor."),
    )


@bp.post("/work-orders/<int:order_id>/inspection/release")
@roles_required(ADVISOR, MANAGER)
def release(order_id: int):
    return _step(
        order_id,
        inspecting.release,
        _("The inspection is on the customer's link, and the message is in the outbox."),
    )


@bp.get("/work-orders/<int:order_id>/inspection.pdf")
@roles_required(*INSPECTORS)
def inspection_pdf(order_id: int):
    order = _order(order_id)
    found = inspecting.inspection_of(order)
    if found is None:
        abort(404)
    return report_response(found)
