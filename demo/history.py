"""A dealer group's history in bulk: years of customers, cars, work orders and care.

``generate()`` writes the rows directly, in batches (``COPY`` on PostgreSQL,
``executemany`` on SQLite), because going through the operations one order
at a time would take hours at a million orders. The history still follows
the product's rules: every order's amounts are the totals arithmetic's
(labor and parts rounded per line, tax half-up on the customer-pay base),
the settled figures of delivered orders are what ``settle_figures`` keeps,
customers' spend, visits and VIP tiers are what the nightly refresh
computes, and numbers continue the database's sequences. The tests check
a generated history against those functions.

Amounts are priced by the totals module, as the application prices them, and written in
the columns' minor units (see ``demo.visits``).
"""

import json
import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import column, select, text, update
from sqlalchemy import table as sql_table

from care import vip
from customers.vin import with_check_digit
from dealer import services
from dealer.auth import hash_password
from dealer.extensions import db
from dealer.models import User, UserRole
from demo.catalogue import (
    ACTIVE,
    COLOURS,
    COMPLAINTS,
    DEMO_PARTS,
    DEMO_PASSWORD,
    ENGLISH_NAMES,
    EXTRA_PARTS,
    GIVEN,
    GROUP_PLATE_REGIONS,
    LOCAL,
    MOBILE_PREFIXES,
    MODELS,
    OPERATIONS,
    PLATE_LETTERS,
    RESOLUTIONS,
    SURNAMES,
    demo_vin,
)
from demo.visits import Staff, VehiclePlan, write_visit
from demo.writer import BATCH, COLUMNS, ORDER, STAGED, Counts, Writer
from parts.models import Part
from parts.stock import create_part


def _staff(site_id: int, count_orders: int) -> Staff:
    """The group's people: the demo staff plus enough advisors and technicians for the volume
    (one advisor per 25,000 orders over the years, two technicians per advisor), sharing the
    demo password."""
    wanted = {
        "advisor": max(2, min(40, count_orders // 25000)),
        "technician": max(2, min(80, count_orders // 12500)),
        "inspector": max(1, min(10, count_orders // 100000)),
        "callback": max(1, min(10, count_orders // 100000)),
    }
    prefixes = {"advisor": "advisor", "technician": "tech", "inspector": "inspector"}
    prefixes["callback"] = "callback"
    password = None
    for role, count in wanted.items():
        have = db.session.scalars(
            select(User).join(UserRole).where(UserRole.role == role, User.site_id == site_id)
        ).all()
        for n in range(len(have) + 1, count + 1):
            username = f"{prefixes[role]}{n}"
            if services.find_user(username) is not None:
                continue
            password = password or hash_password(DEMO_PASSWORD)
            user = User(
                username=username,
                full_name=f"{role.title()} {n}",
                site_id=site_id,
                password_hash=password,
                language="zh_Hans",
            )
            db.session.add(user)
            db.session.flush()
            db.session.add(UserRole(user_id=user.id, role=role))
    db.session.flush()

    def ids(role: str) -> list[int]:
        return list(
            db.session.scalars(
                select(User.id)
                .join(UserRole)
                .where(UserRole.role == role, User.site_id == site_id, User.active.is_(True))
                .order_by(User.id)
            )
        )

    return Staff(
        advisors=ids("advisor"),
        technicians=ids("technician"),
        inspectors=ids("inspector"),
        agents=ids("callback"),
        manager=ids("manager")[0],
    )


def _parts(site_id: int) -> dict[str, tuple[int, str, str, str, int, int]]:
    """The catalogue by part number: (id, number, name, unit, cost, price), extended with
    :data:`EXTRA_PARTS`."""
    existing = {p.part_number for p in db.session.scalars(select(Part))}
    catalogue = [
        (number, name, name_zh, unit, Decimal(cost), Decimal(price))
        for number, name, name_zh, unit, cost, price, _stock in DEMO_PARTS
    ] + [
        (number, name, name_zh, unit, Decimal(cost) / 100, Decimal(price) / 100)
        for number, name, name_zh, unit, cost, price in EXTRA_PARTS
    ]
    for number, name, name_zh, unit, cost, price in catalogue:
        if number not in existing:
            create_part(
                None,
                site_id,
                part_number=number,
                name=name,
                name_zh=name_zh,
                unit=unit,
                unit_cost=cost,
                unit_price=price,
            )
    db.session.flush()
    return {
        p.part_number: (
            p.id,
            p.part_number,
            p.name,
            p.unit,
            int(p.unit_cost * 100),
            int(p.unit_price * 100),
        )
        for p in db.session.scalars(select(Part).where(Part.site_id == site_id))
    }


class History:
    """Builds the rows of one generated history; see :func:`generate`."""

    def __init__(self, writer: Writer, *, customers: int, work_orders: int, seed: int, now):
        self.w = writer
        self.rng = random.Random(seed)
        self.customers = customers
        self.orders = work_orders
        self.now = now
        self.start = now - timedelta(days=3652)
        self.span = (now - self.start).total_seconds() - 2 * 86400
        """The history's orders fall in the ten years up to two days ago."""
        site = services.default_site()
        self.site_id = site.id
        self.settings = services.settings_for(site.id)
        self.labor_rate = int(self.settings.labor_rate * 100)
        self.tax_rate = int(self.settings.tax_rate * 10000)
        self.staff = _staff(site.id, work_orders)
        self.parts = _parts(site.id)
        self.operations = [
            (title, hours, category, [(self.parts[n], q) for n, q in parts])
            for title, hours, category, parts in OPERATIONS
        ]
        self.warranty = self.settings.warranty_rules
        self.rules = vip.tiers(self.settings)
        self.ids = {table: writer.next_id(table) for table in COLUMNS}
        self.numbers = {
            year: value
            for year, value in db.session.execute(
                text(
                    "SELECT year, last_value FROM number_sequences "
                    "WHERE site_id = :site AND series = 'WO'"
                ),
                {"site": self.site_id},
            )
        }
        self.rows: dict[str, list[tuple]] = {}
        self.figures: dict[int, list] = {}

    # --- helpers ---------------------------------------------------------------------

    def take_id(self, table: str) -> int:
        value = self.ids[table]
        self.ids[table] = value + 1
        return value

    def add(self, table: str, row: tuple) -> None:
        self.rows.setdefault(table, []).append(row)

    def flush(self, order: list[str]) -> None:
        for table in order:
            self.w.write(table, COLUMNS[table], self.rows.pop(table, []))

    def working_time(self, day: date, earliest: int = 8, latest: int = 17) -> datetime:
        """A moment in the working day ``day`` (local time), in UTC."""
        minutes = self.rng.randrange(earliest * 60, latest * 60)
        local = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(minutes=minutes)
        return local - LOCAL

    # --- customers and cars ------------------------------------------------------------

    def plan_visits(self) -> tuple[list[int], list[float], list[VehiclePlan]]:
        """Which car comes in for each order, and when (fractions of the ten years), in
        time order; a second car for about one customer in seven."""
        rng = self.rng
        second = self.customers // 7
        vehicles = [VehiclePlan(i, i) for i in range(self.customers)]
        vehicles += [
            VehiclePlan(self.customers + i, rng.randrange(self.customers)) for i in range(second)
        ]
        order = list(range(len(vehicles)))
        rng.shuffle(order)
        moments = [(i / max(self.orders, 1)) ** 0.8 for i in range(self.orders)]
        visits = []
        seen = 0
        total = len(vehicles)
        for i in range(self.orders):
            left_orders = self.orders - i
            left_cars = total - seen
            if left_cars and (seen == 0 or rng.random() * left_orders < left_cars * 1.6):
                visits.append(order[seen])
                seen += 1
            else:
                # Cars seen lately come back more often than the old ones.
                back = int(seen * (1 - rng.random() ** 2.2))
                visits.append(order[min(back, seen - 1)])
        return visits, moments, vehicles

    def write_people(self, vehicles: list[VehiclePlan], moments, visits) -> None:
        rng = self.rng
        first: dict[int, datetime] = {}
        for vehicle_index, moment in zip(visits, moments, strict=True):
            if vehicle_index not in first:
                first[vehicle_index] = self.start + timedelta(seconds=self.span * moment)
        customer_since: dict[int, datetime] = {}
        for v in vehicles:
            seen = first.get(v.index, self.now - timedelta(days=rng.randrange(1, 3650)))
            v.first_visit = seen
            since = customer_since.get(v.customer)
            customer_since[v.customer] = seen if since is None else min(since, seen)
        base_customer = self.ids["customers"]
        for c in range(self.customers):
            created = customer_since.get(c, self.now) - timedelta(days=rng.randrange(0, 30))
            customer_id = self.take_id("customers")
            assert customer_id == base_customer + c
            roll = rng.random()
            kind, contact_name, contact_phone = "person", None, None
            if roll < 0.03:
                kind = "company"
                name = f"{rng.choice('上海浦东长江华东申通东方')}{rng.choice(['物流', '汽车租赁', '贸易', '建设'])}有限公司 {c}"  # noqa: E501
                contact_name = rng.choice(SURNAMES) + "经理"
                contact_phone = self.phone(c + 50_000_000)
                language = "zh_Hans"
            elif roll < 0.12:
                first_name, family = rng.choice(ENGLISH_NAMES).split()
                name = f"{first_name} {family}"
                language = "en"
            else:
                name = rng.choice(SURNAMES) + "".join(
                    rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2)))
                )
                language = "zh_Hans"
            phone = self.phone(c)
            birthday = None
            if kind == "person" and rng.random() < 0.6:
                birthday = date(
                    rng.randrange(1955, 2004), rng.randrange(1, 13), rng.randrange(1, 29)
                )
            self.add(
                "customers",
                (
                    customer_id,
                    self.site_id,
                    kind,
                    name,
                    " ".join(name.split()).casefold(),
                    phone,
                    phone[1:],
                    contact_name,
                    contact_phone,
                    language,
                    rng.choice(("phone", "phone", "wechat", "sms")),
                    rng.random() < 0.92,
                    rng.random() < 0.4,
                    birthday,
                    0,
                    0,
                    0,
                    False,
                    created,
                    created,
                ),
            )
        for v in vehicles:
            wmi, make, model = MODELS[rng.randrange(len(MODELS))]
            year = min(max(v.first_visit.year - rng.randrange(0, 4), 2016), 2026)
            vin = with_check_digit(demo_vin(rng, wmi, year)[:11] + f"{v.index % 1_000_000:06d}")
            plate = self.plate(v.index)
            v.km = rng.randrange(5, 40_000) if year < v.first_visit.year else rng.randrange(5, 3000)
            v.daily_km = rng.randrange(15, 110)
            v.last_at = v.first_visit
            vehicle_id = self.ids["vehicles"] + v.index
            v.index = vehicle_id
            self.add(
                "vehicles",
                [
                    vehicle_id,
                    self.site_id,
                    base_customer + v.customer,
                    vin,
                    plate,
                    plate.replace(" ", "").upper(),
                    make,
                    model,
                    year,
                    rng.choice(COLOURS),
                    "car",
                    v.km,
                    None,
                    None,
                    v.first_visit - timedelta(hours=1),
                ],
            )
            self.add(
                "vehicle_ownerships",
                (
                    self.take_id("vehicle_ownerships"),
                    vehicle_id,
                    base_customer + v.customer,
                    v.first_visit - timedelta(hours=1),
                    "registered",
                ),
            )
        self.ids["vehicles"] += len(vehicles)

    def phone(self, n: int) -> str:
        """A mobile number of its own for each ``n`` below 10**8."""
        scrambled = (n * 387_420_489 + 12_345_678) % 100_000_000
        return f"+86{MOBILE_PREFIXES[n % len(MOBILE_PREFIXES)]}{scrambled:08d}"

    def plate(self, n: int) -> str:
        region = GROUP_PLATE_REGIONS[n % len(GROUP_PLATE_REGIONS)]
        n //= len(GROUP_PLATE_REGIONS)
        letter = PLATE_LETTERS[n % len(PLATE_LETTERS)]
        n //= len(PLATE_LETTERS)
        return f"{region}{letter}{(n * 7_919 + 10_007) % 100_000:05d}"

    # --- work orders ---------------------------------------------------------------------

    # --- care ---------------------------------------------------------------------------

    def care(self, order_id, customer_id, vehicle_id, delivered_at, declined) -> None:
        """The calls a delivery brings (and their attempts), and now and then a complaint."""
        rng = self.rng
        if not self.consent.get(customer_id, True):
            return
        kinds = [("satisfaction", 3)] + ([("declined_work", 7)] if declined else [])
        for kind, days in kinds:
            due = delivered_at + timedelta(days=days)
            callback_id = self.take_id("callbacks")
            agent = self.staff.agents[rng.randrange(len(self.staff.agents))]
            head = (callback_id, self.site_id, customer_id, vehicle_id, order_id, kind)
            if due > self.now - timedelta(days=1) and rng.random() < 0.9:
                assignee = agent if rng.random() < 0.5 else None
                row = (*head, "open", due, 0, assignee, 0, None, None, None, None, delivered_at)
                self.add("callbacks", row)
                continue
            tries = rng.choices((1, 2, 3), (70, 20, 10))[0]
            at = due + timedelta(hours=rng.uniform(0, 6))
            unreachable = tries == 3 and rng.random() < 0.5
            for attempt in range(tries):
                reached = attempt == tries - 1 and not unreachable
                score = rng.choices((5, 4, 3, 2), (60, 28, 9, 3))[0] if reached else None
                self.add(
                    "call_attempts",
                    (
                        self.take_id("call_attempts"),
                        callback_id,
                        agent,
                        "reached" if reached else "no_answer",
                        score,
                        json.dumps({"work_quality": score, "on_time": score} if reached else {}),
                        None,
                        at,
                    ),
                )
                if attempt < tries - 1:
                    at += timedelta(hours=rng.uniform(3, 26))
            status, outcome = ("unreachable", "no_answer") if unreachable else ("done", "reached")
            row = (*head, status, due, 0, agent, tries, None, None, outcome, at, delivered_at)
            self.add("callbacks", row)
        if rng.random() < 0.004:
            self.complaint(order_id, customer_id, vehicle_id, delivered_at)

    def complaint(self, order_id, customer_id, vehicle_id, delivered_at) -> None:
        rng = self.rng
        received = delivered_at + timedelta(days=rng.uniform(0.5, 6))
        if received > self.now:
            return
        complaint_id = self.take_id("complaints")
        owner = self.staff.advisors[rng.randrange(len(self.staff.advisors))]
        reply_due = received + timedelta(hours=4)
        open_ = received > self.now - timedelta(days=3)
        replied = received + timedelta(hours=rng.uniform(0.5, 6))
        resolved = replied + timedelta(days=rng.uniform(0.2, 4))
        head = (
            complaint_id,
            self.site_id,
            customer_id,
            vehicle_id,
            order_id,
            rng.choice(("phone", "desk", "online")),
            COMPLAINTS[rng.randrange(len(COMPLAINTS))],
            "open" if open_ else "resolved",
            received,
            owner,
            owner,
            reply_due,
        )
        if open_:
            self.add("complaints", (*head, None, None, None, None, None))
            return
        cause = rng.choice(("workmanship", "waiting_time", "price", "staff_attitude"))
        resolution = RESOLUTIONS[rng.randrange(len(RESOLUTIONS))]
        self.add("complaints", (*head, replied, cause, resolution, resolved, owner))
        for kind, text_, at in (
            ("reply", "已电话联系客户，了解情况。", replied),
            ("resolve", RESOLUTIONS[0], resolved),
        ):
            self.add(
                "complaint_events",
                (self.take_id("complaint_events"), complaint_id, kind, owner, None, text_, at),
            )

    # --- the whole history ---------------------------------------------------------------

    def run(self, progress: Callable[[int], None]) -> Counts:
        visits, moments, vehicles = self.plan_visits()
        self.write_people(vehicles, moments, visits)
        self.customer_of = {row[0]: row[2] for row in self.rows["vehicles"]}
        self.names = {row[0]: row[3] for row in self.rows["customers"]}
        self.consent = {row[0]: row[11] for row in self.rows["customers"]}
        self.phones = {row[0]: row[5] for row in self.rows["customers"]}
        self.flush(["customers", "vehicles", "vehicle_ownerships"])
        workshop = max(30, self.orders // 3000)
        written = 0
        for i, (vehicle_index, moment) in enumerate(zip(visits, moments, strict=True)):
            left = self.orders - i
            active = None
            when = self.start + timedelta(seconds=self.span * moment)
            if left <= workshop:
                active = ACTIVE[left % len(ACTIVE)]
                when = self.now - timedelta(hours=left * 30 / workshop)
            write_visit(self, vehicles[vehicle_index], when, active)
            if (i + 1) % BATCH == 0 or i + 1 == self.orders:
                self.flush(ORDER)
                progress(i + 1 - written)
                written = i + 1
        self.finish(vehicles)
        self.flush(ORDER)
        return self.w.counts

    def finish(self, vehicles: list[VehiclePlan]) -> None:
        """Odometers, last services, customers' figures and VIP tiers, number sequences."""
        conn = self.w.connection
        self.update_from(
            "vehicles",
            {
                "odometer_km": "BIGINT",
                "last_service_at": "TIMESTAMP WITH TIME ZONE",
                "last_service_km": "BIGINT",
            },
            [(v.index, v.km, v.last_service_at, v.last_service_km) for v in vehicles],
        )
        self.update_from(
            "customers",
            {
                "spend_12m": "BIGINT",
                "visits_12m": "BIGINT",
                "lifetime_spend": "BIGINT",
                "last_visit_at": "TIMESTAMP WITH TIME ZONE",
                "vip_tier": "VARCHAR(20)",
            },
            [
                (
                    customer_id,
                    spend,
                    visits,
                    lifetime,
                    last,
                    vip.tier_for(self.rules, Decimal(spend).scaleb(-2), visits),
                )
                for customer_id, (spend, visits, lifetime, last) in self.figures.items()
            ],
        )
        conn.execute(
            text(
                "UPDATE callbacks SET priority = 1 WHERE status = 'open' AND customer_id IN "
                "(SELECT id FROM customers WHERE vip_tier IS NOT NULL)"
            )
        )
        for year, value in self.numbers.items():
            updated = conn.execute(
                text(
                    "UPDATE number_sequences SET last_value = :value "
                    "WHERE site_id = :site AND series = 'WO' AND year = :year"
                ),
                {"value": value, "site": self.site_id, "year": year},
            ).rowcount
            if not updated:
                conn.execute(
                    text(
                        "INSERT INTO number_sequences (site_id, series, year, last_value) "
                        "VALUES (:site, 'WO', :year, :value)"
                    ),
                    {"value": value, "site": self.site_id, "year": year},
                )

    def update_from(self, table: str, columns: dict[str, str], rows: list[tuple]) -> None:
        """Set ``columns`` of many rows of ``table`` (``rows``: id first) in one statement,
        from a staging table filled like the others."""
        conn = self.w.connection
        staging = STAGED + table
        declared = ", ".join(f"{name} {kind}" for name, kind in columns.items())
        conn.execute(text(f"CREATE TEMPORARY TABLE {staging} (id BIGINT PRIMARY KEY, {declared})"))
        self.w.write(staging, ("id", *columns), rows)
        self.w.counts.rows.pop(staging, None)
        target = sql_table(table, column("id"), *(column(name) for name in columns))
        source = sql_table(staging, column("id"), *(column(name) for name in columns))
        conn.execute(
            update(target)
            .values({name: source.c[name] for name in columns})
            .where(target.c.id == source.c.id)
        )
        conn.execute(text(f"DROP TABLE {staging}"))


def generate(
    customers: int,
    work_orders: int,
    *,
    seed: int = 2026,
    now: datetime | None = None,
    progress: Callable[[int], None] = lambda n: None,
) -> Counts:
    """Add ``customers`` customers (a car each, a second car for one in seven) and
    ``work_orders`` orders over the ten years to ``now`` to the default site, in one
    transaction. The demo dealership (staff, settings, catalogue) must be loaded first."""
    if customers < 1 or work_orders < 0:
        raise ValueError("at least one customer, and no negative number of orders")
    if customers > 50_000_000:
        raise ValueError("at most 50,000,000 customers")
    now = now or services.utcnow()
    history = History(
        Writer(db.session.connection()),
        customers=customers,
        work_orders=work_orders,
        seed=seed,
        now=now,
    )
    counts = history.run(progress)
    history.w.reset_sequences(["users", "parts", *COLUMNS])
    db.session.commit()
    if history.w.postgres:
        # VACUUM too: customers and vehicles are written, then updated with their figures,
        # which leaves a dead copy of every row behind until autovacuum comes by; and a
        # vacuumed table answers from its covering indexes alone.
        with db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    return counts
