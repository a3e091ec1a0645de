"""How long the call list takes to build at a large dealer group's size.

Loads ``--customers`` customers with a vehicle each (default 200,000) and
``--callbacks`` open callbacks (default 50,000: spread from ten days
overdue to twenty days ahead, 5% of customers VIP, a tenth of the calls
complaint follow-ups, shared among ten agents and a pool) into a scratch
database: a SQLite file, or a new database on the PostgreSQL server that
``DATABASE_URL`` names (dropped afterwards). Then times, per agent, the
call list's query with its first page of 30 (customers, vehicles and
earlier attempts loaded), the shared pool, and the call list page as a
signed-in agent sees it. Prints the median and the 95th percentile.

    .venv/bin/python bench/calllist.py --customers 200000 --callbacks 50000
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade
from sqlalchemy import insert, text, update

from bench.search import load, scratch_database
from care import callbacks as calls
from care.models import Callback
from customers.models import Customer
from dealer import create_app, services
from dealer.extensions import db

KINDS = ("satisfaction", "declined_work", "service_reminder", "vip_care", "complaint_follow_up")


def load_callbacks(count: int, customers: int, agents: list, rng: random.Random) -> None:
    site = services.default_site().id
    now = services.utcnow()
    batch = []
    for n in range(count):
        kind = "complaint_follow_up" if rng.random() < 0.1 else rng.choice(KINDS[:4])
        assignee = rng.choice([*agents, None])
        batch.append(
            {
                "site_id": site,
                "customer_id": rng.randint(1, customers),
                "vehicle_id": None,
                "kind": kind,
                "status": "open",
                "due_at": now + timedelta(minutes=rng.randint(-10 * 24 * 60, 20 * 24 * 60)),
                "priority": 0,
                "assignee_id": assignee.id if assignee else None,
                "attempts": 0,
                "plan_key": f"bench:{n}",
                "created_at": now,
            }
        )
        if len(batch) == 5000:
            db.session.execute(insert(Callback), batch)
            batch = []
    if batch:
        db.session.execute(insert(Callback), batch)
    vip_ids = rng.sample(range(1, customers + 1), customers // 20)
    for start in range(0, len(vip_ids), 5000):
        chunk = vip_ids[start : start + 5000]
        db.session.execute(update(Customer).where(Customer.id.in_(chunk)).values(vip_tier="Gold"))
        db.session.execute(
            update(Callback).where(Callback.customer_id.in_(chunk)).values(priority=1)
        )
    db.session.commit()


def timed(fn, runs: int) -> tuple[float, float]:
    durations = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        durations.append((time.perf_counter() - started) * 1000)
    durations.sort()
    return statistics.median(durations), durations[max(int(len(durations) * 0.95) - 1, 0)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=200_000)
    parser.add_argument("--callbacks", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    url, cleanup = scratch_database(os.environ.get("DATABASE_URL"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    rng = random.Random(args.seed)
    try:
        with app.app_context():
            upgrade()
            started = time.perf_counter()
            load(args.customers, rng)
            agents = [
                services.create_user(
                    None,
                    username=f"agent{n}",
                    password="call-list-secret",
                    data=services.StaffInput(full_name=f"Agent {n}", roles=["callback"]),
                    site=services.default_site(),
                )
                for n in range(10)
            ]
            db.session.commit()
            load_callbacks(args.callbacks, args.customers, agents, rng)
            if db.engine.dialect.name == "postgresql":
                with db.engine.connect() as conn:
                    conn.execute(text("ANALYZE")).close()
                    conn.commit()
            print(
                f"loaded {args.customers} customers and {args.callbacks} open callbacks in "
                f"{time.perf_counter() - started:.1f} s on {db.engine.dialect.name}"
            )
            site = services.default_site().id
            agent = agents[0]

            def first_page(scope):
                def run():
                    stmt = calls.call_list(site, agent, scope=scope, time_zone="Asia/Shanghai")
                    page = db.paginate(stmt, page=1, per_page=30, error_out=False)
                    assert page.items
                    loaded = [(c.customer.name, len(c.history)) for c in page.items]
                    assert len(loaded) == len(page.items)
                    db.session.rollback()

                return run

            for label, scope in (("one agent's list", "mine"), ("shared pool", "pool")):
                median, p95 = timed(first_page(scope), args.runs)
                print(f"{label:<28} median {median:7.1f} ms   p95 {p95:7.1f} ms")
        client = app.test_client()
        client.post("/login", data={"username": "agent0", "password": "call-list-secret"})

        def page():
            response = client.get("/callbacks")
            assert response.status_code == 200 and "call-item" in response.get_data(as_text=True)

        median, p95 = timed(page, args.runs)
        print(f"{'call list page (HTTP)':<28} median {median:7.1f} ms   p95 {p95:7.1f} ms")
    finally:
        with app.app_context():
            db.engine.dispose()
        cleanup()


if __name__ == "__main__":
    main()
