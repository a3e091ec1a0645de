"""Warranty claims: drafted by themselves when a warranty-paid job is done, filled from the
job and priced at the manufacturer's terms; their steps allowed only from the statuses the
rules give (a rejection with its reason, corrected and submitted again; a payment, short or
full); exported as CSV and printed; and the old parts kept for the manufacturer, tagged,
shelved and reminded of when due."""

import csv
import io
import subprocess
from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from dealer.errors import DomainError, Forbidden, RuleBroken
from dealer.extensions import db
from tests.conftest import sign_in
from tests.factories import make_order, make_part, make_user, make_vehicle
from tests.warranty.work import do_the_work
from warranty import claims
from warranty.models import WarrantyClaim
from warranty.terms import site_today
from workorders import services as wo


@pytest.fixture
def repaired(app):
    """A warranty repair done: a leaking water pump, one part, findings written; and a
    customer-paid oil service on the same order."""
    advisor = make_user(roles=["advisor"])
    admin = make_user(roles=["warranty"])
    pump = make_part(
        part_number="WP-2201", name_zh="水泵", unit_cost=D("300.00"), unit_price=D("480.00")
    )
    order = make_order(
        advisor=advisor,
        vehicle=make_vehicle(make="Buick", odometer_km=18000),
        concern="Coolant leak under the engine",
    )
    job = wo.add_job(
        advisor,
        order,
        title="Replace the water pump",
        labor_hours=D("2.4"),
        category="minor_repair",
        pay_type="warranty",
    )
    wo.add_part_line(advisor, order, job, part_number="WP-2201", quantity=D("1"))
    job.findings = "Pump seal weeping; bearing play"
    oil = wo.add_job(
        advisor, order, title="Oil service", labor_hours=D("1"), category="level1_maintenance"
    )
    db.session.commit()
    do_the_work(order, advisor, deliver=False)
    return order, job, oil, admin, pump


def _claim(job) -> WarrantyClaim:
    return db.session.query(WarrantyClaim).filter_by(job_id=job.id).one()


def test_a_done_warranty_job_drafts_its_claim(repaired):
    order, job, oil, _admin, pump = repaired
    claim = _claim(job)
    assert claim.status == "draft" and claim.manufacturer == "Buick"
    assert claim.vin == order.vehicle.vin and claim.work_order_id == order.id
    assert (claim.complaint, claim.cause, claim.correction) == (
        "Coolant leak under the engine",
        "Pump seal weeping; bearing play",
        "Replace the water pump",
    )
    assert claim.causal_part_number == "WP-2201"
    assert claim.labor_rate == D("120.00") and claim.labor_amount == D("288.00")
    assert claim.parts == [
        {
            "part_number": "WP-2201",
            "name": pump.name,
            "name_zh": "水泵",
            "quantity": "1",
            "unit_price": "345.00",
            "amount": "345.00",
        }
    ]
    assert claim.total_claimed == D("633.00")
    assert claim.repaired_on == site_today(order.site_id)
    assert db.session.query(WarrantyClaim).filter_by(job_id=oil.id).count() == 0


def test_the_claim_steps_follow_their_statuses(repaired):
    _order, job, _oil, admin, _pump = repaired
    claim = _claim(job)
    for step in (
        lambda: claims.accept(admin, claim),
        lambda: claims.reject(admin, claim, "no"),
        lambda: claims.pay(admin, claim, D("1"), date.today()),
    ):
        with pytest.raises(RuleBroken):
            step()
    with pytest.raises(DomainError) as lacking:
        claims.submit(admin, claim)
    assert [name for name, _ in lacking.value.errors] == ["labor_op", "failure_code"]
    claims.update_claim(
        admin,
        claim,
        claims.ClaimChanges(labor_op="wp10", failure_code="l3a", fault_system="engine"),
    )
    db.session.commit()
    assert (claim.labor_op, claim.failure_code) == ("WP10", "L3A")
    claims.submit(admin, claim)
    db.session.commit()
    assert claim.status == "submitted" and claim.submitted_on == claim.first_submitted_on
    with pytest.raises(RuleBroken):
        claims.submit(admin, claim)
    with pytest.raises(RuleBroken):
        claims.update_claim(admin, claim, claims.ClaimChanges(cause="changed"))
    with pytest.raises(DomainError) as no_reason:
        claims.reject(admin, claim, "  ")
    assert no_reason.value.errors[0][0] == "reason"
    claims.reject(admin, claim, "Causal part not matching the labor operation")
    db.session.commit()
    assert (claim.status, claim.rejections) == ("rejected", 1)
    claims.update_claim(admin, claim, claims.ClaimChanges(labor_op="WP12"))
    claims.submit(admin, claim)
    db.session.commit()
    assert (
        claim.status == "submitted"
        and claim.rejection_reason == "Causal part not matching the labor operation"
    )
    claims.accept(admin, claim, manufacturer_number="GM-88812")
    db.session.commit()
    assert claim.status == "accepted", "the last reason stays, for the rejection figures"
    with pytest.raises(DomainError) as too_much:
        claims.pay(admin, claim, D("700.00"), site_today(claim.site_id))
    assert too_much.value.errors[0][0] == "amount"
    with pytest.raises(DomainError) as too_early:
        claims.pay(admin, claim, D("600.00"), claim.repaired_on - timedelta(days=1))
    assert too_early.value.errors[0][0] == "paid_on"
    claims.pay(admin, claim, D("600.00"), site_today(claim.site_id))
    db.session.commit()
    assert claim.status == "paid" and claim.short_paid == D("33.00")
    with pytest.raises(RuleBroken):
        claims.pay(admin, claim, D("33.00"), site_today(claim.site_id))
    with pytest.raises(Forbidden):
        claims.submit(make_user(roles=["advisor"]), claim)


def test_the_export_holds_the_submitted_claims_one_row_each(repaired):
    order, job, _oil, admin, _pump = repaired
    claim = _claim(job)
    claims.update_claim(admin, claim, claims.ClaimChanges(labor_op="WP10", failure_code="L3A"))
    claims.submit(admin, claim)
    claims.tag_old_part(admin, claim, part_number="WP-2201", shelf="W-3")
    db.session.commit()
    rows = list(
        csv.DictReader(io.StringIO(claims.export_csv(order.site_id, "submitted").lstrip("\ufeff")))
    )
    assert len(rows) == 1
    assert rows[0]["vin"] == order.vehicle.vin and rows[0]["total_claimed"] == "633.00"
    assert rows[0]["parts"] == "WP-2201 x 1" and rows[0]["old_part_tags"].startswith("OP-")
    assert claims.export_csv(order.site_id, "paid").count("\n") == 1, "the header only"


def test_old_parts_are_tagged_shelved_and_reminded(repaired):
    _order, job, _oil, admin, _pump = repaired
    claim = _claim(job)
    parts_clerk = make_user(roles=["parts"])
    with pytest.raises(DomainError) as missing:
        claims.tag_old_part(parts_clerk, claim, part_number="", shelf="")
    assert {name for name, _ in missing.value.errors} == {"part_number", "shelf"}
    kept = claims.tag_old_part(parts_clerk, claim, part_number="wp-2201", shelf="W-3")
    soon = claims.tag_old_part(
        admin, claim, part_number="WP-2201", shelf="W-3", keep_until=site_today(claim.site_id)
    )
    db.session.commit()
    year = site_today(claim.site_id).year
    assert (kept.tag_number, soon.tag_number) == (f"OP-{year}-000001", f"OP-{year}-000002")
    assert kept.part_number == "WP-2201" and kept.keep_until == claim.repaired_on + timedelta(
        days=90
    )
    assert claims.old_parts_due(claim.site_id) == 1
    claims.settle_tag(parts_clerk, soon, "returned")
    db.session.commit()
    assert claims.old_parts_due(claim.site_id) == 0 and soon.fate_on == site_today(claim.site_id)
    with pytest.raises(RuleBroken):
        claims.settle_tag(parts_clerk, soon, "scrapped")
    assert [t.tag_number for t in claims.tags_on_shelf(claim.site_id)] == [kept.tag_number]


def test_the_parts_counter_is_reminded_on_its_page(client, repaired):
    _order, job, _oil, admin, _pump = repaired
    claims.tag_old_part(
        admin, _claim(job), part_number="WP-2201", shelf="W-3", keep_until=site_today(admin.site_id)
    )
    db.session.commit()
    clerk = make_user(roles=["parts"])
    sign_in(client, clerk.username)
    page = client.get("/parts").get_data(as_text=True)
    assert "1 old part kept for the manufacturer is due" in page
    shelf = client.get("/old-parts").get_data(as_text=True)
    assert "WP-2201" in shelf and "W-3" in shelf


def test_the_claim_prints(client, repaired, tmp_path):
    _order, job, _oil, admin, _pump = repaired
    claim = _claim(job)
    claims.reject(
        admin,
        claims.submit(
            admin,
            claims.update_claim(
                admin, claim, claims.ClaimChanges(labor_op="WP10", failure_code="L3A")
            ),
        ),
        "Photo missing",
    )
    db.session.commit()
    sign_in(client, admin.username)
    answer = client.get(f"/claims/{claim.id}/claim.pdf")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    path = tmp_path / "claim.pdf"
    path.write_bytes(answer.data)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in (
        "Warranty claim",
        claim.vin,
        "WP10",
        "L3A",
        "Coolant leak",
        "633.00",
        "Photo missing",
    ):
        assert expected in text


def test_the_start_pages_list_claims_to_submit_and_parts_due(app, client, repaired):
    _order, job, _oil, admin, _pump = repaired
    claim = _claim(job)
    claims.tag_old_part(
        admin, claim, part_number="WP-2201", shelf="W-3", keep_until=site_today(admin.site_id)
    )
    db.session.commit()
    sign_in(client, admin.username)
    home = client.get("/").get_data(as_text=True)
    assert "Draft claims to submit" in home and f'href="/claims/{claim.id}"' in home
    clerk, counter = make_user(roles=["parts"]), app.test_client()
    sign_in(counter, clerk.username)
    shelf = counter.get("/").get_data(as_text=True)
    assert "Old parts due back to the manufacturer or for scrap" in shelf and "W-3" in shelf
