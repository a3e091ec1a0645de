"""Each role's work queue, read from the records as the start page lists it."""

from datetime import timedelta
from decimal import Decimal as D

from care.models import MessageReply
from dealer import services
from dealer.extensions import db
from parts import stock
from reports.queues import (
    inspector_queues,
    parts_queues,
    reads_the_dashboard,
    technician_queues,
    work_queues,
)
from tests.conftest import sign_in
from tests.factories import make_authorized_job, make_order, make_part, make_user
from workorders import services as wo
from workorders.models import StatusChange


def by_key(queues) -> dict:
    return {queue.key: queue for queue in queues}


def test_parts_that_arrive_show_on_the_technicians_queue_and_the_counters(app):
    advisor = make_user(roles=["advisor"])
    tech = make_user(roles=["technician"])
    counter = make_user(roles=["parts"])
    wipers = make_part(part_number="WIPER", on_hand="0", unit_price=D("10.00"))
    order, job = make_authorized_job(advisor=advisor, amount="500.00")
    wo.assign_job(advisor, job, tech)
    wo.add_part_line(advisor, order, job, part_number="WIPER", quantity=D("1"))
    db.session.commit()
    now = services.utcnow()
    mine = by_key(technician_queues(tech, now))
    assert [j.id for j in mine["my_jobs"].rows] == [job.id]
    assert mine["parts_arrived"].rows.total == 0
    counters = by_key(parts_queues(order.site_id))
    assert [j.id for j in counters["waiting_for_parts"].rows] == [job.id]
    assert counters["to_pick"].rows.total == 0

    stock.receive(counter, wipers, D("1"), D("6.00"), supplier="Bosch")
    db.session.commit()
    mine = by_key(technician_queues(tech, now))
    assert [j.id for j in mine["parts_arrived"].rows] == [job.id]
    counters = by_key(parts_queues(order.site_id))
    assert counters["waiting_for_parts"].rows.total == 0
    assert [line.part_number for line in counters["to_pick"].rows] == ["WIPER"]
    assert by_key(technician_queues(tech, now + timedelta(days=2)))["parts_arrived"].rows.total == 0


def test_the_inspector_sees_the_longest_waiting_car_first(app):
    advisor = make_user(roles=["advisor"])
    first, second = make_order(advisor=advisor), make_order(advisor=advisor)
    now = services.utcnow()
    for order, waited in ((first, 30), (second, 90)):
        order.status = "quality_check"
        db.session.add(
            StatusChange(
                work_order_id=order.id,
                from_status="in_progress",
                to_status="quality_check",
                at=now - timedelta(minutes=waited),
            )
        )
    db.session.commit()
    waiting = by_key(inspector_queues(first.site_id))["final_inspection"].rows
    assert [row.number for row in waiting] == [second.number, first.number]


def test_the_desk_sees_its_estimates_and_the_manager_reads_the_dashboard(app, client):
    advisor = make_user(roles=["advisor"], language="zh_Hans")
    manager = make_user(roles=["manager"])
    order = make_order(advisor=advisor)
    db.session.commit()
    queues = by_key(work_queues(advisor, services.settings_for(order.site_id), services.utcnow()))
    assert [row.number for row in queues["estimate_to_send"].rows] == [order.number]
    assert [row.number for row in queues["arrivals"].rows] == [order.number]
    assert reads_the_dashboard(manager) and not reads_the_dashboard(advisor)
    sign_in(client, advisor.username)
    page = client.get("/").get_data(as_text=True)
    assert "待报价给客户" in page and order.number in page and "estimate_to_send" in page
    other = app.test_client()
    sign_in(other, manager.username)
    assert 'id="dashboard"' in other.get("/").get_data(as_text=True)


def test_the_desk_sees_the_customers_replies_of_the_last_two_days(app, client):
    advisor = make_user(roles=["advisor"])
    order = make_order(advisor=advisor)
    now = services.utcnow()
    db.session.add_all(
        [
            MessageReply(
                site_id=order.site_id,
                customer_id=order.customer_id,
                channel="sms",
                from_address=order.customer.phone,
                text="几点能取车？",
                at=now - timedelta(hours=5),
            ),
            MessageReply(
                site_id=order.site_id,
                customer_id=order.customer_id,
                channel="sms",
                from_address=order.customer.phone,
                text="上周的问题已解决",
                at=now - timedelta(days=3),
            ),
        ]
    )
    db.session.commit()
    queues = by_key(work_queues(advisor, services.settings_for(order.site_id), now))
    assert [r.text for r in queues["replies"].rows] == ["几点能取车？"]
    sign_in(client, advisor.username)
    page = client.get("/").get_data(as_text=True)
    assert "Customers&#39; replies" in page and "几点能取车？" in page
    assert f"/customers/{order.customer_id}#messages" in page
