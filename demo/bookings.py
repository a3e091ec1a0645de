"""The demo's bookings: the visits of the year that came booked (most on time, some late,
a few never came), and the coming two weeks of the diary booked through the real operation
at free times, with a new customer who booked online and tomorrow's pick list made."""

import random
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from care import online
from customers.models import Vehicle
from dealer import services
from dealer.extensions import db
from dealer.timeutil import zone
from dealer.types import utcnow
from diary import booking, picking
from diary.models import Appointment, AppointmentJob
from workorders.lifecycle import OPEN_STATUSES
from workorders.models import CannedJob, WorkOrder

BOOKED_SHARE = 0.4
"""About this share of the year's visits came booked."""
NO_SHOW_SHARE = 0.07


def booked_visit(order: WorkOrder, arrive: datetime, rng: random.Random) -> None:
    """Record that ``order``'s visit came booked: the booking made days before, its time
    near the arrival (a few came late), and now and then a booking that was never kept."""
    if rng.random() >= BOOKED_SHARE:
        return
    start = arrive - timedelta(minutes=rng.choice((0, 0, 5, 10, 15, -20, -30, -45)))
    start = start.replace(minute=start.minute - start.minute % 30, second=0, microsecond=0)
    jobs = [
        AppointmentJob(
            title=job.title,
            title_zh=job.title_zh,
            labor_hours=job.labor_hours,
            skill="maintenance" if job.category == "level1_maintenance" else "chassis",
        )
        for job in order.jobs
    ]
    if not jobs:
        return
    common = dict(
        site_id=order.site_id,
        customer_id=order.customer_id,
        vehicle_id=order.vehicle_id,
        kind="drop_off",
        source=rng.choice(("phone", "phone", "desk", "online", "callback")),
        booked_at=start - timedelta(days=rng.randint(1, 10)),
    )
    hours = sum((job.labor_hours for job in jobs), Decimal("0"))
    if rng.random() < NO_SHOW_SHARE:
        missed = start - timedelta(days=rng.randint(2, 9))
        db.session.add(
            Appointment(
                **common,
                start_at=missed,
                end_at=missed + timedelta(hours=float(hours) + 0.5),
                status="no_show",
                jobs=[
                    AppointmentJob(
                        title=j.title, title_zh=j.title_zh, labor_hours=j.labor_hours, skill=j.skill
                    )
                    for j in jobs
                ],
            )
        )
    db.session.add(
        Appointment(
            **common,
            start_at=start,
            end_at=start + timedelta(hours=float(hours) + 0.5),
            status="arrived",
            arrived_at=arrive,
            work_order_id=order.id,
            jobs=jobs,
        )
    )


def load_demo_bookings(site, *, per_day: int = 4, days: int = 14, seed: int = 7) -> int:
    """Book cars not in the workshop for today and the coming ``days`` at free times, as the
    desk and the phone do, confirm most of them, and make tomorrow's pick list; returns how
    many."""
    rng = random.Random(seed)
    advisor = services.find_user("advisor")
    settings = services.settings_for(site.id)
    local = zone(settings.time_zone)
    canned = list(
        db.session.scalars(
            select(CannedJob).where(CannedJob.site_id == site.id, CannedJob.active.is_(True))
        )
    )
    busy = select(WorkOrder.vehicle_id).where(WorkOrder.status.in_(OPEN_STATUSES))
    cars = list(
        db.session.scalars(
            select(Vehicle)
            .where(Vehicle.site_id == site.id, Vehicle.id.not_in(busy))
            .order_by(Vehicle.id.desc())
            .limit(per_day * days)
        )
    )
    if not canned or not cars:
        return 0
    today = utcnow().astimezone(local).date()
    made = 0
    for offset in range(days + 1):
        day = today + timedelta(days=offset)
        for _ in range(per_day):
            if not cars:
                break
            vehicle = cars.pop()
            jobs = [
                booking.JobInput(title="", labor_hours=None, canned_job_id=c.id)
                for c in rng.sample(canned, 1)
            ]
            [(_, starts)] = booking.free_starts(site.id, day, 1, jobs, kind="drop_off")
            if not starts:
                break
            start = rng.choice(starts[: max(1, len(starts) // 2)])[0]
            appointment = booking.book(
                advisor,
                vehicle.customer,
                vehicle,
                start=start,
                jobs=jobs,
                source=rng.choice(("phone", "desk")),
            )
            if rng.random() < 0.7:
                booking.set_status(advisor, appointment, "confirmed")
            made += 1
        db.session.flush()
    made += _online_prospect(site, canned[0], today + timedelta(days=2))
    picking.pick_day(None, site.id, today + timedelta(days=1))
    return made


def _online_prospect(site, canned: CannedJob, day) -> int:
    """A new customer who booked online with a plate the dealer does not know yet."""
    jobs = [booking.JobInput(title="", labor_hours=None, canned_job_id=canned.id)]
    [(_, starts)] = booking.free_starts(site.id, day, 1, jobs, kind="drop_off")
    if not starts:
        return 0
    online.book_online(
        site.id,
        online.OnlineBooking(
            phone="+8613700001234",
            name="林小姐",
            plate="沪D8K21",
            start=starts[-1][0],
            canned_job_ids=[canned.id],
        ),
    )
    return 1
