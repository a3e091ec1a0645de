"""Planning the callbacks (回访): the site's rules, the calls a delivery or a resolved
complaint implies, and the daily plan of service reminders and VIP care.

Delivery creates the callbacks it implies (through the handover's hook, see
``after_delivery``); a daily ``callbacks plan`` adds the date-driven ones (service
reminders, VIP care). A service reminder is a call, a message, or both, and so is VIP care
(a greeting message on the day), as the site's settings say (``care_contact``). Each planned
callback carries a key (the vehicle's service cycle, the birthday's year, the holiday's
date) under a unique constraint, a reminder message goes once per service cycle and a
greeting once per day, so planning twice creates nothing new. Customers without callback
consent are never scheduled.
"""

import copy
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from care.labels import HOLIDAY_LABELS
from care.models import Callback, Message
from care.outbox import queue_message
from care.worth import refresh_customer, refresh_customers
from customers.models import Customer, OdometerReading, Vehicle
from dealer.audit import acting_as
from dealer.extensions import db
from dealer.models import DEFAULT_CALLBACK_RULES, DealerSettings, Site, User
from dealer.services import settings_for
from dealer.timeutil import day_start, zone
from dealer.types import utcnow


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
            if settings.care_contact in ("message", "both"):
                reminders += remind(vehicle, due)
            if settings.care_contact == "message":
                continue
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
                if settings.care_contact in ("message", "both"):
                    care += greet(customer, name, day, tz)
                if settings.care_contact == "message":
                    continue
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


def remind(vehicle: Vehicle, due: date) -> bool:
    """Queue the service reminder of the vehicle's current service cycle, unless it went
    already; answers whether one was queued."""
    exists = db.session.scalar(
        select(Message.id).where(
            Message.customer_id == vehicle.customer_id,
            Message.event == "service_reminder",
            Message.queued_at >= vehicle.last_service_at,
            Message.text.contains(vehicle.plate),
        )
    )
    if exists is not None:
        return False
    values = {"plate": vehicle.plate, "due": due.isoformat()}
    queue_message(vehicle.customer, "service_reminder", values=values)
    return True


def greet(customer: Customer, occasion: str, day: date, time_zone: str) -> bool:
    """Queue the VIP's greeting for 09:00 on the day, unless one is queued for that day;
    answers whether one was queued. Greetings need marketing consent (the outbox keeps a
    greeting without it as suppressed, so the desk sees why it did not go)."""
    start = day_start(day, time_zone)
    event = "birthday_greeting" if occasion == "birthday" else "holiday_greeting"
    exists = db.session.scalar(
        select(Message.id).where(
            Message.customer_id == customer.id,
            Message.event == event,
            Message.due_at >= start,
            Message.due_at < start + timedelta(days=1),
        )
    )
    if exists is not None:
        return False
    queue_message(
        customer,
        event,
        values={"holiday": HOLIDAY_LABELS.get(occasion, occasion)},
        send_at=start + timedelta(hours=9),
    )
    return True


def after_delivery(order, actor: User | None = None, now: datetime | None = None) -> None:
    """What after-sales care does when a car is handed over, inside the handover's
    transaction (connected to ``order_delivered`` by the app factory): the customer's spend,
    visits and VIP tier are refreshed, then the callbacks the delivery implies are planned."""
    refresh_customer(order.customer, now)
    schedule_after_delivery(order)


@dataclass(frozen=True)
class SitePlan:
    """What the daily planning did at one site."""

    code: str
    plan: Plan
    tiers_changed: int


def plan_every_site(today: date | None = None) -> list[SitePlan]:
    """The daily planning at every site: VIP tiers recomputed, then the service reminders
    and VIP care calls due created; each site committed on its own. Safe to run again."""
    done = []
    with acting_as(None):
        for site in db.session.scalars(select(Site).order_by(Site.id)).all():
            changed = refresh_customers(site.id)
            made = plan(site.id, today)
            db.session.commit()
            done.append(SitePlan(site.code, made, changed))
    return done
