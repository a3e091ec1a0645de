"""The rules the papers print hold on the server, for the page and the API alike."""

from decimal import Decimal as D

import pytest

from dealer.errors import DomainError, Forbidden, RuleBroken
from dealer.extensions import db
from tests.conftest import csrf_token
from tests.factories import SIGNATURE, SIGNATURE_URL, make_authorized_job, make_user
from workorders import services as wo
from workorders.models import WorkOrder

ALL_CHECKED = dict.fromkeys(wo.QC_CHECKLIST, True)


# --- payments and discounts ------------------------------------------------------------


def test_a_payment_above_the_amount_due_needs_the_change_recorded(staff):
    advisor = staff["advisor"]
    order, _job = make_authorized_job(advisor=advisor)
    due = wo.amount_due(order)
    assert due > 0
    with pytest.raises(DomainError) as refused:
        wo.record_payment(advisor, order, method="cash", amount=D("1000000.00"))
    assert refused.value.errors[0][0] == "amount"
    assert "more than" in str(refused.value)
    with pytest.raises(DomainError) as short_change:
        wo.record_payment(
            advisor, order, method="cash", amount=D("1000.00"), change_given=D("1.00")
        )
    assert short_change.value.errors[0][0] == "change_given"
    paid = wo.record_payment(
        advisor, order, method="cash", amount=D("1000.00"), change_given=D("1000.00") - due
    )
    assert paid.kept == due and wo.amount_paid(order) == due and wo.amount_due(order) == 0
    with pytest.raises(DomainError):
        wo.record_payment(advisor, order, method="card", amount=D("0.01"))


def test_a_deposit_may_cover_the_estimate_before_it_is_approved(staff):
    advisor = staff["advisor"]
    order, _job = make_authorized_job(advisor=advisor)
    wo.add_job(advisor, order, title="Wipers", labor_hours=D("0.5"), category="minor_repair")
    estimate = wo.total_if_all_approved(order)
    assert estimate > wo.order_totals(order).total
    wo.record_payment(advisor, order, method="card", amount=estimate)
    assert wo.amount_due(order) == 0


def test_the_api_refuses_an_overpayment_naming_the_field(client, token_for, staff):
    order, _job = make_authorized_job(advisor=staff["advisor"])
    db.session.commit()
    headers = token_for("advisor")
    response = client.post(
        f"/api/v1/work-orders/{order.id}/payments",
        json={"payment_method": "cash", "amount": "999999.00"},
        headers=headers,
    )
    assert response.status_code == 422 and "amount" in response.json["errors"]


@pytest.mark.parametrize("value", ["0", "-5", "0.00"])
def test_a_zero_or_negative_discount_gets_a_validation_message(client, token_for, staff, value):
    order, _job = make_authorized_job(advisor=staff["advisor"])
    db.session.commit()
    if D(value) == 0:
        with pytest.raises(DomainError) as refused:
            wo.add_discount(staff["advisor"], order, kind="amount", value=D(value), reason="Loyal")
        assert refused.value.errors[0][0] == "value"
        db.session.rollback()
    for kind in ("amount", "percent"):
        response = client.post(
            f"/api/v1/work-orders/{order.id}/discounts",
            json={"kind": kind, "value": value, "reason": "Loyal customer"},
            headers=token_for("manager"),
        )
        assert response.status_code == 422, response.json
        assert "value" in response.json["errors"]


# --- four eyes at the final inspection --------------------------------------------------


def excused(advisor, job, reason="Sublet to the glass shop"):
    wo.excuse_no_clock(advisor, job, reason)


def to_quality_check(staff, *, by=None):
    """An order whose one job was completed by ``by`` (the technician) without its inspector."""
    advisor, tech = staff["advisor"], by or staff["tech"]
    order, job = make_authorized_job(advisor=advisor)
    wo.clock_on(tech, job)
    wo.complete_job(tech, job)
    assert order.status == "quality_check"
    return order, job


@pytest.mark.parametrize("how", ["assigned", "findings", "completed", "clocked"])
def test_no_one_who_worked_on_the_order_passes_it(staff, how):
    advisor, tech, inspector = staff["advisor"], staff["tech"], staff["inspector"]
    manager = staff["manager"]
    order, job = make_authorized_job(advisor=advisor)
    helper = wo.add_job(advisor, order, title="Wash", labor_hours=D("0.2"), category="minor_repair")
    wo.authorize_jobs(
        advisor,
        order,
        approved_job_ids=[helper.id],
        declined_job_ids=[],
        authorized_by="Owner",
        method="phone",
        phone="13912345678",
        amount=None,
    )
    worker = manager if how in ("completed", "clocked") else inspector
    if how == "assigned":
        wo.assign_job(advisor, helper, make_user(roles=["technician", "inspector"]))
        worker = helper.technician
    elif how == "findings":
        worker = make_user(roles=["inspector", "advisor"])
        wo.record_findings(worker, helper, "Wiper arm loose")
    wo.clock_on(tech, job)
    wo.complete_job(tech, job)
    if how == "completed":
        excused(advisor, helper)
        wo.complete_job(manager, helper)
    elif how == "clocked":
        wo.clock_on(manager, helper)
        wo.complete_job(manager, helper)
    else:
        excused(advisor, helper)
        wo.complete_job(manager, helper)
    assert order.status == "quality_check"
    with pytest.raises(RuleBroken, match="worked on this car"):
        wo.record_quality_check(worker, order, passed=True, checklist=ALL_CHECKED)
    fresh = inspector if worker is not inspector else make_user(roles=["inspector"])
    wo.record_quality_check(fresh, order, passed=True, checklist=ALL_CHECKED)
    assert order.status == "ready"


def test_a_job_with_no_clocked_time_needs_the_desk_to_say_why(staff):
    advisor, tech = staff["advisor"], staff["tech"]
    _order, job = make_authorized_job(advisor=advisor)
    wo.assign_job(advisor, job, tech)
    with pytest.raises(RuleBroken, match="No time is clocked"):
        wo.complete_job(tech, job)
    with pytest.raises(RuleBroken, match="No time is clocked"):
        wo.complete_job(staff["manager"], job)
    with pytest.raises(Forbidden):
        wo.excuse_no_clock(tech, job, "It was quick")
    with pytest.raises(DomainError):
        wo.excuse_no_clock(advisor, job, " ")
    excused(advisor, job, "Checked tyre pressure, no time")
    wo.complete_job(tech, job)
    assert job.status == "done" and job.completed_by_id == tech.id


def test_the_api_records_why_no_time_is_clocked(client, token_for, staff):
    _order, job = make_authorized_job(advisor=staff["advisor"])
    db.session.commit()
    tech = token_for("technician")
    client.patch(
        f"/api/v1/jobs/{job.id}",
        json={"technician_id": staff["tech"].id},
        headers=token_for("advisor"),
    )
    refused = client.post(
        f"/api/v1/jobs/{job.id}/no-clock-reason", json={"reason": "quick"}, headers=tech
    )
    assert refused.status_code == 403
    done = client.post(
        f"/api/v1/jobs/{job.id}/no-clock-reason",
        json={"reason": "Sublet to the glass shop"},
        headers=token_for("advisor"),
    )
    assert done.status_code == 200 and done.json["no_clock_reason"] == "Sublet to the glass shop"


def test_the_certificate_never_names_one_person_twice(staff):
    advisor, _tech = staff["advisor"], staff["tech"]
    inspector = make_user(roles=["inspector", "technician"])
    order, job = make_authorized_job(advisor=advisor)
    wo.clock_on(inspector, job)
    wo.complete_job(inspector, job)
    with pytest.raises(RuleBroken):
        wo.record_quality_check(inspector, order, passed=True, checklist=ALL_CHECKED)
    wo.record_quality_check(staff["inspector"], order, passed=True, checklist=ALL_CHECKED)
    check = order.quality_checks[-1]
    assert check.inspector_id not in {j.technician_id for j in order.jobs}


# --- the not-to-exceed ceiling ---------------------------------------------------------


def diagnosis_order(advisor, *, ceiling: str | None, hours: str = "1"):
    from tests.factories import make_order

    order = make_order(advisor=advisor)
    job = wo.add_job(
        advisor,
        order,
        title="Diagnose the rattle",
        labor_hours=D(hours),
        category="minor_repair",
        is_diagnosis=True,
    )
    assert order.status == "estimating"
    if ceiling is not None:
        wo.update_order(advisor, order, not_to_exceed=D(ceiling))
    return order, job


def test_diagnosis_within_the_ceiling_is_worked_on_without_asking_again(staff):
    order, job = diagnosis_order(staff["advisor"], ceiling="500.00")
    wo.clock_on(staff["tech"], job)
    assert job.status == "in_progress" and order.status == "in_progress"
    assert wo.headroom(order) == D("500.00") - wo.order_totals(order).total


def test_diagnosis_past_the_ceiling_or_without_one_waits_for_the_customer(staff):
    _order, job = diagnosis_order(staff["advisor"], ceiling="100.00", hours="3")
    with pytest.raises(RuleBroken, match="ceiling"):
        wo.clock_on(staff["tech"], job)
    assert job.status == "pending"
    _other, other_job = diagnosis_order(staff["advisor"], ceiling=None)
    with pytest.raises(RuleBroken, match="not authorized"):
        wo.clock_on(staff["tech"], other_job)


def test_nothing_is_added_past_the_ceiling(staff):
    from tests.factories import make_part

    advisor = staff["advisor"]
    order, job = diagnosis_order(advisor, ceiling="300.00")
    wo.clock_on(staff["tech"], job)
    cheap = make_part(unit_price=D("20.00"))
    dear = make_part(unit_price=D("900.00"))
    wo.add_part_line(advisor, order, job, part_number=cheap.part_number, quantity=D("1"))
    with pytest.raises(RuleBroken, match="above the amount"):
        wo.add_part_line(advisor, order, job, part_number=dear.part_number, quantity=D("1"))


def test_the_headroom_shows_on_the_order_page_the_board_and_the_api(
    client, login, token_for, staff
):
    order, job = diagnosis_order(staff["advisor"], ceiling="500.00")
    db.session.commit()
    headroom = wo.headroom(order)
    login("advisor")
    page = client.get(f"/work-orders/{order.id}").get_data(as_text=True)
    assert 'id="headroom"' in page
    api = client.get(f"/api/v1/work-orders/{order.id}", headers=token_for("advisor")).json
    assert D(api["headroom"]) == headroom
    tech = make_user(roles=["technician"])
    board = client.get("/api/v1/jobs?assignee=unassigned", headers=token_for("technician"))
    assert [j["id"] for j in board.json["items"]] == [job.id]
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    from tests.conftest import sign_in

    sign_in(client, tech.username)
    board_page = client.get("/board").get_data(as_text=True)
    assert f"board-job-{job.id}" in board_page and "headroom" in board_page


# --- what an authorization says ---------------------------------------------------------


def test_declined_work_never_inflates_the_authorized_total(staff):
    advisor = staff["advisor"]
    from tests.factories import make_order

    order = make_order(advisor=advisor)
    keep = wo.add_job(advisor, order, title="Brakes", labor_hours=D("1"), category="minor_repair")
    drop = wo.add_job(advisor, order, title="Wash", labor_hours=D("2"), category="minor_repair")
    assert order.status == "estimating"
    db.session.commit()
    everything = wo.total_if_all_approved(order)
    with pytest.raises(DomainError) as refused:
        wo.authorize_jobs(
            advisor,
            order,
            approved_job_ids=[keep.id],
            declined_job_ids=[drop.id],
            authorized_by="Owner",
            method="phone",
            phone="13912345678",
            amount=everything,
        )
    assert refused.value.errors[0][0] == "amount"
    db.session.rollback()
    order = db.session.get(WorkOrder, order.id)
    wo.authorize_jobs(
        advisor,
        order,
        approved_job_ids=[keep.id],
        declined_job_ids=[drop.id],
        authorized_by="Owner",
        method="phone",
        phone="13912345678",
        amount=None,
    )
    assert order.authorized_amount == wo.order_totals(order).total < everything


def test_in_person_needs_a_signature_and_phone_a_number_on_page_and_api(
    client, login, token_for, staff
):
    from tests.factories import make_order

    order = make_order(advisor=staff["advisor"])
    job = wo.add_job(
        staff["advisor"], order, title="Brakes", labor_hours=D("1"), category="minor_repair"
    )
    assert order.status == "estimating"
    db.session.commit()
    headers = token_for("advisor")
    body = {
        "approved_job_ids": [job.id],
        "authorized_by": "Owner",
        "amount": str(wo.total_if_all_approved(order)),
    }
    unsigned = client.post(
        f"/api/v1/work-orders/{order.id}/authorizations",
        json=body | {"method": "in_person"},
        headers=headers,
    )
    assert unsigned.status_code == 422 and "signature" in unsigned.json["errors"]
    no_number = client.post(
        f"/api/v1/work-orders/{order.id}/authorizations",
        json=body | {"method": "phone"},
        headers=headers,
    )
    assert no_number.status_code == 422 and "phone" in no_number.json["errors"]
    login("advisor")
    page = client.post(
        f"/work-orders/{order.id}/authorize",
        data={
            "csrf_token": csrf_token(client, f"/work-orders/{order.id}"),
            "version": order.version,
            "authorized_by": "Owner",
            "method": "in_person",
            f"decision-{job.id}": "approve",
        },
        follow_redirects=True,
    )
    assert "needs the customer&#39;s signature" in page.get_data(as_text=True)
    db.session.refresh(job)
    assert job.status == "pending"
    signed = client.post(
        f"/api/v1/work-orders/{order.id}/authorizations",
        json=body | {"method": "in_person", "signature": SIGNATURE_URL},
        headers=headers,
    )
    assert signed.status_code == 201


def test_the_work_order_prints_what_was_captured(staff):
    from tests.workorders.test_documents import text_of
    from workorders.services import documents

    advisor = staff["advisor"]
    order, _job = make_authorized_job(advisor=advisor)
    extra = wo.add_job(
        advisor, order, title="Wipers", labor_hours=D("0.3"), category="minor_repair"
    )
    wo.authorize_jobs(
        advisor,
        order,
        approved_job_ids=[extra.id],
        declined_job_ids=[],
        authorized_by="Wang Wei",
        method="in_person",
        signature=SIGNATURE,
        amount=None,
    )
    order.customer.preferred_language = "en"
    db.session.commit()
    text = " ".join(text_of(documents.document(order, "work-order", copy="shop")))
    packed = "".join(text.split())
    assert "Byphone13912345678" in packed
    assert "Inperson·signed" in packed
    assert "Customer, authorizing the work: Wang Wei" in text


# --- signed records are frozen -----------------------------------------------------------


def test_leaving_intake_needs_the_customers_acknowledgement(client, login, token_for, staff):
    from tests.factories import make_order

    advisor = staff["advisor"]
    order = make_order(advisor=advisor, inspected=False)
    wo.record_inspection(advisor, order, wo.InspectionInput(belongings=["spare wheel"]))
    db.session.commit()
    assert order.status == "intake"
    with pytest.raises(RuleBroken, match="acknowledges"):
        wo.move_order(advisor, order, "estimating")
    db.session.rollback()
    api = client.post(
        f"/api/v1/work-orders/{order.id}/transitions",
        json={"to": "estimating"},
        headers=token_for("advisor"),
    )
    assert api.status_code == 409 and "acknowledges" in api.json["detail"]
    signed = client.put(
        f"/api/v1/work-orders/{order.id}/inspection",
        json={"belongings": ["spare wheel"], "signature": SIGNATURE_URL},
        headers=token_for("advisor"),
    )
    assert signed.status_code == 200 and signed.json["status"] == "estimating"


def test_a_signed_walk_around_is_kept_and_prints_after_a_later_change(client, token_for, staff):
    from tests.factories import make_order
    from tests.workorders.test_documents import text_of
    from workorders.services import documents

    advisor = staff["advisor"]
    order = make_order(advisor=advisor, inspected=False)
    wo.record_inspection(
        advisor,
        order,
        wo.InspectionInput(
            panels=[{"panel": "hood", "damage": "dent", "note": "Deep dent by the badge"}],
            belongings=["spare wheel"],
            acknowledged_by="Li Lei",
            signature=SIGNATURE,
        ),
    )
    order.customer.preferred_language = "en"
    db.session.commit()
    wiped = client.put(
        f"/api/v1/work-orders/{order.id}/inspection", json={}, headers=token_for("advisor")
    )
    assert wiped.status_code == 200
    db.session.refresh(order.inspection)
    inspection = order.inspection
    assert inspection.version == 2 and not inspection.acknowledged
    kept = inspection.versions[0]
    assert kept.version == 1 and kept.acknowledged_by == "Li Lei" and kept.signature_file
    assert kept.record["panels"][0]["note"] == "Deep dent by the badge"
    text = " ".join(text_of(documents.document(order, "work-order", copy="shop")))
    assert "Deep dent by the badge" in text and "Li Lei" in text
    assert "awaits the customer's acknowledgement" in text
    kept.acknowledged_by = "Someone else"
    with pytest.raises(RuleBroken, match="cannot be changed"):
        db.session.flush()
    db.session.rollback()


def test_an_authorization_cannot_be_changed_or_deleted(staff):
    order, _job = make_authorized_job(advisor=staff["advisor"])
    db.session.commit()
    authorization = order.authorizations[0]
    authorization.amount = D("1.00")
    with pytest.raises(RuleBroken):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(type(authorization), authorization.id))
    with pytest.raises(RuleBroken):
        db.session.flush()
    db.session.rollback()


def test_findings_are_frozen_at_delivery_and_kept_to_the_job(staff):
    from tests.care.visits import delivered

    order = delivered()
    job = order.jobs[0]
    with pytest.raises(RuleBroken, match="closed"):
        wo.record_findings(staff["advisor"], job, "Changed afterwards")
    _open_order, open_job = make_authorized_job(advisor=staff["advisor"])
    wo.clock_on(staff["tech"], open_job)
    with pytest.raises(Forbidden):
        wo.record_findings(staff["tech2"], open_job, "Not my job")
    wo.record_findings(staff["tech"], open_job, "Pads at 2 mm")
    assert open_job.findings_by_id == staff["tech"].id


def test_the_advisor_pulls_booked_work_into_the_cars_next_order(client, login, staff):
    from care.models import Callback
    from tests.care.visits import delivered
    from tests.factories import make_order

    order = delivered(declined=True)
    callback = (
        db.session.query(Callback).filter_by(work_order_id=order.id, kind="declined_work").one()
    )
    from workorders.models import BookedWork

    declined = next(job for job in order.jobs if job.status == "declined")
    booking = BookedWork(
        site_id=order.site_id,
        customer_id=order.customer_id,
        vehicle_id=order.vehicle_id,
        source_job_id=declined.id,
        callback_id=callback.id,
        booked_by_id=staff["advisor"].id,
    )
    db.session.add(booking)
    db.session.commit()
    visit = make_order(advisor=staff["advisor"], vehicle=order.vehicle)
    login("advisor")
    page = client.get(f"/work-orders/{visit.id}").get_data(as_text=True)
    assert 'id="booked-work"' in page and "Front brake pads" in page
    client.post(
        f"/work-orders/{visit.id}/booked-work/{booking.id}",
        data={
            "csrf_token": csrf_token(client, f"/work-orders/{visit.id}"),
            "version": visit.version,
        },
    )
    db.session.refresh(visit)
    assert [j.title for j in visit.jobs] == ["Front brake pads"]
    assert 'id="booked-work"' not in client.get(f"/work-orders/{visit.id}").get_data(as_text=True)


def test_work_still_to_be_decided_takes_no_headroom(staff):
    from tests.factories import make_part

    advisor = staff["advisor"]
    order, job = make_authorized_job(advisor=advisor, amount="600.00")
    pending = wo.add_job(advisor, order, title="Wash", labor_hours=D("5"), category="minor_repair")
    assert pending.status == "proposed"
    assert wo.headroom(order) == D("600.00") - wo.authorized_total(order) > 0
    part = make_part(unit_price=D("50.00"))
    wo.add_part_line(advisor, order, job, part_number=part.part_number, quantity=D("1"))
    fresh, _job = diagnosis_order(advisor, ceiling=None)
    assert wo.headroom(fresh) == 0
