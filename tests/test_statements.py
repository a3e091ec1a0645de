"""The busy pages issue a fixed number of SQL statements, whatever the size of the data:
what a page shows of each row is loaded together, never one query per row."""

from decimal import Decimal as D

import pytest

from dealer.extensions import db
from tests.conftest import sign_in
from tests.customers.test_queries import counted
from tests.factories import (
    make_authorized_job,
    make_callback,
    make_customer,
    make_order,
    make_part,
    make_user,
    make_vehicle,
)
from workorders import services as wo

BUDGET = {
    "search by name": 5,
    "search by plate": 5,
    "vehicles": 5,
    "customer page": 11,
    "work order page": 22,
    "work orders": 5,
    "job board, technician": 11,
    "job board, manager": 16,
    "dashboard": 15,
    "work order PDF": 13,
    "call list": 8,
    "VIP archive": 3,
}
"""The most statements each page may issue, the signed-in user with their roles and site
settings included (one statement for all three). A list whose page is full issues one more,
to count the pages (see ``dealer.web.paginate``). A page that shows cars asks once for the
open campaigns of all of them."""


class Shop:
    """A customer with many cars and visits, an order with many jobs and parts, many
    customers with a job each on the board, many technicians each clocked on a job of
    their own; ``grow`` adds ``n`` of each."""

    def __init__(self):
        self.advisor = make_user(roles=["advisor"])
        self.technician = make_user(roles=["technician"])
        self.manager = make_user(roles=["manager"])
        self.part = make_part(on_hand="1000")
        self.customer = make_customer(name="Regular Customer")
        self.order, job = make_authorized_job(advisor=self.advisor)
        wo.assign_job(self.advisor, job, self.technician)
        db.session.commit()

    def grow(self, n: int) -> None:
        for _ in range(n):
            owner = make_customer()
            owner.vip_tier = "Gold"
            other = make_vehicle(customer=owner)
            order, job = make_authorized_job(
                advisor=self.advisor,
                order=make_order(advisor=self.advisor, vehicle=other),
            )
            wo.assign_job(self.advisor, job, self.technician)
            colleague = make_user(roles=["technician"])
            _, theirs = make_authorized_job(advisor=self.advisor, order=order, title="Tyres")
            wo.assign_job(self.advisor, theirs, colleague)
            wo.clock_on(colleague, theirs)
            make_callback(order=order, assignee=self.manager).work_order_id = order.id
            car = make_vehicle(customer=self.customer)
            wo.open_work_order(
                self.advisor,
                car,
                odometer_km=car.odometer_km + 10,
                fuel_level=D("1"),
                concern="Oil",
            )
            job = wo.add_job(
                self.advisor,
                self.order,
                title="Extra",
                labor_hours=D("0.5"),
                category="minor_repair",
            )
            wo.add_part_line(
                self.advisor, self.order, job, part_number=self.part.part_number, quantity=D("1")
            )
        db.session.commit()


PAGES = {
    "search by name": ("advisor", lambda shop: "/customers?q=customer"),
    "search by plate": ("advisor", lambda shop: "/customers?q=%E6%B2%AAA"),
    "vehicles": ("advisor", lambda shop: "/vehicles?q=%E6%B2%AAA"),
    "customer page": ("advisor", lambda shop: f"/customers/{shop.customer.id}"),
    "work order page": ("advisor", lambda shop: f"/work-orders/{shop.order.id}"),
    "work orders": ("advisor", lambda shop: "/work-orders"),
    "job board, technician": ("technician", lambda shop: "/board"),
    "job board, manager": ("manager", lambda shop: "/board"),
    "dashboard": ("manager", lambda shop: "/dashboard"),
    "work order PDF": (
        "advisor",
        lambda shop: f"/work-orders/{shop.order.id}/documents/work-order.pdf",
    ),
    "call list": ("manager", lambda shop: "/callbacks?scope=all"),
    "VIP archive": ("manager", lambda shop: "/vip"),
}


def test_every_page_has_a_budget():
    assert set(BUDGET) == set(PAGES)


@pytest.mark.parametrize("page", PAGES)
def test_busy_page_statements_stay_fixed_as_data_grows(app, page):
    shop = Shop()
    role, path = PAGES[page]
    client = app.test_client()
    sign_in(client, getattr(shop, role).username)
    shop.grow(2)
    with counted() as few:
        assert client.get(path(shop)).status_code == 200
    shop.grow(8)
    with counted() as many:
        response = client.get(path(shop))
    assert response.status_code == 200
    assert len(many) == len(few), (page, len(few), len(many))
    assert len(many) <= BUDGET[page], (page, len(many))
