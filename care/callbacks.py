"""Callbacks (回访): the rules that plan them, the call list, and the attempts.

Delivery creates the callbacks it implies; a daily ``callbacks plan`` adds
the date-driven ones (service reminders, VIP care). Each planned callback
carries a key (the vehicle's service cycle, the birthday's year, the
holiday's date) under a unique constraint, so planning twice creates
nothing new. Customers without callback consent are never scheduled.
"""

import copy
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, case, func, or_, select, update
from sqlalchemy.orm import joinedload, selectinload

from care.models import ATTEMPT_OUTCOMES, SATISFACTION_QUESTIONS, CallAttempt, Callback
from customers.models import Customer, OdometerReading, Vehicle
from dealer.errors import DomainError, Forbidden, RuleBroken
from dealer.extensions import db
from dealer.models import DEFAULT_CALLBACK_RULES, DealerSettings, User
from dealer.roles import CALLBACK, MANAGER
from dealer.services import require_role, settings_for
from dealer.timeutil import day_start, zone
from dealer.types import utcnow
from dealer.workhours import next_period_start

MAX_ATTEMPTS = 3
AGENTS = (CALLBACK, MANAGER)
CLOSED_BY = {"reached": "done", "refused": "done", "wrong_number": "unreachable"}


def rules(settings: DealerSettings) -> dict:
    """The callback rules of a site, with defaults for anything not set."""
    merged = copy.deepcopy(DEFAULT_CALLBACK_RULES)
    for kind, values in (settings.callback_rules or {}).items():
        if kind in merged and isinstance(values, dict):
            merged[kind].update(values)
    return merged


def add_callback(
    site_id: int, customer: Customer, kind: str, due_at: datetime, **fields
) -> Callback | None:
    """A new open callback, unless the same one exists (same order or same plan key); a VIP's
    ranks ahead of others."""
    if not customer.callback_consent or customer.erased_at is not None:
        return None
    if fields.get("work_order_id") is not None:
        clash = Callback.work_order_id == fields["work_order_id"]
    else:
        clash = Callback.plan_key == fields.get("plan_key")
    exists = db.session.scalar(
        select(Callback.id).where(Callback.customer_id == customer.id, Callback.kind == kind, clash)
    )
    if exists:
        return None
    fields.setdefault("priority", 1 if customer.vip_tier else 0)
    callback = Callback(
        site_id=site_id, customer_id=customer.id, kind=kind, due_at=due_at, **fields
    )
    db.session.add(callback)
    return callback


def schedule_after_delivery(order) -> list[Callback]:
    """The callbacks a delivery implies: a satisfaction call, and a follow-up of declined work."""
    if order.delivered_at is None:
        return []
    settings = settings_for(order.site_id)
    active = rules(settings)
    wanted = []
    if active["satisfaction"]["enabled"]:
        wanted.append(("satisfaction", active["satisfaction"]["days"]))
    declined = [job for job in order.jobs if job.status == "declined"]
    if declined and active["declined_work"]["enabled"]:
        wanted.append(("declined_work", active["declined_work"]["days"]))
    made = []
    for kind, days in wanted:
        callback = add_callback(
            order.site_id,
            order.customer,
            kind,
            order.delivered_at + timedelta(days=int(days)),
            vehicle_id=order.vehicle_id,
            work_order_id=order.id,
        )
        if callback is not None:
            made.append(callback)
    db.session.flush()
    return made


def follow_up_complaint(complaint, now: datetime) -> Callback | None:
    """A callback after a complaint's resolution, to hear that it stays resolved."""
    settings = settings_for(complaint.site_id)
    rule = rules(settings)["complaint_follow_up"]
    if not rule["enabled"]:
        return None
    callback = add_callback(
        complaint.site_id,
        complaint.customer,
        "complaint_follow_up",
        now + timedelta(days=int(rule["days"])),
        vehicle_id=complaint.vehicle_id,
        plan_key=f"complaint:{complaint.id}",
        priority=2,
    )
    db.session.flush()
    return callback


# --- planning ------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    service_reminders: int
    vip_care: int


def service_due(
    vehicle: Vehicle,
    *,
    months: int,
    kilometres: int,
    daily_km: Decimal | None,
    reading_km: int,
    reading_at: datetime | None,
) -> date | None:
    """When the next service falls due, by date or by odometer, whichever comes first.

    The odometer date is estimated from the car's average daily mileage.
    """
    if vehicle.last_service_at is None:
        return None
    months = vehicle.service_interval_months or months
    kilometres = vehicle.service_interval_km or kilometres
    start = vehicle.last_service_at.date()
    month = start.month - 1 + months
    year = start.year + month // 12
    month = month % 12 + 1
    by_date = date(year, month, min(start.day, 28))
    due = by_date
    if daily_km and daily_km > 0 and reading_at is not None:
        remaining = (vehicle.last_service_km or 0) + kilometres - reading_km
        by_km = reading_at.date() + timedelta(days=max(int(remaining / daily_km), 0))
        due = min(due, by_km)
    return due


def _mileage(site_id: int) -> dict[int, tuple[Decimal, int, datetime]]:
    """Per vehicle: average km a day over its odometer history, the last reading and its time."""
    rows = db.session.execute(
        select(
            OdometerReading.vehicle_id,
            func.min(OdometerReading.reading_km),
            func.max(OdometerReading.reading_km),
            func.min(OdometerReading.recorded_at),
            func.max(OdometerReading.recorded_at),
        )
        .join(Vehicle, Vehicle.id == OdometerReading.vehicle_id)
        .where(Vehicle.site_id == site_id, Vehicle.last_service_at.is_not(None))
        .group_by(OdometerReading.vehicle_id)
    )
    figures = {}
    for vehicle_id, low, high, first, last in rows:
        first, last = _aware(first), _aware(last)
        days = (last - first).days if first and last else 0
        daily = Decimal(high - low) / days if days > 0 else None
        figures[vehicle_id] = (daily, high, last)
    return figures


def _aware(moment):
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def _holidays(rule: dict, today: date, horizon: date) -> list[tuple[str, date]]:
    """Holidays falling from ``today`` to ``horizon``; ``MM-DD`` repeats every year."""
    found = []
    for name, dates in (rule.get("holidays") or {}).items():
        for text in dates:
            if len(text) == 5:
                candidates = [
                    date(y, int(text[:2]), int(text[3:])) for y in (today.year, today.year + 1)
                ]
            else:
                candidates = [date.fromisoformat(text)]
            found += [(name, day) for day in candidates if today <= day <= horizon]
    return found


def next_holiday(settings: DealerSettings, today: date) -> tuple[str, date] | None:
    """The next holiday of the VIP care rule, within a year of ``today``."""
    found = _holidays(rules(settings)["vip_care"], today, today + timedelta(days=366))
    return min(found, key=lambda pair: pair[1]) if found else None


def plan(site_id: int, today: date | None = None) -> Plan:
    """Create the date-driven callbacks due by ``today``; creates nothing that exists."""
    settings = settings_for(site_id)
    active = rules(settings)
    tz = settings.time_zone
    today = today or utcnow().astimezone(zone(tz)).date()
    reminders = care = 0
    service = active["service_reminder"]
    if service["enabled"]:
        mileage = _mileage(site_id)
        vehicles = db.session.scalars(
            select(Vehicle)
            .join(Customer, Customer.id == Vehicle.customer_id)
            .where(
                Vehicle.site_id == site_id,
                Vehicle.last_service_at.is_not(None),
                Customer.callback_consent.is_(True),
                Customer.erased_at.is_(None),
            )
            .options(selectinload(Vehicle.customer))
        )
        for vehicle in vehicles:
            daily, reading, reading_at = mileage.get(vehicle.id, (None, vehicle.odometer_km, None))
            due = service_due(
                vehicle,
                months=int(service["months"]),
                kilometres=int(service["km"]),
                daily_km=daily,
                reading_km=reading,
                reading_at=reading_at,
            )
            if due is None or due - timedelta(days=int(service["days_ahead"])) > today:
                continue
            cycle = vehicle.last_service_at.astimezone(zone(tz)).date().isoformat()
            made = add_callback(
                site_id,
                vehicle.customer,
                "service_reminder",
                day_start(max(today, due - timedelta(days=int(service["days_ahead"]))), tz)
                + timedelta(hours=9),
                vehicle_id=vehicle.id,
                plan_key=f"service:{vehicle.id}:{cycle}",
                note=due.isoformat(),
            )
            reminders += made is not None
    vip = active["vip_care"]
    if vip["enabled"]:
        ahead = int(vip["days_ahead"])
        horizon = today + timedelta(days=ahead)
        holidays = _holidays(vip, today, horizon)
        people = db.session.scalars(
            select(Customer).where(
                Customer.site_id == site_id,
                Customer.vip_tier.is_not(None),
                Customer.callback_consent.is_(True),
                Customer.erased_at.is_(None),
            )
        )
        for customer in people:
            occasions = list(holidays)
            if vip.get("birthday") and customer.birthday:
                for year in (today.year, today.year + 1):
                    try:
                        day = customer.birthday.replace(year=year)
                    except ValueError:
                        day = date(year, 3, 1)
                    if today <= day <= horizon:
                        occasions.append(("birthday", day))
            for name, day in occasions:
                made = add_callback(
                    site_id,
                    customer,
                    "vip_care",
                    day_start(max(today, day - timedelta(days=ahead)), tz) + timedelta(hours=9),
                    plan_key=f"{name}:{day.isoformat()}",
                    note=name,
                    priority=1,
                )
                care += made is not None
    db.session.flush()
    return Plan(service_reminders=reminders, vip_care=care)


# --- the call list -------------------------------------------------------------------


def _list_loads() -> tuple:
    """What the call list shows of each call, loaded together: customer, car, tries, and the
    order with its declined jobs (the only ones a call is about, reached through the
    relationship, not an import), a statement each for the page's calls; the agent joined
    to each call (a few staff rows: joining customers, cars and orders instead would look
    up every call due today before the page is cut)."""
    jobs = Callback.work_order.property.mapper.class_.jobs
    declined = jobs.and_(jobs.property.mapper.class_.status == "declined")
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


def sync_priority(customer: Customer) -> None:
    """Keep a customer's open callbacks ahead of others while they are a VIP (the call list
    sorts on the callback's own priority, so it needs no join with customers)."""
    db.session.execute(
        update(Callback)
        .where(
            Callback.customer_id == customer.id,
            Callback.status == "open",
            Callback.priority < 2,
        )
        .values(priority=1 if customer.vip_tier else 0)
    )


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
    from care.complaints import raise_complaint

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
