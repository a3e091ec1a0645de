"""Front-desk search time at a given number of customers.

Loads N customers with a vehicle each into a scratch database (a SQLite
file by default, or a new database on the PostgreSQL server that
``DATABASE_URL`` names, dropped afterwards), then times the one search box
the desk uses, by name, phone in another format, plate with other
spacing and VIN tail, through the real page (``/customers?q=``) and the
API. Prints the median and the 95th percentile per kind of query.

With ``--campaign-vins N`` a recall names N VINs (one car in ten of those loaded, the rest
cars the dealer has never seen) and a third of the cars have a recent sale date, so each page
of results asks for its cars' open campaigns and three-guarantee watch; the times are then
printed with the flags and again with the flags' receivers disconnected (the search as it was
before them), the two taken in turn for each kind of query so that both meet the same load,
after a first pass that warms the caches. The API's list carries no flags: its two columns
show how far the run's noise goes.
On PostgreSQL the tables are analyzed after loading, as autovacuum would.

    .venv/bin/python bench/search.py --customers 10000
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python bench/search.py --customers 300000 --campaign-vins 100000
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade
from sqlalchemy import create_engine, insert, text

from customers import notices
from customers.models import Customer, Vehicle
from customers.services import name_key, plate_key
from customers.vin import with_check_digit
from dealer import create_app, services
from dealer.extensions import db
from warranty import campaigns, sanbao

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = "伟娜敏洋静磊丽强杰芳明悦超琳斌涛峰丹爽佳凯婷雪宁"
ENGLISH = ["James", "Emma", "Oliver", "Sophie", "Daniel", "Laura", "Grace", "Peter"]
FAMILY = ["Wilson", "Thompson", "Brown", "Martin", "Clark", "Evans", "Lee", "Miller"]
REGIONS = ["沪A", "沪B", "沪C", "京A", "苏E", "浙A"]


def load(count: int, rng: random.Random) -> list[dict]:
    """Insert ``count`` customers with one vehicle each, in bulk; return a sample of them."""
    site = services.default_site()
    services.settings_for(site.id)
    db.session.commit()
    sample = []
    batch = 2000
    for start in range(0, count, batch):
        customers, vehicles = [], []
        for n in range(start, min(start + batch, count)):
            if n % 5 == 0:
                name = f"{rng.choice(ENGLISH)} {rng.choice(FAMILY)} {n}"
            else:
                name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
            phone = f"+86139{n:08d}"
            customers.append(
                {
                    "id": n + 1,
                    "site_id": site.id,
                    "kind": "person",
                    "name": name,
                    "name_key": name_key(name),
                    "phone": phone,
                    "phone_digits": phone[1:],
                    "preferred_language": "zh_Hans",
                    "preferred_channel": "phone",
                    "callback_consent": True,
                    "marketing_consent": False,
                }
            )
            plate = f"{rng.choice(REGIONS)}{n:05d}"
            vin = vin_of(n)
            vehicles.append(
                {
                    "site_id": site.id,
                    "customer_id": n + 1,
                    "vin": vin,
                    "plate": plate,
                    "plate_key": plate_key(plate),
                    "make": "Volkswagen",
                    "model": "Passat",
                    "vehicle_class": "car",
                    "odometer_km": rng.randint(1000, 200000),
                    "sold_on": sold_on(n),
                }
            )
            if rng.random() < 200 / count:
                sample.append({"name": name, "phone": phone, "plate": plate, "vin": vin})
        now = services.utcnow()
        for row in customers:
            row["created_at"] = row["updated_at"] = now
        for row in vehicles:
            row["created_at"] = now
        db.session.execute(insert(Customer), customers)
        db.session.execute(insert(Vehicle), vehicles)
        db.session.commit()
    return sample


def vin_of(n: int) -> str:
    return with_check_digit(f"LSVAB2180E2{n:06d}")


SOLD = None
"""When the cars get sale dates (``--campaign-vins``): a third sold within two years."""


def sold_on(n: int):
    if SOLD is None or n % 3:
        return None
    return SOLD - timedelta(days=n % 700)


def load_campaign(count: int, vins: int) -> None:
    """A recall naming ``vins`` VINs: one loaded car in ten, then cars never seen here."""
    site = services.default_site()
    recall = campaigns.create_campaign(
        None,
        site.id,
        campaigns.CampaignInput(
            code="RC-BENCH", kind="recall", title="Airbag inflator", labor_hours=Decimal("1")
        ),
    )
    ours = [vin_of(n) for n in range(0, count, 10)][:vins]
    strangers = [with_check_digit(f"LFVAB2180F3{n:06d}") for n in range(max(vins - len(ours), 0))]
    campaigns.add_vins(None, recall, [*ours, *strangers])
    db.session.commit()


def queries(sample: list[dict]) -> dict[str, list[str]]:
    """The texts an advisor types, per kind of search."""

    def spaced_phone(p: str) -> str:
        national = p[3:]
        return f"{national[:3]} {national[3:7]} {national[7:]}"

    return {
        "name": [s["name"].split()[0] if " " in s["name"] else s["name"] for s in sample],
        "phone (other format)": [spaced_phone(s["phone"]) for s in sample],
        "phone (last 4)": [s["phone"][-4:] for s in sample],
        "plate (spacing, case)": [s["plate"][:2].lower() + " " + s["plate"][2:] for s in sample],
        "VIN (last 6)": [s["vin"][-6:] for s in sample],
        "VIN (whole)": [s["vin"] for s in sample],
    }


def timed(fn, texts: list[str]) -> tuple[float, float]:
    durations = []
    for typed in texts:
        started = time.perf_counter()
        fn(typed)
        durations.append((time.perf_counter() - started) * 1000)
    durations.sort()
    return statistics.median(durations), durations[int(len(durations) * 0.95) - 1]


def scratch_database(server_url: str | None):
    """A fresh database to fill: a SQLite file, or a new database on the PostgreSQL server."""
    if not server_url or server_url.startswith("sqlite"):
        folder = tempfile.TemporaryDirectory()
        return f"sqlite:///{folder.name}/bench.db", folder.cleanup
    name = f"bench_search_{os.getpid()}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return server_url.rsplit("/", 1)[0] + "/" + name, drop


def main() -> None:
    global SOLD
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=10000)
    parser.add_argument("--campaign-vins", type=int, default=0)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if args.campaign_vins:
        SOLD = date.today()
    url, cleanup = scratch_database(os.environ.get("DATABASE_URL"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    rng = random.Random(args.seed)
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        sample = load(args.customers, rng)
        print(
            f"loaded {args.customers} customers with a vehicle each in "
            f"{time.perf_counter() - started:.1f} s on {db.engine.dialect.name}"
        )
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        if args.campaign_vins:
            started = time.perf_counter()
            load_campaign(args.customers, args.campaign_vins)
            if db.engine.dialect.name == "postgresql":
                db.session.execute(text("ANALYZE campaign_vins"))
                db.session.commit()
            print(
                f"named {args.campaign_vins} VINs in a recall in "
                f"{time.perf_counter() - started:.1f} s"
            )
        user = services.create_user(
            None,
            username="bench",
            password="desk-search-secret",
            data=services.StaffInput(full_name="Bench", roles=["advisor"]),
            site=services.default_site(),
        )
        _, token = services.create_token(user)
        db.session.commit()
    client = app.test_client()
    client.post("/login", data={"username": "bench", "password": "desk-search-secret"})
    headers = {"Authorization": f"Bearer {token}"}

    def page(text):
        response = client.get("/customers", query_string={"q": text})
        assert response.status_code == 200 and "results" in response.get_data(as_text=True), text

    def api(text):
        response = client.get("/api/v1/customers", query_string={"q": text}, headers=headers)
        assert response.status_code == 200 and response.json["total"] >= 1, text

    flags = (
        (notices.vehicle_notices, campaigns.vehicle_notices),
        (notices.vehicle_notices, sanbao.vehicle_notices),
    )
    runs = ("with the flags", "without them") if args.campaign_vins else ("",)
    print(
        f"{'query':24} {'':15} {'page p50':>9} {'page p95':>9} {'API p50':>9} {'API p95':>9}"
        f"  (ms, {len(sample)} each)",
        flush=True,
    )
    for texts in queries(sample).values():
        for typed in texts[:20]:
            page(typed)
            api(typed)
    for kind, texts in queries(sample).items():
        for run in runs:
            for hook, receiver in flags:
                (hook.disconnect if run == "without them" else hook.connect)(receiver)
            page_p50, page_p95 = timed(page, texts)
            api_p50, api_p95 = timed(api, texts)
            print(
                f"{kind:24} {run:15} {page_p50:9.1f} {page_p95:9.1f} {api_p50:9.1f} {api_p95:9.1f}",
                flush=True,
            )
    for hook, receiver in flags:
        hook.connect(receiver)
    cleanup()


if __name__ == "__main__":
    main()
