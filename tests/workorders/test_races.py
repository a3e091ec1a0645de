"""Races over real HTTP: exactly one of two simultaneous requests wins, nothing counts twice."""

import json
import threading
import urllib.error
import urllib.request
from decimal import Decimal as D

from sqlalchemy import func, select

from dealer.extensions import db
from parts.models import Part
from tests.factories import SIGNATURE, make_order, make_part, make_user, make_vehicle
from workorders import services as wo
from workorders.models import Authorization, Job, TimeClock, WorkOrder


def call(base: str, path: str, headers: dict, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        base + path,
        data=json.dumps(body).encode(),
        method="POST",
        headers={**headers, "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def at_once(requests: list[tuple]) -> list[tuple[int, dict]]:
    """Send every request at the same moment from its own thread."""
    barrier = threading.Barrier(len(requests))
    results: list = [None] * len(requests)

    def run(index, args):
        barrier.wait()
        results[index] = call(*args)

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def approved_job(advisor, *, part=None):
    order = make_order(advisor=advisor)
    job = wo.add_job(
        advisor, order, title="Brake pads", labor_hours=D("1"), category="minor_repair"
    )
    if part is not None:
        wo.add_part_line(advisor, order, job, part_number=part.part_number, quantity=D("1"))
    assert order.status == "estimating"
    db.session.commit()
    return order, job


def test_two_technicians_clock_on_the_same_job(live_server, token_for):
    advisor = make_user(roles=["advisor"])
    for _ in range(3):
        order, job = approved_job(advisor)
        wo.authorize_jobs(
            advisor,
            order,
            approved_job_ids=[job.id],
            declined_job_ids=[],
            authorized_by="Owner",
            method="in_person",
            signature=SIGNATURE,
            amount=D("226.00"),
        )
        db.session.commit()
        first, second = token_for("technician"), token_for("technician")
        path = f"/api/v1/jobs/{job.id}/clock-on"
        results = at_once([(live_server, path, first, {}), (live_server, path, second, {})])
        # The loser finds the job taken (409), or already out of sight as another's (404).
        assert sorted(status for status, _ in results) in ([200, 404], [200, 409]), results
        db.session.commit()
        clocks = db.session.scalar(
            select(func.count(TimeClock.id)).where(TimeClock.job_id == job.id)
        )
        assert clocks == 1


def test_two_desks_open_orders_at_the_same_moment(live_server, token_for):
    desks = [token_for("advisor") for _ in range(6)]
    vehicles = [make_vehicle() for _ in desks]
    results = at_once(
        [
            (
                live_server,
                "/api/v1/work-orders",
                headers,
                {
                    "vehicle_id": v.id,
                    "odometer_km": v.odometer_km,
                    "fuel_level": 1,
                    "concern": "Service",
                },
            )
            for headers, v in zip(desks, vehicles, strict=True)
        ]
    )
    assert [status for status, _ in results] == [201] * 6, results
    numbers = [body["number"] for _, body in results]
    assert len(set(numbers)) == 6
    assert sorted(int(n[-6:]) for n in numbers) == list(range(1, 7))


def test_a_double_clicked_authorization_counts_once(live_server, token_for):
    advisor = make_user(roles=["advisor"])
    order, job = approved_job(advisor)
    headers = token_for("advisor")
    body = {
        "approved_job_ids": [job.id],
        "authorized_by": "Owner",
        "method": "phone",
        "phone": "13912345678",
        "amount": "226.00",
    }
    path = f"/api/v1/work-orders/{order.id}/authorizations"
    results = at_once([(live_server, path, headers, body), (live_server, path, headers, body)])
    statuses = sorted(status for status, _ in results)
    assert statuses[0] == 201 and statuses[1] in (409, 422), results
    db.session.commit()
    assert (
        db.session.scalar(
            select(func.count(Authorization.id)).where(Authorization.work_order_id == order.id)
        )
        == 1
    )


def test_two_approvals_race_for_the_last_unit(live_server, token_for):
    advisor = make_user(roles=["advisor"])
    part = make_part(on_hand="1")
    orders = [approved_job(advisor, part=part) for _ in range(2)]
    headers = token_for("advisor")
    results = at_once(
        [
            (
                live_server,
                f"/api/v1/work-orders/{order.id}/authorizations",
                headers,
                {
                    "approved_job_ids": [job.id],
                    "authorized_by": "Owner",
                    "method": "phone",
                    "phone": "13912345678",
                    "amount": str(wo.total_if_all_approved(order)),
                },
            )
            for order, job in orders
        ]
    )
    assert [status for status, _ in results] == [201, 201], results
    db.session.commit()
    assert db.session.get(Part, part.id).reserved == D("1")
    flags = sorted(db.session.get(Job, job.id).waiting_for_parts for _, job in orders)
    assert flags == [False, True]
    assert all(db.session.get(WorkOrder, o.id).status == "in_progress" for o, _ in orders)
