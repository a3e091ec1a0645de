"""The work-order pages' blueprint and what its pages share: finding the order or job in
the user's reach, the labels, and what the user may do to an order now."""

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user

from dealer.database import get_locked
from dealer.extensions import db
from dealer.i18n import Translated, current_settings
from dealer.roles import ADVISOR, MANAGER
from dealer.timeutil import zone
from workorders import lifecycle, queries
from workorders.labels import (
    CONDITION_LABELS,
    JOB_LABELS,
    METHOD_LABELS,
    PAY_LABELS,
    STANDARD_BELONGINGS,
    STATUS_LABELS,
)
from workorders.lifecycle import Status
from workorders.models import Job, WorkOrder
from workorders.workspace import Section

bp = Blueprint("workorders", __name__)


DESK = (ADVISOR, MANAGER)
SECTIONS = frozenset(Section)


def allowed(order: WorkOrder) -> frozenset[str]:
    """What the signed-in user may do to ``order`` now, by the lifecycle's table of actions:
    the order page shows a form only where this says so."""
    return lifecycle.allowed(Status(order.status), current_user.roles)


@bp.app_context_processor
def order_actions() -> dict:
    return {"allowed": allowed}


@bp.app_context_processor
def labels() -> dict:
    """Display names the work-order templates share."""
    return {
        "status_labels": Translated(STATUS_LABELS),
        "job_labels": Translated(JOB_LABELS),
        "conditions": Translated(CONDITION_LABELS),
        "pay_labels": Translated(PAY_LABELS),
        "belonging_labels": Translated(STANDARD_BELONGINGS),
        "method_labels": Translated(METHOD_LABELS),
        "Status": Status,
    }


def qc_draft_key(order_id: int) -> str:
    """Where a refused final inspection keeps what the inspector ticked and wrote, in the
    signed session, until the order page shows it again."""
    return f"qc-draft-{order_id}"


def order_in_reach(order_id: int, *options) -> WorkOrder:
    order = db.session.get(WorkOrder, order_id, options=options)
    if order is None or not queries.visible_to(current_user, order):
        abort(404)
    return order


def job_in_reach(job_id: int, *, locked: bool = False) -> Job:
    job = get_locked(Job, job_id) if locked else db.session.get(Job, job_id)
    if job is None or not queries.visible_to(current_user, job.work_order):
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
    """Back to the order page, on the section the form was sent from when it names one (a
    form that moves the order on names none: the page then opens where the next step is)."""
    tab = request.form.get("tab")
    return redirect(
        url_for("workorders.order", order_id=order.id, tab=tab if tab in SECTIONS else None)
    )
