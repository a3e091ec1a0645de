"""The stock ledger: counters agree with the ledger after any sequence; bad input is refused."""

from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dealer.errors import DomainError, Forbidden
from dealer.extensions import db
from parts import stock
from parts.models import Part
from tests.conftest import csrf_token
from tests.factories import make_part, make_user

quantities = st.decimals(min_value=D("0.001"), max_value=D("50"), places=3)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("receive"), quantities),
        st.tuples(st.just("reserve"), quantities),
        st.tuples(st.just("release"), quantities),
        st.tuples(st.just("issue"), quantities),
        st.tuples(st.just("return"), quantities),
        st.tuples(st.just("adjust"), st.decimals(min_value=D("-20"), max_value=D("20"), places=3)),
    ),
    max_size=25,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(sequence=steps)
def test_counters_always_agree_with_the_ledger(app, sequence):
    manager = make_user(roles=["manager"])
    part = make_part(on_hand="0")
    reserved_here = D("0")
    issued_here = D("0")
    for kind, quantity in sequence:
        if kind == "receive":
            stock.receive(manager, part, quantity, D("10.00"))
        elif kind == "reserve":
            if stock.reserve(manager, part, quantity, work_order_id=1, part_line_id=1):
                reserved_here += quantity
        elif kind == "release" and quantity <= reserved_here:
            stock.release(manager, part, quantity, work_order_id=1, part_line_id=1)
            reserved_here -= quantity
        elif kind == "issue" and quantity <= reserved_here:
            stock.issue(manager, part, quantity, work_order_id=1, part_line_id=1)
            reserved_here -= quantity
            issued_here += quantity
        elif kind == "return" and quantity <= issued_here:
            stock.return_to_stock(manager, part, quantity, work_order_id=1, part_line_id=1)
            issued_here -= quantity
        elif kind == "adjust" and quantity != 0:
            try:
                stock.adjust(manager, part, quantity, "stocktake")
            except DomainError:
                db.session.rollback()
        db.session.commit()
        db.session.refresh(part)
        assert (part.on_hand, part.reserved) == stock.ledger_figures(part.id)
        assert part.available >= 0 and part.reserved == reserved_here


def test_reservation_never_takes_more_than_is_available(app):
    part = make_part(on_hand="1")
    assert stock.reserve(None, part, D("1"), work_order_id=1, part_line_id=1)
    assert not stock.reserve(None, part, D("0.5"), work_order_id=1, part_line_id=2)
    db.session.refresh(part)
    assert part.available == 0


def test_bad_stock_input_is_refused(app):
    manager = make_user(roles=["manager"])
    part = make_part(on_hand="2")
    stock.reserve(manager, part, D("2"), work_order_id=1, part_line_id=1)
    db.session.commit()
    for call, field in (
        (lambda: stock.receive(manager, part, D("-1"), D("1.00")), "quantity"),
        (lambda: stock.receive(manager, part, D("1"), D("-1.00")), "unit_cost"),
        (lambda: stock.adjust(manager, part, D("-1"), "lost"), "quantity"),
        (lambda: stock.adjust(manager, part, D("1"), ""), "reason"),
        (lambda: stock.adjust(manager, part, D("1"), "found", write_off=True), "quantity"),
    ):
        with pytest.raises(DomainError) as caught:
            call()
        assert caught.value.errors[0][0] == field
        db.session.rollback()
    with pytest.raises(Forbidden):
        stock.adjust(make_user(roles=["advisor"]), part, D("1"), "found")


def test_receiving_moves_the_average_cost(app):
    part = make_part(on_hand="10", unit_cost=D("40.00"))
    stock.receive(None, part, D("10"), D("50.00"), supplier="Toyota Parts Center")
    assert part.unit_cost == D("45.00") and part.on_hand == D("20")


def test_parts_pages(app, client, login):
    login("parts")
    response = client.post(
        "/parts/new",
        data={
            "part_number": "04465-33450",
            "name": "Brake pads",
            "unit_price": "350",
            "unit_cost": "200",
            "reorder_point": "4",
            "genuine": "y",
            "csrf_token": csrf_token(client, "/parts/new"),
        },
    )
    assert response.status_code == 302
    part = db.session.scalar(db.select(Part))
    page = f"/parts/{part.id}"
    assert "04465-33450" in client.get("/parts?low=1").get_data(as_text=True)
    client.post(
        f"{page}/receive",
        data={
            "quantity": "6",
            "unit_cost": "200",
            "supplier": "FAW Toyota",
            "csrf_token": csrf_token(client, page),
        },
    )
    refused = client.post(
        f"{page}/adjust",
        data={"change": "-10", "reason": "count", "csrf_token": csrf_token(client, page)},
        follow_redirects=True,
    )
    assert "cannot go below" in refused.get_data(as_text=True)
    client.post(
        f"{page}/adjust",
        data={
            "change": "-1",
            "reason": "damaged box",
            "write_off": "y",
            "csrf_token": csrf_token(client, page),
        },
    )
    db.session.expire_all()
    assert db.session.get(Part, part.id).on_hand == D("5")
    ledger = client.get(page).get_data(as_text=True)
    assert "FAW Toyota" in ledger and "damaged box" in ledger
    assert "04465-33450" not in client.get("/parts?low=1").get_data(as_text=True)
    assert client.get("/parts/waiting").status_code == 200


def test_adjustments_and_movements_through_the_api(client, token_for):
    part = make_part(on_hand="3")
    headers = token_for("parts")
    body = client.post(
        f"/api/v1/parts/{part.id}/adjustments",
        headers=headers,
        json={"quantity": -1, "reason": "stocktake"},
    )
    assert body.status_code == 201 and body.get_json()["on_hand"] == 2
    bad = client.post(
        f"/api/v1/parts/{part.id}/adjustments",
        headers=headers,
        json={"quantity": -5, "reason": "x"},
    )
    assert bad.status_code == 422 and "quantity" in bad.get_json()["errors"]
    moves = client.get(f"/api/v1/parts/{part.id}/movements", headers=headers).get_json()
    assert [m["kind"] for m in moves["items"]] == ["adjustment"]
    assert (
        client.post(
            f"/api/v1/parts/{part.id}/adjustments",
            headers=token_for("advisor"),
            json={"quantity": 1, "reason": "x"},
        ).status_code
        == 403
    )


def test_a_part_is_edited_and_retired_on_its_page(app, client, login):
    login("parts")
    part = make_part(part_number="F-1", on_hand="5")
    page = f"/parts/{part.id}/edit"
    refused = client.post(
        page,
        data={
            "part_number": "F-1",
            "name": "",
            "unit_price": "-1",
            "csrf_token": csrf_token(client, page),
        },
    )
    assert refused.status_code == 422
    done = client.post(
        page,
        data={
            "part_number": "F-1",
            "name": "Oil filter",
            "unit_price": "55.00",
            "unit_cost": "28.00",
            "bin_location": "C-3",
            "reorder_point": "2",
            "csrf_token": csrf_token(client, page),
        },
    )
    assert done.status_code == 302
    db.session.expire_all()
    edited = db.session.get(Part, part.id)
    assert (edited.name, edited.unit_price, edited.bin_location, edited.active) == (
        "Oil filter",
        D("55.00"),
        "C-3",
        False,
    )
    assert edited.on_hand == D("5")
