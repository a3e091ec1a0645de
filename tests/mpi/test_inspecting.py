"""Inspecting an order: started from the default template (its items copied), item by item
with measurements that colour themselves, notes, photos and recommended work, by the desk or
a technician with a job on the order; completed, each recommendation becomes a job on the
order, from its common job or as written. And the same over the API."""

import io
from decimal import Decimal as D

import pytest

from dealer.errors import DomainError, Forbidden, RuleBroken
from dealer.extensions import db
from mpi import inspecting, starter, templates
from tests.factories import PHOTO, make_authorized_job, make_part, make_user
from workorders import services as wo


@pytest.fixture
def order_with_template(app):
    """An authorized order with a technician on its job, and the full inspection as the
    site's default template."""
    manager = make_user(roles=["manager"])
    advisor = make_user(roles=["advisor"])
    tech = make_user(roles=["technician"])
    name, name_zh, items = starter.full_inspection()
    templates.save_template(
        manager, manager.site_id, name=name, name_zh=name_zh, items=items, is_default=True
    )
    order, job = make_authorized_job(advisor=advisor, amount="5000")
    wo.assign_job(advisor, job, tech)
    db.session.commit()
    return order, advisor, tech, manager


def _item(inspection, code):
    return next(item for item in inspection.items if item.code == code)


def test_a_technician_inspects_and_the_findings_become_jobs(order_with_template):
    order, _, tech, manager = order_with_template
    pads = make_part(part_number="PAD-F", on_hand="4")
    canned = wo.save_canned_job(
        manager,
        manager.site_id,
        title="Front brake pads",
        title_zh="更换前刹车片",
        labor_hours=D("1.2"),
        category="minor_repair",
        parts=[{"part_number": pads.part_number, "quantity": "1"}],
    )
    inspection = inspecting.start(tech, order)
    db.session.commit()
    assert inspection.status == "open" and len(inspection.items) == 26
    assert {i.condition for i in inspection.items} == {"not_checked"}
    tread = inspecting.record(tech, _item(inspection, "tread_lf"), measurement=D("2.5"))
    assert tread.condition == "yellow", "the measurement coloured the item by itself"
    brakes = inspecting.record(
        tech,
        _item(inspection, "pads_front"),
        measurement=D("1.8"),
        note="Pads worn to the indicator",
        recommendation={"title": "Front pads", "labor_hours": "1.2", "canned_job_id": canned.id},
    )
    assert brakes.condition == "red"
    battery = inspecting.record(
        tech,
        _item(inspection, "battery"),
        condition="yellow",
        measurement=D("12.6"),
        recommendation={"title": "Battery replacement", "labor_hours": "0.5"},
    )
    assert battery.condition == "yellow", "the technician's colour wins over the suggestion"
    inspecting.record(tech, _item(inspection, "lights"), condition="green")
    inspecting.add_photo(tech, brakes, PHOTO)
    db.session.commit()
    with pytest.raises(DomainError) as refused:
        inspecting.record(
            tech,
            _item(inspection, "wipers"),
            condition="green",
            recommendation={"title": "Wipers", "labor_hours": "0.3"},
        )
    assert refused.value.errors[0][0] == "recommendation"
    with pytest.raises(DomainError) as bad:
        inspecting.record(
            tech,
            _item(inspection, "coolant"),
            condition="red",
            recommendation={"title": "", "labor_hours": "0", "part_numbers": ["NOPE"]},
        )
    assert {name for name, _ in bad.value.errors} == {
        "recommendation.title",
        "recommendation.labor_hours",
        "recommendation.part_numbers",
    }
    db.session.rollback()
    jobs_before = len(order.jobs)
    inspecting.complete(tech, inspection)
    db.session.commit()
    made = {job.title: job for job in order.jobs[jobs_before:]}
    assert set(made) == {"Front brake pads", "Battery replacement"}
    front = made["Front brake pads"]
    assert front.status == "proposed" and front.title_zh == "更换前刹车片"
    assert front.findings == "Pads worn to the indicator" and front.technician_id == tech.id
    assert [line.part_number for line in front.parts] == ["PAD-F"]
    assert front.mpi_item_id == _item(inspection, "pads_front").id and front.safety
    assert not made["Battery replacement"].safety, "a yellow item's work is not about safety"
    assert inspection.status == "completed" and inspection.completed_by_id == tech.id
    with pytest.raises(RuleBroken):
        inspecting.record(tech, _item(inspection, "lights"), condition="red")


def test_who_may_inspect_and_an_order_has_one_inspection(order_with_template):
    order, advisor, tech, _ = order_with_template
    stranger = make_user(roles=["technician"])
    with pytest.raises(Forbidden):
        inspecting.start(stranger, order)
    inspecting.start(advisor, order)
    db.session.commit()
    with pytest.raises(RuleBroken):
        inspecting.start(tech, order)


def test_the_inspection_over_the_api(order_with_template, client, token_for):
    order, _, tech, _ = order_with_template
    from dealer import services

    _, plain = services.create_token(tech)
    db.session.commit()
    headers = {"Authorization": f"Bearer {plain}"}
    started = client.post(f"/api/v1/work-orders/{order.id}/mpi", json={}, headers=headers)
    assert started.status_code == 201, started.json
    items = {item["code"]: item for item in started.json["items"]}
    inspection_id = started.json["id"]
    tread = items["tread_rf"]
    answer = client.patch(
        f"/api/v1/mpi/{inspection_id}/items/{tread['id']}",
        json={
            "measurement": "1.5",
            "note": "Worn on the inside",
            "recommendation": {"title": "Two new front tyres", "labor_hours": "0.8"},
        },
        headers=headers,
    )
    assert answer.status_code == 200, answer.json
    assert answer.json["condition"] == "red" and answer.json["recommendation"]["title"]
    bad = client.patch(
        f"/api/v1/mpi/{inspection_id}/items/{tread['id']}",
        json={"condition": "purple"},
        headers=headers,
    )
    assert bad.status_code == 422 and "condition" in bad.json["errors"]
    photo = client.post(
        f"/api/v1/mpi/{inspection_id}/items/{tread['id']}/photos",
        data={"file": (io.BytesIO(PHOTO), "tyre.png")},
        content_type="multipart/form-data",
        headers=headers,
    )
    assert photo.status_code == 201, photo.json
    done = client.post(f"/api/v1/mpi/{inspection_id}/complete", headers=headers)
    assert done.status_code == 200 and done.json["status"] == "completed"
    [made] = [item for item in done.json["items"] if item["job_id"]]
    assert made["code"] == "tread_rf" and len(made["photos"]) == 1
    read = client.get(f"/api/v1/work-orders/{order.id}/mpi", headers=token_for("inspector"))
    assert read.status_code == 200 and read.json["status"] == "completed"
    again = client.post(f"/api/v1/work-orders/{order.id}/mpi", json={}, headers=headers)
    assert again.status_code == 409


def test_the_tablet_page_serves_an_items_photo_only_under_its_order(
    order_with_template, client, login
):
    order, advisor, _, _ = order_with_template
    inspection = inspecting.start(advisor, order)
    photo = inspecting.add_photo(advisor, _item(inspection, "oil_pan"), PHOTO)
    other, _ = make_authorized_job(advisor=advisor)
    db.session.commit()
    login("advisor")
    page = client.get(f"/work-orders/{order.id}/inspection").get_data(as_text=True)
    assert f"/work-orders/{order.id}/inspection/photos/{photo.id}" in page
    shown = client.get(f"/work-orders/{order.id}/inspection/photos/{photo.id}")
    assert shown.status_code == 200 and shown.mimetype.startswith("image/")
    assert client.get(f"/work-orders/{other.id}/inspection/photos/{photo.id}").status_code == 404


def test_the_advisor_releases_the_inspection_to_the_customers_link(order_with_template, client):
    from care.models import Message

    order, advisor, tech, _ = order_with_template
    inspection = inspecting.start(tech, order)
    pads = _item(inspection, "pads_front")
    inspecting.record(
        tech,
        pads,
        measurement=D("1.5"),
        note="Worn to the indicator",
        recommendation={"title": "Front pads", "labor_hours": "1"},
    )
    photo = inspecting.add_photo(tech, pads, PHOTO)
    with pytest.raises(RuleBroken):
        inspecting.release(advisor, inspection)
    inspecting.complete(tech, inspection)
    with pytest.raises(Forbidden):
        inspecting.release(tech, inspection)
    db.session.commit()
    from care import links

    _, token = links.issue_link(advisor, order)
    db.session.commit()
    before = client.get(f"/l/{token}").get_data(as_text=True)
    assert 'id="link-inspection"' not in before
    assert client.get(f"/l/{token}/inspection-photos/{photo.id}").status_code == 404
    inspecting.release(advisor, inspection)
    db.session.commit()
    [ready] = db.session.query(Message).filter_by(event="inspection_ready").all()
    assert ready.work_order_id == order.id and "/l/" in ready.text
    page = client.get(f"/l/{token}").get_data(as_text=True)
    assert 'id="link-inspection"' in page and "Worn to the indicator" in page
    assert "Front pads" in page and "安全" in page, "in the customer's language, red is safety"
    section = page.split('id="link-inspection"')[1].split("</section>")[0]
    [line] = [line for line in links.customer_view(order).jobs if line.title == "Front pads"]
    assert f"价格 ¥{line.total:,.2f}" in section, "the recommendation shows its price with tax"
    shown = client.get(f"/l/{token}/inspection-photos/{photo.id}")
    assert shown.status_code == 200 and shown.mimetype.startswith("image/")
    with pytest.raises(RuleBroken):
        inspecting.release(advisor, inspection)


def test_the_order_page_leads_to_the_inspection(order_with_template, client, login):
    order, _, _, _ = order_with_template
    login("advisor")
    page = client.get(f"/work-orders/{order.id}?tab=jobs").get_data(as_text=True)
    assert f'href="/work-orders/{order.id}/inspection" id="order-inspection"' in page
    shown = client.get(f"/work-orders/{order.id}/inspection").get_data(as_text=True)
    assert 'id="start-inspection"' in shown


def test_a_short_video_is_kept_as_it_was_taken(order_with_template, client, login):
    order, _, tech, _ = order_with_template
    inspection = inspecting.start(tech, order)
    clip = b"\x00\x00\x00\x18ftypmp42" + bytes(4000)
    video = inspecting.add_photo(tech, _item(inspection, "exhaust"), clip)
    webm = inspecting.add_photo(tech, _item(inspection, "exhaust"), b"\x1a\x45\xdf\xa3" + bytes(99))
    assert (video.content_type, webm.content_type) == ("video/mp4", "video/webm")
    assert inspecting.photo_file(video).read_bytes() == clip
    with pytest.raises(DomainError) as refused:
        inspecting.add_photo(tech, _item(inspection, "exhaust"), b"not a picture at all")
    assert refused.value.errors[0][0] == "file"
    too_long = b"\x00\x00\x00\x18ftypmp42" + bytes(inspecting.MAX_VIDEO_BYTES)
    with pytest.raises(DomainError):
        inspecting.add_photo(tech, _item(inspection, "exhaust"), too_long)
    db.session.commit()
    login("advisor")
    page = client.get(f"/work-orders/{order.id}/inspection").get_data(as_text=True)
    assert page.count('<video class="mpi-thumb" controls') == 2
    served = client.get(f"/work-orders/{order.id}/inspection/photos/{video.id}")
    assert served.status_code == 200 and served.mimetype == "video/mp4"
