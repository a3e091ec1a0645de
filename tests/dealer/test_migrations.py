"""Migrations build the whole schema from nothing, and it matches the models."""

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from dealer import create_app
from dealer.database import schema_objects
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
                "include_object": schema_objects(conn.dialect.name),
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
