"""Many desks and counters move one part's stock at once over real HTTP: reservations,
releases, issues, returns, receipts, stocktakes and write-offs. After every run the part's
counters equal what its ledger rows add up to, and every parts line equals its own rows."""

import random
import threading
import time
from collections import Counter
from decimal import Decimal as D

from sqlalchemy import select

from dealer.extensions import db
from parts import stock
from parts.models import Part, StockMovement
from tests.factories import make_part, make_user
from tests.workorders.test_races import approved_job, call
from workorders import services as wo
from workorders.models import Job, PartLine, WorkOrder

ROUNDS = 3
THREADS = 8
OPERATIONS_PER_THREAD = 16


def open_orders(advisor, count: int) -> list[tuple[int, int]]:
    orders = []
    for _ in range(count):
        order, job = approved_job(advisor)
        order.not_to_exceed = D("100000")
        wo.authorize_jobs(
            advisor,
            order,
            approved_job_ids=[job.id],
            declined_job_ids=[],
            authorized_by="Owner",
            method="phone",
            phone="13912345678",
            amount=D("100000"),
        )
        db.session.commit()
        orders.append((order.id, job.id))
    return orders


def line_ids(order_id: int) -> list[int]:
    db.session.commit()
    return list(db.session.scalars(select(PartLine.id).where(PartLine.work_order_id == order_id)))


def check_ledger(part_id: int) -> None:
    db.session.commit()
    part = db.session.get(Part, part_id)
    db.session.refresh(part)
    on_hand, reserved = stock.ledger_figures(part_id)
    assert (part.on_hand, part.reserved) == (on_hand, reserved)
    assert D("0") <= part.reserved <= part.on_hand
    lines = db.session.scalars(select(PartLine).where(PartLine.part_id == part_id)).all()
    assert sum((line.reserved_quantity for line in lines), D("0")) == part.reserved
    for line in lines:
        db.session.refresh(line)
        moved = Counter()
        for kind, quantity in db.session.execute(
            select(StockMovement.kind, StockMovement.quantity).where(
                StockMovement.part_line_id == line.id
            )
        ):
            moved[kind] += quantity
        assert moved["reservation"] - moved["release"] - moved["issue"] == line.reserved_quantity
        assert moved["issue"] - moved["return"] == line.issued_quantity
        assert moved["return"] == line.returned_quantity


class Run:
    """One run: open orders, and threads that fire random ledger operations at them."""

    def __init__(self, base: str, part_id: int, part_number: str, tokens: dict, orders):
        self.base, self.part_id, self.part_number = base, part_id, part_number
        self.tokens, self.orders = tokens, orders
        self.lines = {order_id: line_ids(order_id) for order_id, _ in orders}
        self.doomed = orders[-1][0]
        self.lock = threading.Lock()
        self.barrier = threading.Barrier(THREADS)
        self.figures: Counter = Counter()

    def request(self, kind: str, rng: random.Random, order_id: int, job_id: int, known: list):
        if kind == "reserve":
            status, body = call(
                self.base,
                f"/api/v1/work-orders/{order_id}/parts",
                self.tokens["desk"],
                {"part_number": self.part_number, "quantity": "1", "job_id": job_id},
            )
            if status == 201:
                with self.lock:
                    self.lines[order_id].append(body["id"])
            return status
        if kind in ("issue", "return"):
            if not known:
                return None
            line = rng.choice(known)
            path = f"/api/v1/work-orders/{order_id}/parts/{line}/"
            if kind == "issue":
                return call(self.base, path + "issue", self.tokens["counter"], {})[0]
            return call(self.base, path + "returns", self.tokens["counter"], {"quantity": "1"})[0]
        if kind == "receipt":
            return call(
                self.base,
                f"/api/v1/parts/{self.part_id}/receipts",
                self.tokens["counter"],
                {"quantity": "2", "unit_cost": "41.00"},
            )[0]
        if kind in ("count", "write_off"):
            out = kind == "write_off" or rng.random() < 0.5
            return call(
                self.base,
                f"/api/v1/parts/{self.part_id}/adjustments",
                self.tokens["counter"],
                {
                    "quantity": "-1" if out else "1",
                    "reason": "Stocktake",
                    "write_off": kind == "write_off",
                },
            )[0]
        return call(
            self.base,
            f"/api/v1/work-orders/{self.doomed}/transitions",
            self.tokens["manager"],
            {"to": "cancelled", "reason": "Customer took the car away"},
        )[0]

    def work(self, seed: int) -> None:
        rng = random.Random(seed)
        self.barrier.wait()
        for _ in range(OPERATIONS_PER_THREAD):
            order_id, job_id = rng.choice(self.orders)
            with self.lock:
                known = list(self.lines[order_id])
            kind = rng.choice(KINDS)
            status = self.request(kind, rng, order_id, job_id, known)
            if status is not None:
                with self.lock:
                    self.figures[(kind, status)] += 1

    def fire(self, seed: int) -> Counter:
        threads = [threading.Thread(target=self.work, args=(seed + n,)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        return self.figures


KINDS = [
    "reserve",
    "reserve",
    "issue",
    "issue",
    "return",
    "receipt",
    "count",
    "write_off",
    "cancel",
]


def test_the_ledger_holds_under_concurrent_mixed_operations(live_server, token_for):
    advisor = make_user(roles=["advisor"])
    part = make_part(on_hand="0")
    stock.receive(None, part, D("6"), D("40.00"))
    db.session.commit()
    tokens = {
        "desk": token_for("advisor"),
        "counter": token_for("parts"),
        "manager": token_for("manager"),
    }
    figures: Counter = Counter()
    started = time.monotonic()
    for round_number in range(ROUNDS):
        run = Run(live_server, part.id, part.part_number, tokens, open_orders(advisor, 5))
        figures += run.fire(round_number * 100)
        check_ledger(part.id)
    elapsed = time.monotonic() - started
    operations = sum(figures.values())
    print(
        f"\nledger stress: {operations} operations in {ROUNDS} runs of {THREADS} threads, "
        f"{elapsed:.1f} s; invariant held after every run"
    )
    print(
        "  " + ", ".join(f"{kind} {status}: {n}" for (kind, status), n in sorted(figures.items()))
    )
    assert not [key for key in figures if key[1] >= 500], figures
    succeeded = {kind for (kind, status), n in figures.items() if status < 300}
    assert {"reserve", "issue", "return", "receipt", "count", "cancel"} <= succeeded, figures


def test_two_issues_of_one_line_take_it_once(live_server, token_for):
    from tests.workorders.test_races import at_once

    advisor = make_user(roles=["advisor"])
    part = make_part(on_hand="0")
    stock.receive(None, part, D("6"), D("40.00"))
    db.session.commit()
    counter = token_for("parts")
    for _ in range(3):
        (order_id, job_id), other = open_orders(advisor, 2)
        mine = wo.add_part_line(
            advisor,
            db.session.get(WorkOrder, order_id),
            db.session.get(Job, job_id),
            part_number=part.part_number,
            quantity=D("1"),
        )
        theirs = wo.add_part_line(
            advisor,
            db.session.get(WorkOrder, other[0]),
            db.session.get(Job, other[1]),
            part_number=part.part_number,
            quantity=D("1"),
        )
        db.session.commit()
        path = f"/api/v1/work-orders/{order_id}/parts/{mine.id}/issue"
        results = at_once([(live_server, path, counter, {}), (live_server, path, counter, {})])
        assert sorted(status for status, _ in results) == [200, 409], results
        check_ledger(part.id)
        db.session.refresh(theirs)
        assert theirs.reserved_quantity == D("1")
        issued = call(
            live_server,
            f"/api/v1/work-orders/{other[0]}/parts/{theirs.id}/issue",
            counter,
            {},
        )
        assert issued[0] == 200, issued
        check_ledger(part.id)
