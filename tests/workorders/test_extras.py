"""Photos, common jobs, the promised-time suggestion and comebacks."""

from datetime import datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest

from dealer.errors import DomainError, Forbidden, RuleBroken
from dealer.extensions import db
from tests.conftest import csrf_token
from tests.factories import PHOTO, make_authorized_job, make_order, make_part, make_user, photo_jpeg
from workorders import services as wo
from workorders.models import CannedJob, PartLine, WorkOrder

PNG = PHOTO
JPEG = photo_jpeg()
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def advisor(app):
    return make_user(roles=["advisor"])


def test_photos_are_checked_and_kept_outside_the_database(advisor, app):
    order = make_order(advisor=advisor)
    photo = wo.add_photo(advisor, order, "hood", JPEG)
    kept = wo.photo_file(photo).read_bytes()
    assert photo.content_type == "image/jpeg" and kept.startswith(b"\xff\xd8\xff")
    assert str(wo.photo_file(photo)).startswith(app.config["STORAGE_DIR"])
    for panel, data, message in (
        ("hood", b"GIF89a" + b"\x00" * 10, "JPEG, PNG or WebP"),
        ("sunroof", PNG, "Unknown body panel"),
        ("hood", b"", "Choose a photo"),
        ("hood", JPEG + b"\x00" * wo.MAX_PHOTO_BYTES, "8 MB"),
    ):
        with pytest.raises(DomainError, match=message):
            wo.add_photo(advisor, order, panel, data)
    with pytest.raises(Forbidden):
        wo.add_photo(make_user(roles=["technician"]), order, "hood", PNG)


def test_photos_through_the_page_are_served_only_to_staff(app, client, login):
    user = login("advisor")
    order = make_order(advisor=user)
    page = f"/work-orders/{order.id}/intake"
    from io import BytesIO

    response = client.post(
        f"/work-orders/{order.id}/photos",
        data={
            "panel": "left_front_door",
            "photo": (BytesIO(PNG), "door.png"),
            "csrf_token": csrf_token(client, page),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    db.session.expire_all()
    photo = db.session.get(WorkOrder, order.id).photos[0]
    url = f"/work-orders/{order.id}/photos/{photo.id}"
    served = client.get(url)
    kept = wo.photo_file(photo).read_bytes()
    assert served.status_code == 200 and served.mimetype == "image/jpeg" and served.data == kept
    assert "no-store" in served.headers["Cache-Control"]
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    disposition = served.headers["Content-Disposition"]
    assert disposition == f"attachment; filename={order.number}-left_front_door-{photo.id}.jpg"
    assert app.test_client().get(url).status_code == 302
    too_big = client.post(
        f"/work-orders/{order.id}/photos",
        data={
            "panel": "hood",
            "photo": (BytesIO(PNG + b"\x00" * app.config["MAX_CONTENT_LENGTH"]), "big.png"),
            "csrf_token": csrf_token(client, page),
        },
        content_type="multipart/form-data",
    )
    assert too_big.status_code == 413
    assert len(db.session.get(WorkOrder, order.id).photos) == 1
    bad = client.post(
        f"/work-orders/{order.id}/photos",
        data={
            "panel": "hood",
            "photo": (BytesIO(b"not an image"), "x.png"),
            "csrf_token": csrf_token(client, page),
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "JPEG, PNG or WebP" in bad.get_data(as_text=True)


def test_common_jobs_add_hours_and_parts_in_one_go(advisor):
    manager = make_user(roles=["manager"])
    filter_ = make_part(part_number="04152-YZZA1", unit_price=D("80.00"))
    with pytest.raises(DomainError) as caught:
        wo.save_canned_job(
            manager,
            advisor.site_id,
            title="Oil service",
            labor_hours=D("0.8"),
            category="level1_maintenance",
            parts=[
                {"part_number": "NOPE", "quantity": "1"},
                {"part_number": "04152-YZZA1", "quantity": "x"},
            ],
        )
    assert [field for field, _ in caught.value.errors] == ["parts.0", "parts.1"]
    with pytest.raises(Forbidden):
        wo.save_canned_job(
            advisor,
            advisor.site_id,
            title="x",
            labor_hours=D("1"),
            category="minor_repair",
            parts=[],
        )
    canned = wo.save_canned_job(
        manager,
        advisor.site_id,
        title="Oil service",
        labor_hours=D("0.8"),
        category="level1_maintenance",
        parts=[{"part_number": "04152 YZZA1", "quantity": "1"}],
    )
    order = make_order(advisor=advisor)
    job = wo.add_canned_job(advisor, order, canned)
    assert job.title == "Oil service" and job.labor_hours == D("0.80")
    assert [(p.part_id, p.quantity) for p in job.parts] == [(filter_.id, D("1.000"))]


def test_common_jobs_pages(app, client, login):
    login("manager", "advisor")
    make_part(part_number="04152-YZZA1")
    response = client.post(
        "/canned-jobs",
        data={
            "title": "Oil service",
            "labor_hours": "0.8",
            "category": "level1_maintenance",
            "parts": "04152-YZZA1 1\n",
            "csrf_token": csrf_token(client, "/canned-jobs"),
        },
    )
    assert response.status_code == 302
    refused = client.post(
        "/canned-jobs",
        data={
            "title": "Bad",
            "labor_hours": "1",
            "category": "minor_repair",
            "parts": "NOPE 1",
            "csrf_token": csrf_token(client, "/canned-jobs"),
        },
    )
    assert refused.status_code == 422 and "No such part" in refused.get_data(as_text=True)
    canned = db.session.scalar(db.select(CannedJob))
    order = make_order()
    page = f"/work-orders/{order.id}"
    client.post(
        f"{page}/canned", data={"canned_job_id": canned.id, "csrf_token": csrf_token(client, page)}
    )
    db.session.expire_all()
    assert [j.title for j in db.session.get(WorkOrder, order.id).jobs] == ["Oil service"]


def test_promise_suggestion_counts_work_queue_and_missing_parts(advisor):
    make_user(roles=["technician"])
    make_user(roles=["technician"])
    make_authorized_job(advisor=advisor, title="Engine work", hours="6", category="major_repair")
    order = make_order(advisor=advisor)
    wo.add_job(advisor, order, title="Brakes", labor_hours=D("2"), category="minor_repair")
    monday_nine = datetime(2026, 11, 23, 9, 0, tzinfo=SH)
    plain = wo.suggest_promise(order, now=monday_nine)
    assert plain.work_hours == D("2") and plain.queue_hours == D("3.0") and plain.technicians == 2
    assert plain.parts_missing == ()
    assert plain.at.astimezone(SH) == datetime(2026, 11, 23, 14, 0, tzinfo=SH)
    none_left = make_part(part_number="X-1", on_hand="0")
    wo.add_part_line(advisor, order, order.jobs[0], part_number="X-1", quantity=D("1"))
    late = wo.suggest_promise(order, now=monday_nine)
    assert late.parts_missing == (none_left.part_number,)
    assert late.at.astimezone(SH) == datetime(2026, 11, 24, 14, 0, tzinfo=SH)


def test_comeback_through_the_page(app, client, login):
    from tests.workorders.test_services import ALL_CHECKED

    user = login("advisor")
    tech, inspector = make_user(roles=["technician"]), make_user(roles=["inspector"])
    order, job = make_authorized_job(advisor=user, title="Pads")
    wo.clock_on(tech, job)
    wo.complete_job(tech, job)
    wo.record_quality_check(inspector, order, passed=True, checklist=ALL_CHECKED)
    wo.hand_over(user, order, payment_method="cash", amount_paid=D("226.00"), received_by="O")
    db.session.commit()
    page = f"/work-orders/{order.id}"
    response = client.post(
        f"{page}/comeback",
        data={
            "odometer_km": order.odometer_out + 10,
            "fuel_level": "0.5",
            "concern": "Squeal is back",
            "cause": "workmanship",
            "csrf_token": csrf_token(client, page),
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    comeback = db.session.scalar(db.select(WorkOrder).where(WorkOrder.comeback_of_id == order.id))
    assert comeback.comeback_cause == "workmanship" and comeback.status == "intake"


def test_discounts_above_the_limit_need_a_manager(advisor):
    manager = make_user(roles=["manager"])
    order = make_order(advisor=advisor)
    wo.add_job(advisor, order, title="Service", labor_hours=D("1"), category="level1_maintenance")
    db.session.commit()
    wo.add_discount(advisor, order, kind="percent", value=D("5"), reason="Loyal customer")
    assert wo.order_totals(order).discount == D("10.00")
    db.session.commit()
    with pytest.raises(RuleBroken, match="need a service manager"):
        wo.add_discount(advisor, order, kind="amount", value=D("30"), reason="Waited long")
    db.session.rollback()
    discount = wo.add_discount(manager, order, kind="amount", value=D("30"), reason="Waited long")
    assert discount.approved_by_id == manager.id
    result = wo.order_totals(order)
    assert (result.discount, result.tax, result.total) == (D("40.00"), D("20.80"), D("180.80"))
    for kwargs, field in (
        ({"kind": "percent", "value": D("101")}, "value"),
        ({"kind": "gift", "value": D("1")}, "kind"),
        ({"kind": "amount", "value": D("1"), "reason": ""}, "reason"),
    ):
        with pytest.raises(DomainError) as caught:
            wo.add_discount(manager, order, **{"reason": "x", **kwargs})
        assert field in {f for f, _ in caught.value.errors}


def test_deposits_count_towards_the_handover(advisor):
    from tests.workorders.test_services import ALL_CHECKED

    tech, inspector = make_user(roles=["technician"]), make_user(roles=["inspector"])
    order = make_order(advisor=advisor)
    job = wo.add_job(
        advisor,
        order,
        title="Sublet glass",
        labor_hours=D("0.5"),
        category="minor_repair",
        sublet_vendor="Glass Co.",
        sublet_cost=D("600"),
        sublet_price=D("800"),
    )
    assert wo.job_amount(job).amount == D("900.00")
    with pytest.raises(DomainError) as caught:
        wo.add_job(
            advisor,
            order,
            title="x",
            labor_hours=D("1"),
            category="minor_repair",
            sublet_price=D("1"),
        )
    assert caught.value.errors[0][0] == "sublet_vendor"
    wo.move_order(advisor, order, "estimating")
    wo.authorize_jobs(
        advisor,
        order,
        approved_job_ids=[job.id],
        declined_job_ids=[],
        authorized_by="O",
        method="phone",
        phone="13912345678",
        amount=D("1017.00"),
    )
    wo.record_payment(advisor, order, method="cash", amount=D("500.00"), payer="Owner")
    wo.clock_on(tech, job)
    wo.complete_job(tech, job)
    wo.record_quality_check(inspector, order, passed=True, checklist=ALL_CHECKED)
    db.session.commit()
    with pytest.raises(RuleBroken, match="payment"):
        wo.hand_over(
            advisor, order, payment_method="card", amount_paid=D("500.00"), received_by="O"
        )
    db.session.rollback()
    order = db.session.get(WorkOrder, order.id)
    wo.hand_over(
        advisor,
        order,
        payment_method="card",
        amount_paid=D("517.00"),
        received_by="O",
        payer="Fleet Co.",
    )
    assert order.status == "delivered"
    assert [(p.method, p.amount, p.payer) for p in order.payments] == [
        ("cash", D("500.00"), "Owner"),
        ("card", D("517.00"), "Fleet Co."),
    ]


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


def test_the_workshop_now_shows_open_clocks_and_hours_today(advisor):
    from datetime import timedelta

    from workorders.models import TimeClock

    tech = make_user(roles=["technician"], full_name="Zhang")
    idle = make_user(roles=["technician"], full_name="Liu")
    order, job = make_authorized_job(advisor=advisor, hours="2")
    now = datetime(2026, 11, 24, 6, 0, tzinfo=ZoneInfo("UTC"))
    db.session.add(
        TimeClock(
            job_id=job.id,
            work_order_id=order.id,
            technician_id=tech.id,
            started_at=now - timedelta(hours=3),
            ended_at=now - timedelta(hours=2),
        )
    )
    db.session.add(
        TimeClock(
            job_id=job.id,
            work_order_id=order.id,
            technician_id=tech.id,
            started_at=now - timedelta(minutes=30),
        )
    )
    db.session.commit()
    rows = {row.technician.full_name: row for row in wo.workshop_now(advisor.site_id, now=now)}
    assert rows["Zhang"].hours_today == D("1.5") and rows["Zhang"].job.id == job.id
    assert rows["Liu"].clock is None and rows["Liu"].hours_today == D("0")
    assert idle.id == rows["Liu"].technician.id


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


def test_photos_are_written_again_without_metadata_and_bombs_are_refused(advisor, app):
    from io import BytesIO

    from PIL import Image

    order = make_order(advisor=advisor)
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (31.0, 14.0, 0.0), 3: "E", 4: (121.0, 28.0, 0.0)}
    exif[0x010F] = "PhoneMaker"
    big = photo_jpeg(size=(4000, 3000), exif=exif.tobytes())
    assert Image.open(BytesIO(big)).getexif().get(0x8825)
    photo = wo.add_photo(advisor, order, "hood", big)
    kept = Image.open(wo.photo_file(photo))
    assert max(kept.size) == 2560 and kept.format == "JPEG"
    assert not kept.getexif() and "exif" not in kept.info
    bomb = BytesIO()
    Image.new("1", (30000, 30000)).save(bomb, "PNG")
    assert len(bomb.getvalue()) < wo.MAX_PHOTO_BYTES
    with pytest.raises(DomainError, match="megapixels"):
        wo.add_photo(advisor, order, "hood", bomb.getvalue())
    fake = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    with pytest.raises(DomainError, match="JPEG, PNG or WebP"):
        wo.add_photo(advisor, order, "hood", fake)
    with pytest.raises(DomainError, match="signature"):
        wo.store_image(fake, "signatures/1", "signature")
