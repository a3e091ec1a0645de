"""The database itself keeps amounts and quantities from going below zero: every exact-decimal
column is under a CHECK constraint unless its sign carries meaning, and a negative value
written past the application is refused."""

from decimal import Decimal

import pytest
from sqlalchemy import CheckConstraint, select
from sqlalchemy.exc import IntegrityError

from dealer.extensions import db
from dealer.types import FixedDecimal
from tests.factories import make_authorized_job, make_part, make_user
from workorders import services as wo

SIGNED = {
    ("authorizations", "amount_added"): "a new authorization may lower the authorized total",
    ("stock_movements", "quantity"): "the ledger's issues and adjustments take stock out",
}


def decimal_columns():
    for table in db.metadata.sorted_tables:
        checks = [str(c.sqltext) for c in table.constraints if isinstance(c, CheckConstraint)]
        for column in table.columns:
            if isinstance(column.type, FixedDecimal):
                yield table, column, checks


def test_every_amount_and_quantity_is_checked_or_signed_on_purpose(app):
    unchecked = [
        (table.name, column.name)
        for table, column, checks in decimal_columns()
        if not any(f"{column.name} >= 0" in c or f"{column.name} > 0" in c for c in checks)
        and (table.name, column.name) not in SIGNED
    ]
    assert unchecked == []


def test_negative_amounts_written_past_the_app_are_refused(app):
    manager = make_user(roles=["manager"])
    order, job = make_authorized_job(advisor=manager, amount="5000.00")
    part = make_part()
    wo.add_part_line(manager, order, job, part_number=part.part_number, quantity=Decimal("1"))
    db.session.commit()
    tried = 0
    for table, column, _ in decimal_columns():
        if (table.name, column.name) in SIGNED:
            continue
        row = db.session.execute(select(table.c.id).limit(1)).scalar()
        if row is None:
            continue
        tried += 1
        negative = table.update().where(table.c.id == row).values({column.name: Decimal("-1")})
        with pytest.raises(IntegrityError), db.session.begin_nested():
            db.session.execute(negative)
    print(f"\nprobe negative amounts written straight to the database: {tried} cases")
    assert tried >= 15
