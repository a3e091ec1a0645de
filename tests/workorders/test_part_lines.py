"""Parts on an order: a technician's requests, issuing early and returning, stock that
arrives for waiting jobs."""

from decimal import Decimal as D

import pytest

from dealer.errors import DomainError, Forbidden, RuleBroken
from dealer.extensions import db
from tests.factories import make_authorized_job, make_part, make_user
from workorders import services as wo
from workorders.models import PartLine


def test_technician_requests_parts_for_own_job_only(advisor):
    tech, other = make_user(roles=["technician"]), make_user(roles=["technician"])
    make_part(part_number="CLIP-1", unit_price=D("5.00"), on_hand="10")
    order, job = make_authorized_job(advisor=advisor, title="Door trim", amount="300.00")
    wo.clock_on(tech, job)
    with pytest.raises(Forbidden):
        wo.add_part_line(other, order, job, part_number="CLIP-1", quantity=D("2"))
    line = wo.add_part_line(tech, order, job, part_number="CLIP-1", quantity=D("2"))
    assert line.request_status == "requested" and line.reserved_quantity == 0
    assert line.charged_quantity == 0
    total = wo.order_totals(order).total
    with pytest.raises(Forbidden):
        wo.decide_part_request(tech, line, approve=True)
    wo.decide_part_request(advisor, line, approve=True)
    assert line.on_the_bill and line.reserved_quantity == D("2")
    assert wo.order_totals(order).total > total


def test_a_technicians_parts_request_reaches_the_bill_only_when_approved(advisor):
    tech = make_user(roles=["technician"])
    make_part(part_number="PAD-9", unit_price=D("400.00"), on_hand="10")
    order, job = make_authorized_job(advisor=advisor, title="Brakes")
    wo.clock_on(tech, job)
    before = wo.order_totals(order).total
    line = wo.add_part_line(tech, order, job, part_number="PAD-9", quantity=D("1"))
    assert wo.order_totals(order).total == before
    db.session.commit()
    with pytest.raises(RuleBroken, match="customer must authorize"):
        wo.decide_part_request(advisor, line, approve=True)
    db.session.rollback()
    line = db.session.get(PartLine, line.id)
    assert line.request_status == "requested"
    wo.authorize_jobs(
        advisor,
        line.work_order,
        approved_job_ids=[],
        declined_job_ids=[],
        approved_part_line_ids=[line.id],
        authorized_by="Owner",
        method="phone",
        phone="13912345678",
        amount=None,
    )
    assert line.on_the_bill and line.reserved_quantity == D("1")
    assert wo.order_totals(line.work_order).total > before
    declined = wo.add_part_line(
        tech, line.work_order, line.job, part_number="PAD-9", quantity=D("1")
    )
    wo.decide_part_request(advisor, declined, approve=False)
    assert declined.request_status == "declined" and declined.charged_quantity == 0


def test_parts_are_issued_early_and_unused_ones_come_back_uncharged(
    app, client, token_for, advisor
):
    from parts.models import Part

    counter = make_user(roles=["parts"])
    bolts = make_part(part_number="BOLT-1", unit_price=D("10.00"), on_hand="10")
    order, job = make_authorized_job(advisor=advisor, amount="500.00")
    line = wo.add_part_line(advisor, order, job, part_number="BOLT-1", quantity=D("4"))
    wo.issue_parts(counter, line)
    assert (line.reserved_quantity, line.issued_quantity) == (D("0"), D("4"))
    with pytest.raises(DomainError, match="issued quantity"):
        wo.return_parts(counter, line, D("5"))
    wo.return_parts(counter, line, D("1"))
    db.session.commit()
    assert line.charged_quantity == D("3") and wo.line_amount(line) == D("30.00")
    assert db.session.get(Part, bolts.id).on_hand == D("7")
    headers = token_for("parts")
    back = client.post(
        f"/api/v1/work-orders/{order.id}/parts/{line.id}/returns",
        headers=headers,
        json={"quantity": 1},
    )
    assert back.status_code == 201 and back.get_json()["returned_quantity"] == 2
    assert (
        client.post(
            f"/api/v1/work-orders/{order.id}/parts/{line.id}/issue", headers=headers
        ).status_code
        == 409
    )


def test_arriving_stock_goes_to_the_oldest_waiting_job(advisor):
    from parts import stock

    counter = make_user(roles=["parts"])
    wipers = make_part(part_number="WIPER", on_hand="0", unit_price=D("10.00"))
    first_order, first = make_authorized_job(advisor=advisor, amount="500.00")
    second_order, second = make_authorized_job(advisor=advisor, amount="500.00")
    wo.add_part_line(advisor, first_order, first, part_number="WIPER", quantity=D("1"))
    wo.add_part_line(advisor, second_order, second, part_number="WIPER", quantity=D("1"))
    assert first.waiting_for_parts and second.waiting_for_parts
    stock.receive(counter, wipers, D("1"), D("6.00"), supplier="Bosch")
    assert (first.waiting_for_parts, second.waiting_for_parts) == (False, True)
    assert first.parts[0].reserved_quantity == D("1") and wipers.available == D("0")
    stock.receive(counter, wipers, D("3"), D("6.00"))
    assert second.waiting_for_parts is False


def test_a_part_outside_the_catalogue_is_special_ordered_and_stocked_on_receipt(advisor):
    from parts import stock
    from parts.models import Part

    counter = make_user(roles=["parts"])
    order, job = make_authorized_job(advisor=advisor, amount="2000.00")
    line = wo.add_special_order_line(
        advisor,
        order,
        job,
        part_number="X-77 mirror glass",
        name="Mirror glass, heated",
        unit_price=D("380.00"),
        quantity=D("1"),
        supplier="Harbour Auto Parts",
    )
    part = db.session.get(Part, line.part_id)
    assert (part.special_order, part.supplier, part.on_hand) == (True, "Harbour Auto Parts", 0)
    assert line.unit_price == D("380.00") and line.condition == "new_genuine"
    assert job.waiting_for_parts
    with pytest.raises(DomainError, match="in the catalogue"):
        wo.add_special_order_line(
            advisor,
            order,
            job,
            part_number="x-77 MIRROR glass",
            name="Again",
            unit_price=D("1.00"),
            quantity=D("1"),
        )
    tech = make_user(roles=["technician"])
    with pytest.raises(Forbidden):
        wo.add_special_order_line(
            tech, order, job, part_number="Y-1", name="Y", unit_price=D("1"), quantity=D("1")
        )
    stock.receive(counter, part, D("1"), D("250.00"), supplier="Harbour Auto Parts")
    assert part.special_order is False and job.waiting_for_parts is False
    assert line.reserved_quantity == D("1")


def test_a_special_order_from_the_page_and_the_api(app, client, token_for, login):
    from tests.conftest import csrf_token

    desk = login("advisor")
    order, job = make_authorized_job(advisor=desk, amount="5000.00")
    db.session.commit()
    page = f"/work-orders/{order.id}"
    token = csrf_token(client, page)
    answer = client.post(
        f"{page}/special-parts",
        data={
            "special-csrf_token": token,
            "special-version": order.version,
            "special-job_id": job.id,
            "special-part_number": "SO-1",
            "special-name": "Door trim clip",
            "special-quantity": "4",
            "special-unit_price": "6.50",
            "special-supplier": "Harbour Auto Parts",
            "special-condition": "new_aftermarket",
        },
        follow_redirects=True,
    )
    assert "Special order placed" in answer.get_data(as_text=True)
    db.session.expire_all()
    line = db.session.scalars(db.select(PartLine).where(PartLine.part_number == "SO-1")).one()
    assert (line.quantity, line.condition) == (D("4"), "new_aftermarket")
    api = client.post(
        f"/api/v1/work-orders/{order.id}/special-parts",
        json={
            "job_id": job.id,
            "part_number": "SO-2",
            "name": "Wheel arch liner",
            "quantity": "1",
            "unit_price": "120.00",
        },
        headers=token_for("parts"),
    )
    assert api.status_code == 201 and api.json["amount"] == "120.00"
    refused = client.post(
        f"/api/v1/work-orders/{order.id}/special-parts",
        json={"job_id": job.id, "part_number": "SO-2", "name": "x", "quantity": "1"},
        headers=token_for("parts"),
    )
    assert refused.status_code == 422 and "unit_price" in refused.json["errors"]
    parts_page = client.get("/parts?q=SO-").get_data(as_text=True)
    assert parts_page.count("special-order") == 2
