"""The satisfaction survey the customer answers on the order's link after handover. The
answers are kept as a reached try at the order's satisfaction callback (``via`` "link"),
which closes it: the call is not made, and the figures count the survey like a call."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from care.callbacks import _answers
from care.models import CallAttempt, Callback
from care.planning import add_callback
from dealer.errors import DomainError, RuleBroken
from dealer.extensions import db
from dealer.types import utcnow
from workorders.lifecycle import Status
from workorders.models import WorkOrder


def satisfaction_call(order: WorkOrder) -> Callback | None:
    return db.session.scalar(
        select(Callback).where(Callback.work_order_id == order.id, Callback.kind == "satisfaction")
    )


def survey_open(order: WorkOrder) -> bool:
    """Whether the link still asks the survey: the car is handed over, the customer agreed
    to be asked, and no answer (by link or by call) is in."""
    if order.status != Status.DELIVERED or not order.customer.callback_consent:
        return False
    call = satisfaction_call(order)
    return call is None or call.status == "open"


def answer_survey(
    order: WorkOrder,
    *,
    satisfaction: int | None,
    answers: dict | None,
    comment: str | None = None,
    now: datetime | None = None,
) -> CallAttempt:
    """Keep the customer's answers (not committed)."""
    if order.status != Status.DELIVERED:
        raise RuleBroken(_l("The survey opens when the car is handed over."))
    if not survey_open(order):
        raise RuleBroken(_l("Thank you: your answers are in already."))
    if satisfaction is None:
        raise DomainError(_l("Give the visit a score from 1 to 5."), "satisfaction")
    satisfaction, clean = _answers("reached", satisfaction, answers)
    comment = (comment or "").strip()
    if len(comment) > 2000:
        raise DomainError(_l("At most %(n)s characters.", n=2000), "comment")
    now = now or utcnow()
    call = satisfaction_call(order) or add_callback(
        order.site_id,
        order.customer,
        "satisfaction",
        now,
        vehicle_id=order.vehicle_id,
        work_order_id=order.id,
    )
    if call is None:
        raise RuleBroken(_l("The survey opens when the car is handed over."))
    attempt = CallAttempt(
        user_id=None,
        via="link",
        outcome="reached",
        satisfaction=satisfaction,
        answers=clean,
        notes=comment or None,
        at=now,
    )
    call.history.append(attempt)
    call.attempts += 1
    call.status, call.outcome, call.closed_at = "done", "reached", now
    db.session.flush()
    return attempt
