"""A year of the demo dealership's work, made through the operations: each step of each
visit at its own moment of the past twelve months (``dealer.types.clock_at``), so the
reports, charts and lists read like a working dealer's.

Visits follow the seasons (busier before the Spring Festival and the October holidays, in
the heat of summer, quieter in February); each car comes for one or two common jobs, some
of which the customer declines; the satisfaction calls are made and now and then a
customer complains.
"""

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from care import callbacks as calls
from care import complaints
from care.models import Callback
from customers.models import Vehicle
from customers.services import CustomerInput, VehicleInput, create_customer, register_vehicle
from dealer import services
from dealer.extensions import db
from dealer.models import Site
from dealer.timeutil import zone
from dealer.types import clock_at, utcnow
from demo.bookings import booked_visit
from demo.catalogue import CHINESE_NAMES, COLOURS, MODELS, demo_plate, demo_vin
from parts.models import Part
from parts.stock import receive
from workorders import services as wo
from workorders.models import CannedJob, WorkOrder
from workorders.vocabulary import QcCheck

SEASON = {1: 1.3, 2: 0.7, 3: 1.0, 4: 1.1, 5: 1.0, 6: 1.1, 7: 1.3, 8: 1.3, 9: 1.1, 10: 1.2}
SEASON |= {11: 1.0, 12: 1.1}
"""How busy each month is against an ordinary one."""
CONCERNS = [
    "保养到期，顺便检查空调",
    "刹车时前部有异响",
    "雨刮刮不干净",
    "发动机故障灯亮",
    "空调不够凉",
    "轮胎气压报警",
    "方向盘有点跑偏",
]
OPEN_HOURS = (time(8, 30), time(16, 30))


def _working_days(today: date, days: int) -> list[date]:
    return [
        day for day in (today - timedelta(days=n) for n in range(days, 0, -1)) if day.weekday() < 6
    ]


def _customers(site: Site, rng: random.Random, count: int, start: datetime) -> list[Vehicle]:
    """The year's customers, registered at the start of the year, each with a car."""
    settings = services.settings_for(site.id)
    vehicles = []
    taken = set(db.session.scalars(select(Vehicle.vin)))
    with clock_at(start):
        for index in range(count):
            name = rng.choice(CHINESE_NAMES) + ("" if index < len(CHINESE_NAMES) else str(index))
            customer = create_customer(
                None,
                site.id,
                CustomerInput(name=name, phone=f"+86137{index + 1:08d}"),
                settings.phone_region,
            )
            wmi, make, model = rng.choice(MODELS)
            year = rng.randint(2016, 2025)
            vin = demo_vin(rng, wmi, year)
            while vin in taken:
                vin = demo_vin(rng, wmi, year)
            taken.add(vin)
            vehicles.append(
                register_vehicle(
                    None,
                    customer,
                    VehicleInput(
                        vin=vin,
                        plate=demo_plate(rng),
                        make=make,
                        model=model,
                        year=year,
                        colour=rng.choice(COLOURS),
                        odometer_km=rng.randint(5, 90) * 1000,
                    ),
                )
            )
    return vehicles


def _restock(parts: list[Part], level: int = 20, low: float = 5) -> None:
    """The parts counter tops a part up to ``level`` available when fewer than ``low`` are."""
    for part in parts:
        if part.available < low:
            receive(
                None,
                part,
                Decimal(level) - part.available,
                part.unit_cost or Decimal("1"),
                supplier="一汽配件中心",
            )


def _visit(staff: dict, vehicle: Vehicle, canned: list, parts: list, rng, arrive: datetime):
    """One car through the workshop, each step at its moment."""
    advisor = staff["advisor"]
    tech = rng.choice(staff["technicians"])
    step = arrive
    with clock_at(step):
        _restock(parts)
        order = wo.open_work_order(
            advisor,
            vehicle,
            odometer_km=vehicle.odometer_km + rng.randint(800, 6000),
            fuel_level=Decimal(rng.choice(("0.25", "0.5", "0.75"))),
            concern=rng.choice(CONCERNS),
        )
        wo.record_inspection(
            advisor,
            order,
            wo.InspectionInput(belongings=["spare_wheel"], acknowledged_by=vehicle.customer.name),
        )
        for job in rng.sample(canned, rng.choice((1, 1, 2))):
            wo.add_canned_job(advisor, order, job)
        booked_visit(order, arrive, rng)
    return _through_the_workshop(staff, order, tech, rng, step)


def _through_the_workshop(
    staff: dict, order: WorkOrder, tech, rng, step: datetime, *, extra_work: bool = True
):
    """From the customer's decision to the handover, each step at its moment."""
    advisor, inspector = staff["advisor"], staff["inspector"]
    vehicle = order.vehicle
    step += timedelta(minutes=rng.randint(10, 40))
    with clock_at(step):
        jobs = list(order.jobs)
        declined = [j.id for j in jobs[1:] if rng.random() < 0.2]
        wo.authorize_jobs(
            advisor,
            order,
            approved_job_ids=[j.id for j in jobs if j.id not in declined],
            declined_job_ids=declined,
            authorized_by=vehicle.customer.name,
            method="phone",
            phone=vehicle.customer.phone,
            amount=None,
        )
    with clock_at(step):
        hours = sum(float(j.labor_hours) for j in order.jobs)
        wo.update_order(advisor, order, promised_at=step + timedelta(hours=round(hours * 1.5) + 4))
    found = extra_work and rng.random() < EXTRA_WORK_SHARE
    for job in order.jobs:
        if job.status != "approved":
            continue
        step += timedelta(minutes=rng.randint(5, 30))
        with clock_at(step):
            wo.clock_on(tech, job)
        if found:
            found = False
            step = _extra_work(staff, order, tech, rng, step)
        step += timedelta(minutes=int(float(job.labor_hours) * rng.uniform(40, 75)))
        with clock_at(step):
            wo.clock_off(tech, job)
            wo.complete_job(tech, job)
    step += timedelta(minutes=rng.randint(10, 60))
    with clock_at(step):
        checks = {key: True for key in QcCheck.values()}
        wo.record_quality_check(inspector, order, passed=True, checklist=checks)
        wo.record_notification(advisor, order, how="phone")
    step += timedelta(minutes=rng.randint(30, 240))
    with clock_at(step):
        wo.hand_over(
            advisor,
            order,
            payment_method=rng.choice(("mobile_payment", "mobile_payment", "card", "cash")),
            amount_paid=wo.amount_due(order),
            received_by=vehicle.customer.name,
        )
    return order


EXTRA_WORK_SHARE = 0.15
"""About one car in seven shows the technician more work to do, which the customer is asked
about by phone: most say yes."""
EXTRA_WORK = [
    ("更换刹车油", "刹车油含水量 4%，建议更换"),
    ("更换空调滤芯", "空调滤芯堵塞"),
    ("更换雨刮片", "雨刮片老化开裂"),
    ("更换前刹车片", "前刹车片剩余 3 毫米"),
]


def _extra_work(staff: dict, order: WorkOrder, tech, rng, step: datetime) -> datetime:
    """The technician proposes a job from a finding; the advisor calls the customer, who
    approves or declines it. Returns when the call ended."""
    title, finding = rng.choice(EXTRA_WORK)
    step += timedelta(minutes=rng.randint(10, 30))
    with clock_at(step):
        extra = wo.add_job(
            tech,
            order,
            title=title,
            labor_hours=Decimal("0.5"),
            category="minor_repair",
            findings=finding,
        )
    step += timedelta(minutes=rng.randint(10, 45))
    with clock_at(step):
        yes = rng.random() < 0.7
        wo.authorize_jobs(
            staff["advisor"],
            order,
            approved_job_ids=[extra.id] if yes else [],
            declined_job_ids=[] if yes else [extra.id],
            authorized_by=order.customer.name,
            method="phone",
            phone=order.customer.phone,
            amount=None,
        )
    return step


COMEBACK_SHARE = 0.025
"""About one car in forty comes back for the same fault, as a workshop's comeback rate runs."""
COMEBACK_CONCERNS = {
    "workmanship": "上次维修后异响又出现了。",
    "part": "上次更换的配件又坏了。",
}


def _comeback_of(earlier: WorkOrder, rng, now: datetime) -> tuple[datetime, str] | None:
    """Whether the car comes back a few days on with the same fault: when, and why."""
    if rng.random() >= COMEBACK_SHARE:
        return None
    arrive = earlier.delivered_at + timedelta(days=rng.randint(2, 20), hours=rng.randint(0, 4))
    if arrive > now:
        return None
    return arrive, rng.choice(("workmanship", "workmanship", "part"))


def _comeback(staff: dict, earlier: WorkOrder, arrive: datetime, cause: str, rng) -> WorkOrder:
    """The comeback order, done again at the dealer's cost (workmanship) or the maker's (a
    faulty part)."""
    advisor = staff["advisor"]
    tech = rng.choice(staff["technicians"])
    first = earlier.jobs[0]
    with clock_at(arrive):
        order = wo.open_comeback(
            advisor,
            earlier,
            odometer_km=earlier.vehicle.odometer_km + rng.randint(50, 900),
            fuel_level=Decimal("0.5"),
            concern=COMEBACK_CONCERNS[cause],
            cause=cause,
        )
        wo.record_inspection(
            advisor, order, wo.InspectionInput(acknowledged_by=order.customer.name)
        )
        wo.add_job(
            advisor,
            order,
            title=f"返修：{first.title}",
            labor_hours=Decimal("0.5"),
            category="minor_repair",
            pay_type="internal" if cause == "workmanship" else "warranty",
        )
    return _through_the_workshop(
        staff, order, tech, rng, arrive + timedelta(minutes=rng.randint(10, 40)), extra_work=False
    )


def _follow_up(staff: dict, order: WorkOrder, rng) -> None:
    """The satisfaction call three days on, and now and then a complaint."""
    for callback in db.session.scalars(
        select(Callback).where(Callback.work_order_id == order.id, Callback.status == "open")
    ):
        with clock_at(callback.due_at + timedelta(hours=rng.randint(1, 6))):
            reached = rng.random() < 0.85
            calls.record_attempt(
                staff["agent"],
                callback,
                outcome="reached" if reached else "no_answer",
                satisfaction=rng.choice((5, 5, 5, 4, 4, 3)) if reached else None,
            )
    if rng.random() < 0.01:
        with clock_at(order.delivered_at + timedelta(days=2)):
            complaints.raise_complaint(
                staff["agent"],
                order.customer,
                "交车后发现车内不够干净。",
                channel="phone",
                vehicle_id=order.vehicle_id,
                work_order_id=order.id,
            )


def load_demo_year(
    site: Site,
    *,
    orders: int = 2000,
    seed: int = 2026,
    progress: Callable[[int], None] = lambda n: None,
) -> int:
    """About ``orders`` visits over the last twelve months; returns how many were made. The
    customers of a year ago were not sent messages about cars long handed over: the site's
    messages are held while the year is made."""
    rng = random.Random(seed * 31 + 7)
    settings = services.settings_for(site.id)
    sends, settings.order_messages = settings.order_messages, False
    local = zone(settings.time_zone)
    now = utcnow()
    today = now.astimezone(local).date()
    days = _working_days(today, 365)
    weights = [SEASON[day.month] for day in days]
    staff = {
        "advisor": services.find_user("advisor"),
        "technicians": [services.find_user("tech1"), services.find_user("tech2")],
        "inspector": services.find_user("inspector"),
        "agent": services.find_user("callback"),
    }
    canned = list(db.session.scalars(select(CannedJob).where(CannedJob.site_id == site.id)))
    parts = list(db.session.scalars(select(Part).where(Part.site_id == site.id)))
    start = datetime.combine(days[0], time(8, 0), local)
    vehicles = _customers(site, rng, max(20, orders // 3), start)
    db.session.commit()
    made = 0
    back: list[tuple[datetime, int, str]] = []

    def comebacks_until(moment: datetime) -> int:
        """The comebacks due by ``moment``, in the order they arrive."""
        done = 0
        back.sort()
        while back and back[0][0] <= moment:
            arrive, earlier_id, cause = back.pop(0)
            again = _comeback(staff, db.session.get(WorkOrder, earlier_id), arrive, cause, rng)
            if again.delivered_at + timedelta(days=4) < now:
                _follow_up(staff, again, rng)
            done += 1
        return done

    for index, day in enumerate(sorted(rng.choices(days, weights=weights, k=orders))):
        opens = datetime.combine(day, OPEN_HOURS[0], local)
        arrive = opens + timedelta(minutes=rng.randint(0, 8 * 60))
        made += comebacks_until(arrive)
        order = _visit(staff, rng.choice(vehicles), canned, parts, rng, arrive)
        if order.delivered_at + timedelta(days=4) < now:
            _follow_up(staff, order, rng)
        coming = _comeback_of(order, rng, now)
        if coming is not None:
            back.append((coming[0], order.id, coming[1]))
        made += 1
        if index % 50 == 49:
            db.session.commit()
            progress(50)
    made += comebacks_until(now)
    _restock(parts, level=60, low=60)
    settings.order_messages = sends
    db.session.commit()
    return made
