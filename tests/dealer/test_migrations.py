"""Migrations build the whole schema from nothing, and it matches the models."""

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from dealer import create_app
from dealer.database import include_schema_object
from dealer.extensions import db
from tests.conftest import app_config


@pytest.fixture
def empty_database(tmp_path):
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    name = f"migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_upgrade_from_nothing_matches_the_models(empty_database):
    app = create_app(app_config(empty_database))
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            options = {
                "compare_type": True,
                "include_object": include_schema_object,
            }
            context = MigrationContext.configure(conn, opts=options)
            differences = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert differences == []


def test_a_sqlite_table_rebuilt_by_a_migration_keeps_its_planner_statistics(tmp_path):
    url = f"sqlite:///{tmp_path / 'stats.db'}"
    app = create_app(app_config(url))
    with app.app_context():
        upgrade(revision="f52a8269daa1")
        db.session.execute(
            text("INSERT INTO sites (code, name, created_at) VALUES ('M', 'M', '2026-01-01')")
        )
        db.session.execute(
            text(
                "INSERT INTO parts (site_id, part_number, number_key, name, genuine, unit, "
                "unit_cost, unit_price, on_hand, reserved, reorder_point, reorder_quantity, "
                "active) VALUES (1, 'P-1', 'P1', 'Pads', 1, 'pcs', 0, 0, 0, 0, 0, 0, 1)"
            )
        )
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        upgrade()
        with db.engine.connect() as conn:
            analysed = conn.execute(text("SELECT DISTINCT tbl FROM sqlite_stat1")).scalars().all()
        db.engine.dispose()
    assert "parts" in analysed


def _insert(conn, table: str, **values) -> int:
    """A row with ``values`` and a plain value for every other column the table requires;
    a required reference points at the last row made in the table it refers to."""
    from sqlalchemy import JSON as JSONType
    from sqlalchemy import Boolean, DateTime, Integer, Numeric, inspect

    plain = {Boolean: False, DateTime: "2026-01-05 08:00:00", JSONType: "{}", Integer: 0}
    row = dict(values)
    for key in inspect(conn).get_foreign_keys(table):
        for name in key["constrained_columns"]:
            if name not in row:
                row[name] = conn.execute(
                    text(f"SELECT MAX(id) FROM {key['referred_table']}")
                ).scalar()
    for column in inspect(conn).get_columns(table):
        if column["name"] in row or column["nullable"] or column.get("default") is not None:
            continue
        if column["name"] == "id" or column.get("autoincrement") is True:
            continue
        kind = column["type"]
        row[column["name"]] = next(
            (value for base, value in plain.items() if isinstance(kind, base)),
            0 if isinstance(kind, Numeric) else "x",
        )
    names = ", ".join(row)
    marks = ", ".join(f":{name}" for name in row)
    conn.execute(text(f"INSERT INTO {table} ({names}) VALUES ({marks})"), row)
    return conn.execute(text(f"SELECT MAX(id) FROM {table}")).scalar()


def test_the_final_totals_backfill_uses_the_orders_own_arithmetic(empty_database):
    """The revision that added final totals fills them for orders already delivered; it
    keeps its own copy of the arithmetic, which must agree with the totals module."""
    from decimal import Decimal as D

    from workorders.totals import DiscountAmount, JobAmount, PartAmount, totals

    app = create_app(app_config(empty_database))
    with app.app_context():
        upgrade(revision="441875db3ddc")
        with db.engine.begin() as conn:
            site = _insert(conn, "sites", code="M", name="Main")
            user = _insert(conn, "users", site_id=site, username="u", full_name="U")
            customer = _insert(
                conn,
                "customers",
                site_id=site,
                kind="person",
                name="C",
                preferred_channel="phone",
                preferred_language="en",
            )
            vehicle = _insert(
                conn,
                "vehicles",
                site_id=site,
                customer_id=customer,
                vin="V",
                plate="P",
                vehicle_class="car",
            )
            order = _insert(
                conn,
                "work_orders",
                site_id=site,
                number="WO-2026-000001",
                customer_id=customer,
                vehicle_id=vehicle,
                advisor_id=user,
                status="delivered",
                tax_rate=1300,
                fuel_level=50,
            )
            jobs = []
            for status, pay_type, hours, rate, sublet in (
                ("done", "customer", 150, 26000, 3333),
                ("done", "warranty", 100, 26000, None),
                ("declined", "customer", 300, 26000, None),
                ("done", "customer", 35, 19999, None),
            ):
                jobs.append(
                    _insert(
                        conn,
                        "jobs",
                        work_order_id=order,
                        title="J",
                        category="minor_repair",
                        status=status,
                        pay_type=pay_type,
                        labor_hours=hours,
                        labor_rate=rate,
                        sublet_price=sublet,
                    )
                )
            _insert(
                conn, "parts", site_id=site, part_number="P", number_key="P", name="P", unit="pcs"
            )
            for job, quantity, returned, price in (
                (jobs[0], 1500, 500, 7777),
                (jobs[0], 3, 0, 12345),
                (jobs[3], 2000, 0, 4999),
            ):
                _insert(
                    conn,
                    "part_lines",
                    work_order_id=order,
                    job_id=job,
                    part_number="P",
                    name="Part",
                    quantity=quantity,
                    returned_quantity=returned,
                    condition="new_genuine",
                    unit_price=price,
                )
            _insert(conn, "discounts", work_order_id=order, kind="percent", value=750)
            _insert(conn, "discounts", work_order_id=order, kind="amount", value=1001)
        upgrade(revision="2eff1578e070")
        with db.engine.connect() as conn:
            stored = conn.execute(text("SELECT final_total FROM work_orders")).scalar()
        db.engine.dispose()
    expected = totals(
        [
            JobAmount(
                "done",
                "customer",
                D("1.50"),
                D("260.00"),
                (PartAmount(D("1.000"), D("77.77")), PartAmount(D("0.003"), D("123.45"))),
                D("33.33"),
            ),
            JobAmount("done", "warranty", D("1.00"), D("260.00")),
            JobAmount("declined", "customer", D("3.00"), D("260.00")),
            JobAmount(
                "done", "customer", D("0.35"), D("199.99"), (PartAmount(D("2"), D("49.99")),)
            ),
        ],
        D("0.13"),
        [DiscountAmount(D("7.50"), percent=True), DiscountAmount(D("10.01"))],
    ).total
    assert D(stored).scaleb(-2) == expected


def test_standard_belongings_become_codes_and_typed_ones_stay(empty_database):
    app = create_app(app_config(empty_database))
    with app.app_context():
        upgrade(revision="a7e9c1d3f5b7")
        with db.engine.begin() as conn:
            _insert(conn, "sites", code="M", name="Main")
            _insert(conn, "users", site_id=1, username="u", full_name="U")
            _insert(
                conn,
                "customers",
                kind="person",
                name="C",
                preferred_channel="phone",
                preferred_language="en",
            )
            _insert(conn, "vehicles", vin="V", plate="P", vehicle_class="car")
            _insert(
                conn, "work_orders", number="WO-1", status="intake", tax_rate=1300, fuel_level=50
            )
            _insert(
                conn,
                "inspections",
                belongings='["Spare wheel", "脚垫", "Child seat"]',
                panels="[]",
                warning_lights="[]",
                symptoms="{}",
                underbody="{}",
            )
            _insert(
                conn,
                "inspection_versions",
                version=1,
                record='{"belongings": ["备胎", "Umbrella"], "keys_count": 1}',
                recorded_at="2026-01-05 08:00:00",
            )
        upgrade(revision="b9d1f3a5c7e2")
        with db.engine.connect() as conn:
            kept = conn.execute(text("SELECT belongings FROM inspections")).scalar()
            signed = conn.execute(text("SELECT record FROM inspection_versions")).scalar()
        downgrade_to = "a7e9c1d3f5b7"
        from flask_migrate import downgrade

        downgrade(revision=downgrade_to)
        with db.engine.connect() as conn:
            back = conn.execute(text("SELECT belongings FROM inspections")).scalar()
        db.engine.dispose()
    as_list = __import__("json").loads
    assert (as_list(kept) if isinstance(kept, str) else kept) == [
        "spare_wheel",
        "floor_mats",
        "Child seat",
    ]
    signed = as_list(signed) if isinstance(signed, str) else signed
    assert signed == {"belongings": ["spare_wheel", "Umbrella"], "keys_count": 1}
    assert (as_list(back) if isinstance(back, str) else back) == [
        "Spare wheel",
        "Floor mats",
        "Child seat",
    ]
