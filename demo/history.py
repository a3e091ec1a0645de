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

Amounts are worked in minor units (cents; hours and tax rate as the
columns store them) so that a million orders stay in integer arithmetic.
"""

import json
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import column, func, insert, select, text, update
from sqlalchemy import table as sql_table

from care import vip
from customers.vin import with_check_digit
from dealer import services
from dealer.auth import hash_password
from dealer.extensions import db
from dealer.models import User, UserRole
from demo.catalogue import COLOURS, DEMO_PARTS, DEMO_PASSWORD, ENGLISH_NAMES, MODELS, demo_vin
from parts.models import Part
from parts.stock import create_part
from workorders.services import QC_CHECKLIST

BATCH = 5000
"""Work orders written per batch: rows are built in memory one batch at a time."""

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏建红飞鑫波宁斌浩凯婷雪琳晨欣怡俊博宇"
)
MOBILE_PREFIXES = ("138", "139", "135", "136", "150", "151", "158", "186", "188", "177", "189")
PLATE_REGIONS = ("沪A", "沪B", "沪C", "沪D", "沪E", "京A", "苏E", "浙A", "苏A")
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"

EXTRA_PARTS = [
    ("04465-0K290", "Brake pads, rear", "后刹车片", "pcs", 18000, 29800),
    ("43512-0K020", "Brake disc, front", "前刹车盘", "pcs", 32000, 52000),
    ("90919-01253", "Spark plug", "火花塞", "pcs", 4500, 9800),
    ("87139-0E040", "Cabin air filter", "空调滤清器", "pcs", 3500, 8800),
    ("23300-0P010", "Fuel filter", "燃油滤清器", "pcs", 9000, 16800),
    ("16100-39466", "Water pump", "水泵", "pcs", 42000, 68000),
    ("13568-09130", "Timing belt", "正时皮带", "pcs", 36000, 58000),
    ("28800-0T080", "Battery 60Ah", "蓄电池 60Ah", "pcs", 48000, 76000),
    ("08889-80061", "Coolant, long life", "长效冷却液", "L", 2800, 5500),
    ("08885-02106", "ATF WS", "自动变速箱油", "L", 6800, 11800),
    ("48510-0K150", "Shock absorber, front", "前减震器", "pcs", 52000, 86000),
    ("42611-0K110", "Tyre 225/55 R17", "轮胎 225/55 R17", "pcs", 58000, 89000),
    ("90916-02703", "V-ribbed belt", "多楔带", "pcs", 12000, 21000),
    ("81130-0K600", "Headlamp unit", "前大灯总成", "pcs", 160000, 245000),
]
"""A wider parts catalogue for the history: part number, names, unit, cost, price (cents)."""

OPERATIONS = [
    # title, hours (hundredths), category, parts [(part number, quantity in thousandths)]
    ("Oil service", 100, "level1_maintenance", [("04152-YZZA1", 1000), ("08880-83715", 4500)]),
    ("保养：机油机滤", 100, "level1_maintenance", [("04152-YZZA1", 1000), ("08880-83715", 4000)]),
    ("Front brake pads", 120, "minor_repair", [("04465-33450", 1000)]),
    ("更换后刹车片", 120, "minor_repair", [("04465-0K290", 1000)]),
    (
        "Brake discs and pads, front",
        200,
        "minor_repair",
        [("43512-0K020", 2000), ("04465-33450", 1000)],
    ),
    ("Wiper blades", 20, "minor_repair", [("85222-06100", 1000)]),
    ("Brake fluid change", 80, "minor_repair", [("08823-80010", 1000)]),
    ("Air filter", 30, "minor_repair", [("17801-0H050", 1000)]),
    ("空调滤清器更换", 30, "minor_repair", [("87139-0E040", 1000)]),
    ("Spark plugs", 90, "minor_repair", [("90919-01253", 4000)]),
    (
        "20,000 km service",
        250,
        "level2_maintenance",
        [
            ("04152-YZZA1", 1000),
            ("08880-83715", 4500),
            ("17801-0H050", 1000),
            ("87139-0E040", 1000),
        ],
    ),
    (
        "二级维护",
        350,
        "level2_maintenance",
        [
            ("04152-YZZA1", 1000),
            ("08880-83715", 4500),
            ("23300-0P010", 1000),
            ("08823-80010", 1000),
        ],
    ),
    (
        "Timing belt and water pump",
        450,
        "major_repair",
        [("13568-09130", 1000), ("16100-39466", 1000), ("08889-80061", 4000)],
    ),
    ("更换蓄电池", 30, "minor_repair", [("28800-0T080", 1000)]),
    ("Automatic transmission fluid", 150, "minor_repair", [("08885-02106", 6000)]),
    ("Front shock absorbers", 300, "major_repair", [("48510-0K150", 2000)]),
    ("Tyres, pair", 80, "minor_repair", [("42611-0K110", 2000)]),
    ("Accessory belt", 70, "minor_repair", [("90916-02703", 1000)]),
    ("Diagnose engine warning light", 100, "minor_repair", []),
    ("四轮定位", 100, "minor_repair", []),
    ("Headlamp replacement (accident)", 150, "major_repair", [("81130-0K600", 1000)]),
]
CONCERNS = [
    "Due for the scheduled service",
    "保养到期",
    "刹车时有异响",
    "Brake pedal feels soft",
    "发动机故障灯亮",
    "Engine warning light on",
    "空调不制冷",
    "Steering pulls to the left",
    "异响：过减速带时底盘咚咚响",
    "Battery flat in the mornings",
    "Oil service and a check of the tyres",
    "轮胎磨损，顺便做四轮定位",
]
COMPLAINTS = [
    "交车时间比承诺晚了两个小时。",
    "The noise is back a week after the repair.",
    "结算金额比报价高，没有提前电话确认。",
    "Seat covers were not used; oil marks on the driver's seat.",
    "服务顾问态度不好。",
    "Waited 40 minutes at the desk at pick-up.",
]
RESOLUTIONS = [
    "Apologised, re-checked the car free of charge.",
    "已致歉，赠送一次免费洗车。",
    "Refunded the difference and explained the supplementary work.",
    "已重新培训相关人员。",
]
BELONGINGS = ["Spare wheel", "Floor mats", "备胎", "脚垫", "Child seat", "行车记录仪"]
PANELS = ["front_bumper", "rear_bumper", "left_front_door", "right_rear_door", "hood"]
DAMAGE = ["scratch", "dent", "chip"]
PAYMENT_METHODS = ["mobile_payment"] * 5 + ["card"] * 3 + ["cash", "bank_transfer"]
ACTIVE = ["intake", "estimating", "awaiting_approval", "in_progress", "quality_check", "ready"]
CHECKLIST = json.dumps(dict.fromkeys(QC_CHECKLIST, True))
LOCAL = timedelta(hours=8)
"""Generated working times are laid out in China Standard Time, then kept in UTC."""


def half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half up, for non-negative integers."""
    return (2 * numerator + denominator) // (2 * denominator)


@dataclass
class Counts:
    """What was written, per table."""

    rows: dict[str, int] = field(default_factory=dict)

    def add(self, table: str, n: int) -> None:
        self.rows[table] = self.rows.get(table, 0) + n


class Writer:
    """Appends rows to tables in batches, with ``COPY`` on PostgreSQL."""

    def __init__(self, connection):
        self.connection = connection
        self.postgres = connection.dialect.name == "postgresql"
        self.counts = Counts()
        if self.postgres and connection.execute(text("SHOW is_superuser")).scalar() == "on":
            # The rows are consistent by construction (and checked with the foreign keys on
            # in the tests on SQLite): a superuser skips the per-row foreign key triggers,
            # which cost PostgreSQL more than the copying itself.
            connection.execute(text("SET LOCAL session_replication_role = replica"))

    def next_id(self, table: str) -> int:
        ids = db.metadata.tables[table].c.id
        return self.connection.execute(select(func.coalesce(func.max(ids), 0))).scalar() + 1

    def write(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        known = db.metadata.tables.get(table.removeprefix(STAGED))
        if known is None or not set(columns) <= {"id", *known.c.keys()}:
            raise ValueError(f"not a table and columns of the schema: {table} {columns}")
        if self.postgres:
            quote = self.connection.dialect.identifier_preparer.quote
            names = ", ".join(quote(name) for name in columns)
            raw = self.connection.connection.driver_connection
            with (
                raw.cursor() as cursor,
                cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
        else:
            # Untyped columns: the values are already in SQLite's own form.
            target = sql_table(table, *(column(name) for name in columns))
            self.connection.execute(
                insert(target), [dict(zip(columns, map(_sqlite, row), strict=True)) for row in rows]
            )
        self.counts.add(table, len(rows))

    def reset_sequences(self, tables: Iterable[str]) -> None:
        if not self.postgres:
            return
        for table in tables:
            ids = db.metadata.tables[table].c.id
            highest = select(func.coalesce(func.max(ids), 1)).scalar_subquery()
            sequence = func.pg_get_serial_sequence(table, "id")
            self.connection.execute(select(func.setval(sequence, highest)))


STAGED = "staged_"
"""The prefix of the temporary tables that stage many rows' new values."""


def _sqlite(value):
    """A value as SQLAlchemy stores it on SQLite: UTC times as naive ISO text."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


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
        region = PLATE_REGIONS[n % len(PLATE_REGIONS)]
        n //= len(PLATE_REGIONS)
        letter = PLATE_LETTERS[n % len(PLATE_LETTERS)]
        n //= len(PLATE_LETTERS)
        return f"{region}{letter}{(n * 7_919 + 10_007) % 100_000:05d}"

    # --- work orders ---------------------------------------------------------------------

    def write_order(self, vehicle: VehiclePlan, moment: datetime, active: str | None) -> None:
        rng = self.rng
        staff = self.staff
        day = (moment + LOCAL).date()
        received = self.working_time(day, 8, 11) if active is None else moment
        year = (received + LOCAL).year
        self.numbers[year] = self.numbers.get(year, 0) + 1
        number = f"WO-{year}-{self.numbers[year]:06d}"
        order_id = self.take_id("work_orders")
        customer_id = self.customer_of[vehicle.index]
        name = self.names.get(customer_id, "")
        advisor = staff.advisors[rng.randrange(len(staff.advisors))]
        days = max(0.0, (received - vehicle.last_at).total_seconds() / 86400)
        km_in = vehicle.km + int(days * vehicle.daily_km * rng.uniform(0.7, 1.3)) + 1
        vehicle.km, vehicle.last_at = km_in, received
        status = active or ("cancelled" if rng.random() < 0.01 else "delivered")
        delivered = status == "delivered"
        self.add(
            "odometer_readings",
            (
                self.take_id("odometer_readings"),
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
            title, hours, category, parts = self.operations[rng.randrange(len(self.operations))]
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
                    "id": self.take_id("jobs"),
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
            labor = half_up(job["hours"] * self.labor_rate, 100)
            parts = sum(half_up(q * part[5], 1000) for part, q in job["parts"])
            return labor, parts

        def total(selected) -> int:
            base = 0
            for job in selected:
                if job["pay_type"] == "customer":
                    base += sum(amount(job))
            return base + half_up(base * self.tax_rate, 10000)

        counted = ("approved", "in_progress", "done")
        authorized = None
        first_approved = None
        auth_at = received + timedelta(minutes=rng.randrange(30, 120))
        if status not in ("intake", "estimating", "awaiting_approval", "cancelled"):
            initial = [j for j in jobs if j["initial"]]
            approved = [j for j in initial if j["status"] != "declined"]
            first_approved = total(approved)
            first_id = self.take_id("authorizations")
            method = rng.choice(("in_person", "in_person", "phone"))
            self.add(
                "authorizations",
                (
                    first_id,
                    order_id,
                    name[:120],
                    method,
                    None if method == "in_person" else self.phones[customer_id],
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
                second_id = self.take_id("authorizations")
                self.add(
                    "authorizations",
                    (
                        second_id,
                        order_id,
                        name[:120],
                        "phone",
                        self.phones[customer_id],
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
            self.add(
                "time_clocks",
                (self.take_id("time_clocks"), j["id"], order_id, j["technician"], started, done_at),
            )
        delivered_at = final_total = odometer_out = None
        if status in ("quality_check", "ready", "delivered"):
            inspector = staff.inspectors[rng.randrange(len(staff.inspectors))]
            qc_at = done_at + timedelta(minutes=rng.randrange(10, 60))
            if status != "quality_check":
                if rng.random() < 0.03:
                    self.add(
                        "quality_checks",
                        (
                            self.take_id("quality_checks"),
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
                self.add(
                    "quality_checks",
                    (
                        self.take_id("quality_checks"),
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
                    qc_at + timedelta(hours=rng.uniform(0.5, 30)), self.now - timedelta(hours=1)
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
            parts_cost = sum(half_up(q * part[4], 1000) for j in done for part, q in j["parts"])
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
            spend = self.figures.setdefault(customer_id, [0, 0, 0, None])
            if delivered_at >= self.now - timedelta(days=365):
                spend[0] += final_total
                spend[1] += 1
            spend[2] += final_total
            spend[3] = delivered_at if spend[3] is None else max(spend[3], delivered_at)
        else:
            figures.append(None)
        self.add(
            "work_orders",
            (
                order_id,
                self.site_id,
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
                self.tax_rate,
                self.labor_rate,
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
                km, days_ = self.warranty[j["category"]]["car"]
                until = (delivered_at + LOCAL).date() + timedelta(days=days_)
                until_km = odometer_out + km
            self.add(
                "jobs",
                (
                    j["id"],
                    order_id,
                    1,
                    j["title"],
                    j["title"].startswith("Diagnose"),
                    j["hours"],
                    self.labor_rate,
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
                self.add(
                    "part_lines",
                    (
                        self.take_id("part_lines"),
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
            self.add(
                "inspections",
                (
                    self.take_id("inspections"),
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
            self.add(
                "payments",
                (
                    self.take_id("payments"),
                    order_id,
                    rng.choice(PAYMENT_METHODS),
                    final_total,
                    name[:120],
                    advisor,
                    delivered_at,
                ),
            )
        if delivered:
            self.care(order_id, customer_id, vehicle.index, delivered_at, bool(declined))

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
            self.write_order(vehicles[vehicle_index], when, active)
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


COLUMNS = {
    "customers": (
        "id", "site_id", "kind", "name", "name_key", "phone", "phone_digits", "contact_name",
        "contact_phone", "preferred_language", "preferred_channel", "callback_consent",
        "marketing_consent", "birthday", "spend_12m", "visits_12m", "lifetime_spend",
        "vip_manual", "created_at", "updated_at",
    ),
    "vehicles": (
        "id", "site_id", "customer_id", "vin", "plate", "plate_key", "make", "model", "year",
        "colour", "vehicle_class", "odometer_km", "last_service_at", "last_service_km",
        "created_at",
    ),
    "vehicle_ownerships": ("id", "vehicle_id", "customer_id", "started_at", "note"),
    "odometer_readings": (
        "id", "vehicle_id", "reading_km", "source", "recorded_at", "recorded_by_id",
    ),
    "work_orders": (
        "id", "site_id", "number", "customer_id", "vehicle_id", "advisor_id", "status", "version",
        "received_at", "odometer_in", "fuel_level", "concern", "promised_at",
        "authorized_amount", "tax_rate", "labor_rate", "return_old_parts", "cancel_reason",
        "delivered_at", "received_by", "final_total", "odometer_out", "hours_sold",
        "clocked_seconds", "parts_sales", "parts_cost", "declined_value", "first_approved",
        "proposed_approved", "proposed_decided", "created_at",
    ),
    "jobs": (
        "id", "work_order_id", "version", "title", "is_diagnosis", "labor_hours", "labor_rate",
        "category", "pay_type", "requires_road_test", "status", "technician_id",
        "waiting_for_parts", "warranty_claim_number", "proposed_by_id",
        "decided_by_authorization_id", "completed_at", "warranty_until", "warranty_until_km",
        "created_at",
    ),
    "part_lines": (
        "id", "work_order_id", "job_id", "part_id", "part_number", "name", "quantity", "unit",
        "unit_price", "unit_cost", "condition", "reserved_quantity", "issued_quantity",
        "returned_quantity", "created_at",
    ),
    "time_clocks": ("id", "job_id", "work_order_id", "technician_id", "started_at", "ended_at"),
    "authorizations": (
        "id", "work_order_id", "authorized_by", "method", "phone", "amount", "amount_added",
        "approved_job_ids", "declined_job_ids", "supplementary", "recorded_by_id", "at",
    ),
    "inspections": (
        "id", "work_order_id", "panels", "warning_lights", "belongings", "keys_count",
        "underbody", "symptoms", "acknowledged_by", "acknowledged_at", "recorded_by_id",
        "recorded_at",
    ),
    "quality_checks": (
        "id", "work_order_id", "inspector_id", "passed", "checklist", "road_test_done",
        "failed_job_ids", "notes", "at",
    ),
    "payments": ("id", "work_order_id", "method", "amount", "payer", "recorded_by_id", "at"),
    "callbacks": (
        "id", "site_id", "customer_id", "vehicle_id", "work_order_id", "kind", "status",
        "due_at", "priority", "assignee_id", "attempts", "note", "plan_key", "outcome",
        "closed_at", "created_at",
    ),
    "call_attempts": (
        "id", "callback_id", "user_id", "outcome", "satisfaction", "answers", "notes", "at",
    ),
    "complaints": (
        "id", "site_id", "customer_id", "vehicle_id", "work_order_id", "channel", "description",
        "status", "received_at", "received_by_id", "owner_id", "first_reply_due",
        "first_reply_at", "root_cause", "resolution", "resolved_at", "resolved_by_id",
    ),
    "complaint_events": ("id", "complaint_id", "kind", "user_id", "to_user_id", "text", "at"),
}  # fmt: skip
ORDER = [
    "vehicle_ownerships",
    "odometer_readings",
    "work_orders",
    "authorizations",
    "jobs",
    "part_lines",
    "time_clocks",
    "inspections",
    "quality_checks",
    "payments",
    "callbacks",
    "call_attempts",
    "complaints",
    "complaint_events",
]
"""Tables in the order their rows can be written (parents first)."""


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
