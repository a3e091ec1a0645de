"""How long the manager's dashboard and reports take over ten years of a dealer group.

Creates a scratch PostgreSQL database on the server ``DATABASE_URL`` names
(dropped afterwards) and fills it in SQL with ``generate_series``:
``--customers`` customers with a vehicle each, ``--work-orders`` orders
over ten years (almost all delivered, the last days' still in the
workshop), a job, a parts line, a time clock and an authorization per
order, and callbacks and complaints. Then, signed in as a manager, times
the Today dashboard, the reports page for the last month and for the last
year, and ``/api/v1/reports/summary`` for a year. Prints median and p95.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        .venv/bin/python bench/dashboard.py --work-orders 1000000 --customers 300000
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade
from sqlalchemy import text

from bench.calllist import timed
from bench.search import scratch_database
from dealer import create_app, services
from dealer.extensions import db

FILL = """
INSERT INTO customers (site_id, kind, name, name_key, phone, phone_digits, preferred_language,
  preferred_channel, callback_consent, marketing_consent, created_at, updated_at, spend_12m,
  visits_12m, lifetime_spend, vip_tier)
SELECT 1, 'person', 'Customer ' || n, 'customer ' || n, '+86139' || lpad(n::text, 8, '0'),
  '86139' || lpad(n::text, 8, '0'), 'zh_Hans', 'phone', true, false, now(), now(), 0, 0, 0,
  CASE WHEN n % 20 = 0 THEN 'Gold' END
FROM generate_series(1, :customers) AS n;

INSERT INTO vehicles (site_id, customer_id, vin, plate, plate_key, make, model, vehicle_class,
  odometer_km, created_at)
SELECT 1, n, 'LSVAB2180E' || lpad(n::text, 7, '0'), '沪A' || lpad(n::text, 6, '0'),
  '沪A' || lpad(n::text, 6, '0'), 'Volkswagen', 'Passat', 'car', 20000 + n % 100000, now()
FROM generate_series(1, :customers) AS n;

INSERT INTO work_orders (site_id, number, customer_id, vehicle_id, advisor_id, status, version,
  received_at, odometer_in, fuel_level, concern, authorized_amount, tax_rate, labor_rate,
  created_at, promised_at, delivered_at, final_total, odometer_out)
SELECT 1, 'WO-B-' || lpad(n::text, 8, '0'), 1 + n % :customers, 1 + n % :customers,
  a.ids[1 + n % array_length(a.ids, 1)],
  CASE WHEN n > :orders - 300 THEN (ARRAY['intake','estimating','awaiting_approval',
    'in_progress','quality_check','ready'])[1 + n % 6] ELSE 'delivered' END,
  1, t, 20000 + n % 100000, 50, 'Service', 100000, 1300, 20000, t,
  t + interval '6 hours',
  CASE WHEN n > :orders - 300 THEN NULL
    ELSE t + interval '5 hours' + (n % 3) * interval '1 hour' END,
  CASE WHEN n > :orders - 300 THEN NULL ELSE 50000 + (n % 400) * 100 END,
  CASE WHEN n > :orders - 300 THEN NULL ELSE 20100 + n % 100000 END
FROM (SELECT n, now() - interval '3650 days' * ((:orders - n)::float / :orders) AS t
      FROM generate_series(1, :orders) AS n) s
CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM users WHERE username LIKE 'advisor%') a;

INSERT INTO jobs (work_order_id, version, title, is_diagnosis, labor_hours, labor_rate, category,
  pay_type, requires_road_test, status, technician_id, waiting_for_parts, created_at,
  proposed_by_id)
SELECT w.id, 1, 'Service', false, 150, 20000, 'level1_maintenance', 'customer', false,
  CASE WHEN w.status = 'delivered' THEN (CASE WHEN w.id % 10 = 0 THEN 'declined' ELSE 'done' END)
    ELSE 'approved' END,
  t.ids[1 + w.id % array_length(t.ids, 1)], w.id % 50 = 0, w.created_at,
  CASE WHEN w.id % 7 = 0 THEN t.ids[1] END
FROM work_orders w
CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM users WHERE username LIKE 'tech%') t;

INSERT INTO part_lines (work_order_id, job_id, part_id, part_number, name, quantity, unit,
  unit_price, unit_cost, condition, reserved_quantity, issued_quantity, returned_quantity,
  created_at)
SELECT j.work_order_id, j.id, (SELECT min(id) FROM parts), 'P-1', 'Oil filter', 1000, 'pcs',
  6800, 4000, 'new_genuine', 0, 1000, 0, j.created_at
FROM jobs j;

INSERT INTO time_clocks (job_id, work_order_id, technician_id, started_at, ended_at)
SELECT j.id, j.work_order_id, j.technician_id, j.created_at + interval '1 hour',
  j.created_at + interval '2 hours 20 minutes'
FROM jobs j WHERE j.status = 'done';

INSERT INTO authorizations (work_order_id, authorized_by, method, amount, amount_added,
  approved_job_ids, declined_job_ids, supplementary, at)
SELECT w.id, 'Owner', 'phone', 50000, 50000, '[]', '[]', false, w.created_at + interval '1 hour'
FROM work_orders w;

UPDATE work_orders SET
  hours_sold = CASE WHEN id % 10 = 0 THEN 0 ELSE 150 END,
  clocked_seconds = CASE WHEN id % 10 = 0 THEN 0 ELSE 4800 END,
  parts_sales = CASE WHEN id % 10 = 0 THEN 0 ELSE 6800 END,
  parts_cost = CASE WHEN id % 10 = 0 THEN 0 ELSE 4000 END,
  declined_value = CASE WHEN id % 10 = 0 THEN 36800 ELSE 0 END,
  first_approved = 50000,
  proposed_approved = CASE WHEN id % 7 = 0 AND id % 10 <> 0 THEN 1 ELSE 0 END,
  proposed_decided = CASE WHEN id % 7 = 0 THEN 1 ELSE 0 END
WHERE status = 'delivered';

INSERT INTO callbacks (site_id, customer_id, kind, status, due_at, priority, attempts, created_at,
  plan_key, outcome, closed_at, assignee_id)
SELECT 1, 1 + n % :customers, 'satisfaction',
  CASE WHEN n > :callbacks - 5000 THEN 'open' ELSE 'done' END,
  now() - interval '1 day' * ((:callbacks - n) / 50.0), 0, 1, now(), 'bench:' || n,
  CASE WHEN n > :callbacks - 5000 THEN NULL ELSE 'reached' END,
  CASE WHEN n > :callbacks - 5000 THEN NULL
    ELSE now() - interval '1 day' * (:callbacks - n) / 50 END,
  CASE WHEN n % 2 = 0 THEN (SELECT min(id) FROM users WHERE username LIKE 'callback%') END
FROM generate_series(1, :callbacks) AS n;

INSERT INTO complaints (site_id, customer_id, channel, description, status, received_at,
  received_by_id, owner_id, first_reply_due, first_reply_at)
SELECT 1, 1 + n % :customers, 'desk', 'Complaint ' || n,
  CASE WHEN n > 19950 THEN 'open' ELSE 'resolved' END, now() - interval '1 hour' * (20000 - n),
  (SELECT min(id) FROM users WHERE username = 'manager'),
  (SELECT min(id) FROM users WHERE username = 'manager'),
  now() - interval '1 hour' * (20000 - n) + interval '4 hours',
  CASE WHEN n > 19950 THEN NULL
    ELSE now() - interval '1 hour' * (20000 - n) + interval '2 hours' END
FROM generate_series(1, 20000) AS n;
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work-orders", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=300_000)
    parser.add_argument("--callbacks", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith("postgresql"):
        raise SystemExit("set DATABASE_URL to a PostgreSQL server")
    url, cleanup = scratch_database(server)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    try:
        with app.app_context():
            upgrade()
            from demo.dealership import load_demo_data

            load_demo_data()
            services.create_user(
                None,
                username="boss",
                password="dashboard-secret",
                data=services.StaffInput(full_name="Boss", roles=["manager"]),
                site=services.default_site(),
            )
            _, token = services.create_token(services.find_user("boss"))
            db.session.commit()
            started = time.perf_counter()
            with db.engine.begin() as conn:
                for statement in FILL.split(";\n"):
                    if statement.strip():
                        conn.execute(
                            text(statement),
                            {
                                "customers": args.customers,
                                "orders": args.work_orders,
                                "callbacks": args.callbacks,
                            },
                        )
            with db.engine.connect() as conn:
                conn.execute(text("ANALYZE"))
                conn.commit()
            counted = db.session.execute(text("SELECT count(*) FROM work_orders")).scalar_one()
            print(
                f"filled {counted} work orders, {args.customers} customers, {args.callbacks} "
                f"callbacks in {time.perf_counter() - started:.0f} s"
            )
        client = app.test_client()
        client.post("/login", data={"username": "boss", "password": "dashboard-secret"})
        headers = {"Authorization": f"Bearer {token}"}
        today = time.strftime("%Y-%m-%d")
        month_ago = time.strftime("%Y-%m-%d", time.localtime(time.time() - 30 * 86400))
        year_ago = time.strftime("%Y-%m-%d", time.localtime(time.time() - 365 * 86400))
        paths = {
            "dashboard (Today)": ("/dashboard", {}),
            "reports, last month": (f"/reports?from={month_ago}&to={today}", {}),
            "reports, last year by month": (f"/reports?from={year_ago}&to={today}&unit=month", {}),
            "API summary, last year": (
                f"/api/v1/reports/summary?from={year_ago}&to={today}",
                headers,
            ),
        }
        for label, (path, extra) in paths.items():

            def get(path=path, extra=extra):
                response = client.get(path, headers=extra)
                assert response.status_code == 200, (path, response.status_code)

            median, p95 = timed(get, args.runs)
            print(f"{label:<32} median {median:8.1f} ms   p95 {p95:8.1f} ms")
    finally:
        with app.app_context():
            db.engine.dispose()
        cleanup()


if __name__ == "__main__":
    main()
