"""The care and manager pages issue the same number of SQL statements for 3 rows as for 12:
what a page shows of each row is loaded together, never one query per row."""

from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal as D

import pytest
from sqlalchemy import event

from care import complaints as care
from care.models import CallAttempt, Callback
from dealer.extensions import db
from dealer.types import utcnow
from tests.conftest import sign_in
from tests.factories import make_customer, make_order, make_user, make_vehicle
from workorders import services as wo


@contextmanager
def counted():
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def rows(n: int, agent, manager) -> None:
    """``n`` customers, each a VIP with a car, an order with a declined job, an open call due
    now with a try, and an open complaint."""
    for _ in range(n):
        customer = make_customer()
        customer.vip_tier = "Gold"
        vehicle = make_vehicle(customer=customer)
        order = make_order(vehicle=vehicle)
        wo.add_job(
            order.advisor, order, title="Brakes", labor_hours=D("1"), category="minor_repair"
        )
        callback = Callback(
            site_id=customer.site_id,
            customer_id=customer.id,
            vehicle_id=vehicle.id,
            work_order_id=order.id,
            kind="declined_work",
            due_at=utcnow() - timedelta(hours=1),
            assignee_id=agent.id,
            priority=1,
        )
        db.session.add(callback)
        db.session.flush()
        db.session.add(CallAttempt(callback_id=callback.id, user_id=agent.id, outcome="no_answer"))
        care.raise_complaint(manager, customer, "Waited too long")
    db.session.commit()


PAGES = ("/callbacks", "/complaints", "/vip", "/dashboard", "/reports")


@pytest.mark.parametrize("path", PAGES)
def test_page_statements_do_not_grow_with_its_rows(app, path):
    agent = make_user(roles=["callback", "manager"])
    manager = make_user(roles=["manager"])
    client = app.test_client()
    sign_in(client, agent.username)
    rows(3, agent, manager)
    with counted() as few:
        assert client.get(path).status_code == 200
    rows(9, agent, manager)
    with counted() as many:
        page = client.get(path)
    assert page.status_code == 200
    assert len(many) == len(few), (path, len(few), len(many))
