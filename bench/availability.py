"""The availability query as the API runs it: the free starts of 30 days for 1.5 hours of
maintenance, read from the database (technicians, absences, bookings, work in the workshop)
and counted, with ``--technicians`` technicians of one to three skills and ``--bookings``
appointments over those days. Prints the best and the median of ``--repeat`` runs.

Runs on a scratch database: a SQLite file, or a new database on the PostgreSQL server that
``DATABASE_URL`` names (dropped afterwards).

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/availability.py
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from bench.search import load, scratch_database  # noqa: E402
from dealer import create_app, services  # noqa: E402
from dealer.extensions import db  # noqa: E402
from dealer.models import User, UserRole  # noqa: E402
from dealer.timeutil import zone  # noqa: E402
from dealer.types import utcnow  # noqa: E402
from diary import booking  # noqa: E402
from diary.capacity import SKILLS  # noqa: E402
from diary.models import Appointment, AppointmentJob  # noqa: E402

HOURS = {
    d: [["08:30", "12:00"], ["13:00", "17:30"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat")
}


def fill(technicians: int, bookings: int, rng: random.Random) -> int:
    site = services.default_site()
    settings = services.settings_for(site.id)
    settings.working_hours = HOURS
    settings.bays = 40
    settings.equipment = {"alignment": 2, "paint_booth": 1}
    load(bookings, rng)
    people = [
        {
            "site_id": site.id,
            "username": f"tech{n}",
            "full_name": f"Tech {n}",
            "password_hash": "x",
            "language": "zh_Hans",
            "skills": rng.sample(SKILLS, rng.randint(1, 3)),
        }
        for n in range(technicians)
    ]
    ids = db.session.scalars(insert(User).returning(User.id), people).all()
    db.session.execute(insert(UserRole), [{"user_id": i, "role": "technician"} for i in ids])
    local = zone(settings.time_zone)
    today = utcnow().astimezone(local).date()
    rows, jobs = [], []
    for n in range(bookings):
        day = today + timedelta(days=1 + rng.randrange(30))
        start = datetime.combine(day, datetime.min.time(), local) + timedelta(
            hours=rng.choice([8.5, 9, 10, 13, 14, 15])
        )
        hours = Decimal(rng.choice(["0.5", "1", "1.5", "2", "3"]))
        rows.append(
            {
                "id": n + 1,
                "site_id": site.id,
                "customer_id": n + 1,
                "vehicle_id": n + 1,
                "start_at": start,
                "end_at": start + timedelta(hours=float(hours)),
                "kind": "drop_off",
                "source": "desk",
                "status": "booked",
            }
        )
        jobs.append(
            {
                "appointment_id": n + 1,
                "title": "Service",
                "labor_hours": hours,
                "skill": rng.choice(SKILLS),
                "equipment": rng.choice([None] * 8 + ["alignment"]),
            }
        )
    db.session.execute(insert(Appointment), rows)
    db.session.execute(insert(AppointmentJob), jobs)
    db.session.commit()
    return site.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--technicians", type=int, default=50)
    parser.add_argument("--bookings", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    url, cleanup = scratch_database(os.environ.get("DATABASE_URL"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    try:
        with app.app_context():
            upgrade()
            site_id = fill(args.technicians, args.bookings, random.Random(3))
            first = utcnow().astimezone(zone(services.settings_for(site_id).time_zone)).date()
            took, slots = [], 0
            for _ in range(args.repeat):
                db.session.expire_all()
                started = time.perf_counter()
                found = booking.availability(site_id, first, 30, Decimal("1.5"), "maintenance")
                took.append((time.perf_counter() - started) * 1000)
                slots = sum(len(day) for _, day in found)
                db.session.rollback()
            print(
                f"{url.split('://')[0]}: 30 days, {args.technicians} technicians, "
                f"{args.bookings} bookings: {slots} free starts; availability best "
                f"{min(took):.1f} ms, median {statistics.median(took):.1f} ms"
            )
            db.session.remove()
            db.engine.dispose()
    finally:
        cleanup()


if __name__ == "__main__":
    main()
