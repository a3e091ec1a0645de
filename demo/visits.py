"""One visit of a generated history: a work order with its jobs, parts, authorizations,
clocks, final inspection and handover. Its amounts come from the one totals module
(``workorders.totals``): each job and line priced as the application prices it, in
Decimals, and written in the columns' integer minor units."""

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from demo.catalogue import (
    BELONGINGS,
    CHECKLIST,
    CONCERNS,
    DAMAGE,
    LOCAL,
    PANELS,
    PAYMENT_METHODS,
)
from workorders.totals import JobAmount, PartAmount, totals


def part_amount(quantity: int, price: int) -> PartAmount:
    """A parts line of the history (quantity in thousandths, price in cents) as the totals
    module sees it."""
    return PartAmount(Decimal(quantity).scaleb(-3), Decimal(price).scaleb(-2))


def job_amount(job: dict, labor_rate: Decimal) -> JobAmount:
    """A job of the history (hours in hundredths) as the totals module sees it; the caller
    picks which jobs count."""
    return JobAmount(
        "approved",
        job["pay_type"],
        Decimal(job["hours"]).scaleb(-2),
        labor_rate,
        tuple(part_amount(q, part[5]) for part, q in job["parts"]),
    )


def cents(amount: Decimal) -> int:
    """An amount in the integer minor units the columns store."""
    return int(amount.scaleb(2))


@dataclass
class Staff:
    advisors: list[int]
    technicians: list[int]
    inspectors: list[int]
    agents: list[int]
    manager: int


@dataclass
class VehiclePlan:
    index: int
    customer: int
    first_visit: datetime | None = None
    km: int = 0
    daily_km: int = 40
    last_at: datetime | None = None
    last_service_at: datetime | None = None
    last_service_km: int | None = None


def write_visit(history, vehicle: VehiclePlan, moment: datetime, active: str | None) -> None:
    rng = history.rng
    staff = history.staff
    day = (moment + LOCAL).date()
    received = history.working_time(day, 8, 11) if active is None else moment
    year = (received + LOCAL).year
    history.numbers[year] = history.numbers.get(year, 0) + 1
    number = f"WO-{year}-{history.numbers[year]:06d}"
    order_id = history.take_id("work_orders")
    customer_id = history.customer_of[vehicle.index]
    name = history.names.get(customer_id, "")
    advisor = staff.advisors[rng.randrange(len(staff.advisors))]
    days = max(0.0, (received - vehicle.last_at).total_seconds() / 86400)
    km_in = vehicle.km + int(days * vehicle.daily_km * rng.uniform(0.7, 1.3)) + 1
    vehicle.km, vehicle.last_at = km_in, received
    status = active or ("cancelled" if rng.random() < 0.01 else "delivered")
    delivered = status == "delivered"
    history.add(
        "odometer_readings",
        (
            history.take_id("odometer_readings"),
            vehicle.index,
            km_in,
            "work_order",
            received,
            advisor,
        ),
    )

    # Jobs and their parts.
    count = rng.choices((1, 2, 3, 4), (50, 30, 15, 5))[0]
    decline = delivered and rng.random() < 0.12
    propose = status in ("delivered", "quality_check", "ready") and rng.random() < 0.12
    jobs = []
    for index in range(count + (1 if decline else 0) + (1 if propose else 0)):
        title, hours, category, parts = history.operations[rng.randrange(len(history.operations))]
        pay_type = rng.choices(("customer", "warranty", "internal"), (92, 6, 2))[0]
        proposed = propose and index == count + (1 if decline else 0)
        declined = decline and index == count
        if status in ("intake", "estimating", "awaiting_approval", "cancelled"):
            job_status = "pending"
        elif declined:
            job_status = "declined"
        elif proposed and rng.random() < 0.3:
            job_status = "declined" if status == "delivered" else "done"
        elif status == "in_progress":
            job_status = rng.choice(("approved", "done"))
        else:
            job_status = "done"
        jobs.append(
            {
                "id": history.take_id("jobs"),
                "title": title,
                "hours": hours,
                "category": category,
                "pay_type": "customer" if proposed or declined else pay_type,
                "status": job_status,
                "parts": [(part, q) for part, q in parts if rng.random() < 0.9],
                "technician": staff.technicians[rng.randrange(len(staff.technicians))],
                "proposed": proposed,
                "initial": not proposed,
            }
        )

    def amount(job) -> tuple[int, int]:
        priced = job_amount(job, history.settings.labor_rate)
        return cents(priced.labor), cents(priced.parts_amount)

    def total(selected) -> int:
        priced = [job_amount(job, history.settings.labor_rate) for job in selected]
        return cents(totals(priced, history.settings.tax_rate).total)

    counted = ("approved", "in_progress", "done")
    authorized = None
    first_approved = None
    auth_at = received + timedelta(minutes=rng.randrange(30, 120))
    if status not in ("intake", "estimating", "awaiting_approval", "cancelled"):
        initial = [j for j in jobs if j["initial"]]
        approved = [j for j in initial if j["status"] != "declined"]
        first_approved = total(approved)
        first_id = history.take_id("authorizations")
        method = rng.choice(("in_person", "in_person", "phone"))
        history.add(
            "authorizations",
            (
                first_id,
                order_id,
                name[:120],
                method,
                None if method == "in_person" else history.phones[customer_id],
                first_approved,
                first_approved,
                json.dumps([j["id"] for j in approved]),
                json.dumps([j["id"] for j in initial if j not in approved]),
                False,
                advisor,
                auth_at,
            ),
        )
        for j in initial:
            j["decided_by"] = first_id
        authorized = first_approved
        extra = [j for j in jobs if j["proposed"]]
        if extra:
            approved_extra = [j for j in extra if j["status"] in counted]
            new_total = total(approved + approved_extra)
            second_id = history.take_id("authorizations")
            history.add(
                "authorizations",
                (
                    second_id,
                    order_id,
                    name[:120],
                    "phone",
                    history.phones[customer_id],
                    new_total,
                    new_total - authorized,
                    json.dumps([j["id"] for j in approved_extra]),
                    json.dumps([j["id"] for j in extra if j not in approved_extra]),
                    True,
                    advisor,
                    auth_at + timedelta(hours=2),
                ),
            )
            for j in extra:
                j["decided_by"] = second_id
            authorized = new_total

    # Work done, clocks, QC, handover.
    work_start = auth_at + timedelta(minutes=rng.randrange(10, 90))
    clocked = 0
    done_at = work_start
    for j in jobs:
        if j["status"] != "done":
            continue
        seconds = int(j["hours"] * 36 * rng.uniform(0.6, 1.3))
        started = done_at
        done_at = started + timedelta(seconds=seconds)
        clocked += seconds
        j["completed_at"] = done_at
        history.add(
            "time_clocks",
            (history.take_id("time_clocks"), j["id"], order_id, j["technician"], started, done_at),
        )
    delivered_at = final_total = odometer_out = None
    if status in ("quality_check", "ready", "delivered"):
        inspector = staff.inspectors[rng.randrange(len(staff.inspectors))]
        qc_at = done_at + timedelta(minutes=rng.randrange(10, 60))
        if status != "quality_check":
            if rng.random() < 0.03:
                history.add(
                    "quality_checks",
                    (
                        history.take_id("quality_checks"),
                        order_id,
                        inspector,
                        False,
                        CHECKLIST,
                        False,
                        json.dumps([jobs[0]["id"]]),
                        "Torque on the wheel nuts re-checked",
                        qc_at - timedelta(minutes=30),
                    ),
                )
            history.add(
                "quality_checks",
                (
                    history.take_id("quality_checks"),
                    order_id,
                    inspector,
                    True,
                    CHECKLIST,
                    any(j["category"] == "major_repair" for j in jobs),
                    "[]",
                    None,
                    qc_at,
                ),
            )
        if delivered:
            delivered_at = min(
                qc_at + timedelta(hours=rng.uniform(0.5, 30)), history.now - timedelta(hours=1)
            )
            odometer_out = km_in + rng.randrange(0, 15)
            vehicle.km = odometer_out
            final_total = total([j for j in jobs if j["status"] in counted])
    promised = received + timedelta(hours=rng.choice((4, 6, 8, 24)))
    done = [j for j in jobs if j["status"] == "done"]
    declined = [j for j in jobs if j["status"] == "declined"]
    figures = [None] * 9
    if delivered:
        parts_sales = sum(amount(j)[1] for j in done)
        parts_cost = sum(
            cents(part_amount(q, part[4]).amount) for j in done for part, q in j["parts"]
        )
        declined_value = sum(sum(amount(j)) for j in declined)
        proposed = [j for j in jobs if j["proposed"]]
        figures = [
            final_total,
            odometer_out,
            sum(j["hours"] for j in done),
            clocked,
            parts_sales,
            parts_cost,
            declined_value,
            first_approved,
            sum(j["status"] in counted for j in proposed),
        ]
        figures.append(len(proposed))
        if any(j["pay_type"] != "internal" for j in done):
            vehicle.last_service_at = delivered_at
            vehicle.last_service_km = odometer_out
        spend = history.figures.setdefault(customer_id, [0, 0, 0, None])
        if delivered_at >= history.now - timedelta(days=365):
            spend[0] += final_total
            spend[1] += 1
        spend[2] += final_total
        spend[3] = delivered_at if spend[3] is None else max(spend[3], delivered_at)
    else:
        figures.append(None)
    history.add(
        "work_orders",
        (
            order_id,
            history.site_id,
            number,
            customer_id,
            vehicle.index,
            advisor,
            status,
            1,
            received,
            km_in,
            rng.choice((12, 25, 50, 50, 75, 100)),
            CONCERNS[rng.randrange(len(CONCERNS))],
            promised,
            authorized or 0,
            history.tax_rate,
            history.labor_rate,
            False,
            "Customer changed their mind" if status == "cancelled" else None,
            delivered_at,
            name[:120] if delivered else None,
            *figures,
            received,
        ),
    )
    for j in jobs:
        completed = j.get("completed_at")
        until = until_km = None
        if delivered and j["status"] == "done":
            km, days_ = history.warranty[j["category"]]["car"]
            until = (delivered_at + LOCAL).date() + timedelta(days=days_)
            until_km = odometer_out + km
        history.add(
            "jobs",
            (
                j["id"],
                order_id,
                1,
                j["title"],
                j["title"].startswith("Diagnose"),
                j["hours"],
                history.labor_rate,
                j["category"],
                j["pay_type"],
                j["status"] == "done" and j["category"] == "major_repair",
                j["status"],
                j["technician"] if j["status"] not in ("pending", "declined") else None,
                False,
                f"WC-{order_id}" if j["pay_type"] == "warranty" else None,
                j["technician"] if j["proposed"] else None,
                j.get("decided_by"),
                completed,
                until,
                until_km,
                received,
            ),
        )
        for part, quantity in j["parts"]:
            part_id, part_number, part_name, unit, cost, price = part
            issued = quantity if j["status"] == "done" else 0
            history.add(
                "part_lines",
                (
                    history.take_id("part_lines"),
                    order_id,
                    j["id"],
                    part_id,
                    part_number,
                    part_name,
                    quantity,
                    unit,
                    price,
                    cost,
                    "new_genuine" if rng.random() < 0.93 else "new_aftermarket",
                    0,
                    issued,
                    0,
                    received,
                ),
            )
    if status != "intake":
        damage = []
        if rng.random() < 0.3:
            damage = [{"panel": rng.choice(PANELS), "damage": rng.choice(DAMAGE), "note": ""}]
        history.add(
            "inspections",
            (
                history.take_id("inspections"),
                order_id,
                json.dumps(damage),
                "[]",
                json.dumps(rng.sample(BELONGINGS, rng.randrange(0, 3)), ensure_ascii=False),
                rng.choice((1, 2, 2)),
                "{}",
                "{}",
                name[:120],
                received + timedelta(minutes=15),
                advisor,
                received + timedelta(minutes=15),
            ),
        )
    if delivered and final_total:
        history.add(
            "payments",
            (
                history.take_id("payments"),
                order_id,
                rng.choice(PAYMENT_METHODS),
                final_total,
                name[:120],
                advisor,
                delivered_at,
            ),
        )
    if delivered:
        history.care(order_id, customer_id, vehicle.index, delivered_at, bool(declined))
