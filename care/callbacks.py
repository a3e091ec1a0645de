"""The call list: who calls whom today, taking and assigning calls, and each try at a call."""

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from care.complaints import raise_complaint
from care.models import ATTEMPT_OUTCOMES, SATISFACTION_QUESTIONS, CallAttempt, Callback
from dealer.errors import DomainError, Forbidden, RuleBroken
from dealer.extensions import db
from dealer.models import User
from dealer.roles import CALLBACK, MANAGER
from dealer.services import require_role, settings_for
from dealer.timeutil import day_start, zone
from dealer.types import utcnow
from dealer.workhours import next_period_start
from workorders.models import Job, WorkOrder
from workorders.vocabulary import JobStatus

MAX_ATTEMPTS = 3


AGENTS = (CALLBACK, MANAGER)


CLOSED_BY = {"reached": "done", "refused": "done", "wrong_number": "unreachable"}


def _list_loads() -> tuple:
    """What the call list shows of each call, loaded together: customer, car, tries, and the
    order with its declined jobs (the only ones a call is about), a statement each for the
    page's calls; the agent joined to each call (a few staff rows: joining customers, cars
    and orders instead would look up every call due today before the page is cut)."""
    declined = WorkOrder.jobs.and_(Job.status == JobStatus.DECLINED.value)
    return (
        selectinload(Callback.customer),
        selectinload(Callback.vehicle),
        selectinload(Callback.history).joinedload(CallAttempt.user),
        joinedload(Callback.assignee),
        selectinload(Callback.work_order).selectinload(declined),
    )


def call_list(
    site_id: int,
    user: User,
    *,
    scope: str = "mine",
    now: datetime | None = None,
    time_zone: str = "UTC",
) -> Select:
    """Open callbacks due by the end of today, overdue included: complaints first, then
    overdue, then VIP (the callback's priority), then by due time. ``scope``: ``mine``,
    ``pool`` (unassigned), ``both``, ``all`` (managers)."""
    now = now or utcnow()
    today = now.astimezone(zone(time_zone)).date()
    start = day_start(today, time_zone)
    end = day_start(today + timedelta(days=1), time_zone)
    stmt = select(Callback).where(
        Callback.site_id == site_id, Callback.status == "open", Callback.due_at < end
    )
    if scope == "mine":
        stmt = stmt.where(Callback.assignee_id == user.id)
    elif scope == "pool":
        stmt = stmt.where(Callback.assignee_id.is_(None))
    elif scope == "both":
        stmt = stmt.where(or_(Callback.assignee_id == user.id, Callback.assignee_id.is_(None)))
    return stmt.order_by(
        case((Callback.kind == "complaint_follow_up", 0), else_=1),
        case((Callback.due_at < start, 0), else_=1),
        Callback.priority.desc(),
        Callback.due_at,
        Callback.id,
    ).options(*_list_loads())


def all_open(site_id: int) -> Select:
    """Every open callback, by due time (the API's list without ``due``)."""
    return (
        select(Callback)
        .where(Callback.site_id == site_id, Callback.status == "open")
        .order_by(Callback.due_at, Callback.id)
        .options(selectinload(Callback.customer), selectinload(Callback.history))
    )


def is_overdue(callback: Callback, now: datetime, time_zone: str) -> bool:
    today = now.astimezone(zone(time_zone)).date()
    return callback.due_at < day_start(today, time_zone)


def _open(callback: Callback) -> None:
    if callback.status != "open":
        raise RuleBroken(_l("This callback is closed."))


def take(actor: User, callback: Callback) -> Callback:
    """Take a callback from the shared pool."""
    require_role(actor, *AGENTS)
    _open(callback)
    if callback.assignee_id not in (None, actor.id):
        raise RuleBroken(_l("Someone else has taken this call."))
    callback.assignee_id = actor.id
    db.session.flush()
    return callback


def assign(actor: User, callback: Callback, agent: User | None) -> Callback:
    """A manager gives a callback to an agent, or back to the pool."""
    require_role(actor, MANAGER)
    _open(callback)
    if agent is not None and (
        agent.site_id != callback.site_id or not agent.active or not agent.has_role(*AGENTS)
    ):
        raise DomainError(_l("Choose a member of the callback staff."), "assignee_id")
    callback.assignee_id = agent.id if agent else None
    db.session.flush()
    return callback


def _answers(outcome: str, satisfaction, answers: dict | None) -> tuple[int | None, dict]:
    errors = []
    answers = answers or {}
    if outcome != "reached" and (satisfaction is not None or answers):
        errors.append(("satisfaction", _l("Satisfaction is asked only of a customer reached.")))
    if satisfaction is not None and (
        not isinstance(satisfaction, int)
        or isinstance(satisfaction, bool)
        or not 1 <= satisfaction <= 5
    ):
        errors.append(("satisfaction", _l("Satisfaction is a score from 1 to 5.")))
    clean = {}
    for key, value in answers.items():
        if key not in SATISFACTION_QUESTIONS:
            errors.append((f"answers.{key}", _l("Unknown question.")))
        elif value is not None:
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
                errors.append((f"answers.{key}", _l("Satisfaction is a score from 1 to 5.")))
            else:
                clean[key] = value
    if errors:
        raise DomainError(errors)
    return satisfaction, clean


def record_attempt(
    actor: User,
    callback: Callback,
    *,
    outcome: str,
    satisfaction: int | None = None,
    answers: dict | None = None,
    notes: str | None = None,
    complaint: str | None = None,
    now: datetime | None = None,
) -> CallAttempt:
    """One try at the call. No answer tries again at the next working period, up to three
    tries, then the callback closes as unreachable; a complaint raised is owned by the caller."""
    require_role(actor, *AGENTS)
    _open(callback)
    if callback.assignee_id not in (None, actor.id) and not actor.has_role(MANAGER):
        raise Forbidden(_l("This call is assigned to someone else."))
    if outcome not in ATTEMPT_OUTCOMES:
        raise DomainError(_l("Choose how the call went."), "outcome")
    satisfaction, clean = _answers(outcome, satisfaction, answers)
    notes = (notes or "").strip()
    if len(notes) > 4000:
        raise DomainError(_l("At most %(n)s characters.", n=4000), "notes")
    complaint = (complaint or "").strip()
    if complaint and outcome != "reached":
        raise DomainError(_l("A complaint is taken from a customer reached."), "complaint")
    now = now or utcnow()
    attempt = CallAttempt(
        user_id=actor.id,
        outcome=outcome,
        satisfaction=satisfaction,
        answers=clean,
        notes=notes or None,
        at=now,
    )
    callback.history.append(attempt)
    callback.attempts += 1
    if callback.assignee_id is None:
        callback.assignee_id = actor.id
    if outcome in CLOSED_BY:
        callback.status, callback.outcome, callback.closed_at = CLOSED_BY[outcome], outcome, now
    elif callback.attempts >= MAX_ATTEMPTS:
        callback.status, callback.outcome, callback.closed_at = "unreachable", "no_answer", now
    else:
        settings = settings_for(callback.site_id)
        callback.due_at = next_period_start(
            now, settings.working_hours, settings.time_zone, settings.calendar
        )
    db.session.flush()
    if complaint:
        raise_complaint(
            actor,
            callback.customer,
            complaint,
            channel="call",
            vehicle_id=callback.vehicle_id,
            work_order_id=callback.work_order_id,
            callback=callback,
            now=now,
        )
    return attempt


def open_callbacks_by_agent(site_id: int, now: datetime, time_zone: str) -> list[tuple]:
    """Per agent (None: the pool): the agent's name, callbacks due by today's end and how
    many are overdue."""
    today = now.astimezone(zone(time_zone)).date()
    start = day_start(today, time_zone)
    end = day_start(today + timedelta(days=1), time_zone)
    return list(
        db.session.execute(
            select(
                User.full_name,
                func.count(),
                func.sum(case((Callback.due_at < start, 1), else_=0)),
            )
            .select_from(Callback)
            .outerjoin(User, User.id == Callback.assignee_id)
            .where(
                and_(Callback.site_id == site_id, Callback.status == "open", Callback.due_at < end)
            )
            .group_by(Callback.assignee_id, User.full_name)
        )
    )
