"""The capacity arithmetic alone: free slots for 30 days ahead, with 50 technicians of one
to three skills each, 30 bays, an alignment rig and a paint booth, and 2,000 booked jobs
over those days. Prints the best of ``--repeat`` runs in milliseconds (no database: the
availability query adds its reads to this).

    .venv/bin/python bench/capacity.py
"""

import argparse
import random
import sys
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from diary.capacity import SKILLS, Diary, Technician, Work, Workshop

ZONE = ZoneInfo("Asia/Shanghai")
HOURS = {
    d: [["08:30", "12:00"], ["13:00", "17:30"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat")
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--technicians", type=int, default=50)
    parser.add_argument("--bookings", type=int, default=2000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(1)
    workshop = Workshop(
        HOURS,
        "Asia/Shanghai",
        tuple(
            Technician(i, frozenset(rng.sample(SKILLS, rng.randint(1, 3))))
            for i in range(args.technicians)
        ),
        bays=30,
        equipment={"alignment": 1, "paint_booth": 1},
        walk_in_share=Decimal("0.2"),
    )
    first = date(2026, 12, 14)
    work = []
    for _ in range(args.bookings):
        day = first + timedelta(days=rng.randrange(args.days))
        start = datetime.combine(day, datetime.min.time(), ZONE) + timedelta(
            hours=rng.choice([8.5, 9, 10, 13, 14, 15])
        )
        hours = Decimal(rng.choice(["0.5", "1", "1.5", "2", "3"]))
        work.append(Work(start, hours, rng.choice(SKILLS), rng.choice([None] * 8 + ["alignment"])))
    best, slots = float("inf"), 0
    for _ in range(args.repeat):
        started = time.perf_counter()
        found = Diary(workshop, work).free_slots(first, args.days, Decimal("1.5"), "maintenance")
        best = min(best, (time.perf_counter() - started) * 1000)
        slots = sum(len(day_slots) for _, day_slots in found)
    print(
        f"{args.days} days, {args.technicians} technicians, {args.bookings} bookings: "
        f"{slots} free starts in {best:.1f} ms (best of {args.repeat})"
    )


if __name__ == "__main__":
    main()
