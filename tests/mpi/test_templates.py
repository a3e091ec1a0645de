"""Inspection templates: thresholds that suggest a colour by themselves, a template kept
whole and checked item by item with errors naming the field, one default per site, the
templates a dealer starts with, the API and the manager's page."""

from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from dealer.errors import DomainError, Forbidden
from dealer.extensions import db
from mpi import starter, templates
from mpi.models import InspectionTemplate, TemplateItem
from tests.conftest import csrf_token
from tests.factories import make_user

TREAD = SimpleNamespace(worse="lower", yellow_at=D("3"), red_at=D("1.6"))
PLAY = SimpleNamespace(worse="higher", yellow_at=D("1"), red_at=D("2"))
UNMEASURED = SimpleNamespace(worse=None, yellow_at=None, red_at=None)


@pytest.mark.parametrize(
    ("item", "measured", "suggested"),
    [
        (TREAD, D("6.5"), "green"),
        (TREAD, D("3.01"), "green"),
        (TREAD, D("3"), "yellow"),
        (TREAD, D("1.7"), "yellow"),
        (TREAD, D("1.6"), "red"),
        (TREAD, D("0"), "red"),
        (PLAY, D("0.5"), "green"),
        (PLAY, D("1"), "yellow"),
        (PLAY, D("2.4"), "red"),
        (TREAD, None, None),
        (UNMEASURED, D("2"), None),
    ],
)
def test_a_measurement_past_a_threshold_suggests_its_colour(item, measured, suggested):
    assert templates.suggest(item, measured) == suggested


def item(**fields):
    base = {"code": "tread_lf", "group": "tyres", "label": "Tread", "label_zh": "花纹深度"}
    return templates.ItemInput(**{**base, **fields})


def test_a_template_is_checked_item_by_item(app):
    manager = make_user(roles=["manager"])
    bad = [
        item(),
        item(label=" "),
        item(code="Bad Code", group="roof"),
        item(code="pads", unit="mm", worse="lower", yellow_at="4", red_at="5"),
        item(code="battery", yellow_at="12.4"),
        item(code="pressure", unit="bar", worse="lower", yellow_at="2.123"),
    ]
    with pytest.raises(DomainError) as refused:
        templates.save_template(manager, manager.site_id, name=" ", items=bad)
    fields = {name for name, _ in refused.value.errors}
    assert fields == {
        "name",
        "items.1.code",
        "items.1.label",
        "items.2.code",
        "items.2.group",
        "items.3.red_at",
        "items.4.worse",
        "items.5.yellow_at",
    }
    with pytest.raises(DomainError) as empty:
        templates.save_template(manager, manager.site_id, name="Empty", items=[])
    assert [name for name, _ in empty.value.errors] == ["items"]
    advisor = make_user(roles=["advisor"])
    with pytest.raises(Forbidden):
        templates.save_template(advisor, advisor.site_id, name="Mine", items=[item()])


def test_one_default_per_site_and_a_template_changes_whole(app):
    manager = make_user(roles=["manager"])
    name, name_zh, items = starter.full_inspection()
    full = templates.save_template(
        manager, manager.site_id, name=name, name_zh=name_zh, items=items, is_default=True
    )
    name, name_zh, items = starter.maintenance_inspection()
    short = templates.save_template(
        manager, manager.site_id, name=name, name_zh=name_zh, items=items
    )
    db.session.commit()
    assert templates.default_template(manager.site_id) == full
    codes = [i.code for i in full.items]
    assert {"tread_lf", "tread_rr", "pressure_lf", "underbody", "oil_pan", "battery"} <= set(codes)
    templates.save_template(
        manager,
        manager.site_id,
        name=short.name,
        items=[item()],
        template=short,
        is_default=True,
        version=short.version,
    )
    db.session.commit()
    db.session.refresh(full)
    assert not full.is_default and short.is_default
    assert [i.code for i in short.items] == ["tread_lf"]
    assert db.session.query(TemplateItem).filter_by(template_id=short.id).count() == 1
    with pytest.raises(DomainError) as taken:
        templates.save_template(manager, manager.site_id, name=full.name, items=[item()])
    assert [name for name, _ in taken.value.errors] == ["name"]


def test_the_api_reads_for_staff_and_writes_for_the_manager(app, client, token_for):
    body = {
        "name": "Winter check",
        "name_zh": "冬季检查",
        "is_default": True,
        "items": [
            {
                "code": "battery",
                "group": "battery",
                "label": "Battery",
                "label_zh": "蓄电池",
                "unit": "V",
                "worse": "lower",
                "yellow_at": "12.4",
                "red_at": "12.0",
            },
            {"code": "wipers", "group": "wipers", "label": "Wipers", "label_zh": "雨刮"},
        ],
    }
    made = client.post("/api/v1/inspection-templates", json=body, headers=token_for("manager"))
    assert made.status_code == 201, made.json
    assert made.json["is_default"] and [i["code"] for i in made.json["items"]] == [
        "battery",
        "wipers",
    ]
    assert made.json["items"][0]["red_at"] == 12 and made.json["items"][1]["red_at"] is None
    read = client.get("/api/v1/inspection-templates", headers=token_for("technician"))
    assert read.status_code == 200 and read.json["items"][0]["name_zh"] == "冬季检查"
    refused = client.post("/api/v1/inspection-templates", json=body, headers=token_for("advisor"))
    assert refused.status_code == 403
    bad = client.post(
        "/api/v1/inspection-templates",
        json={**body, "name": "Other", "items": [{**body["items"][0], "red_at": "13"}]},
        headers=token_for("manager"),
    )
    assert bad.status_code == 422 and "items.0.red_at" in bad.json["errors"]


def test_the_manager_keeps_a_template_on_its_page(app, client, login):
    login("manager")
    page = "/inspection-templates/new"
    form = {
        "csrf_token": csrf_token(client, page),
        "name": "Quick check",
        "rows": "3",
        "items-0-code": "lights",
        "items-0-group": "lights",
        "items-0-label": "Lights",
        "items-0-label_zh": "灯光",
        "items-1-code": "tread_lf",
        "items-1-group": "tyres",
        "items-1-label": "Tread, left front",
        "items-1-label_zh": "",
        "items-1-unit": "mm",
        "items-1-worse": "lower",
        "items-1-yellow_at": "3",
        "items-1-red_at": "1.6",
        "items-2-code": "",
        "items-2-label": "",
    }
    refused = client.post(page, data=form)
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'id="items-1-label_zh-error"' in text
    assert db.session.query(InspectionTemplate).count() == 0
    saved = client.post(page, data={**form, "items-1-label_zh": "左前轮胎花纹深度"})
    assert saved.status_code == 302
    found = db.session.query(InspectionTemplate).one()
    assert [i.code for i in found.items] == ["lights", "tread_lf"]
    assert found.items[1].red_at == D("1.6")
    edit = f"/inspection-templates/{found.id}"
    shown = client.get(edit).get_data(as_text=True)
    assert 'value="1.6"' in shown and 'value="tread_lf"' in shown
    client.post(
        edit,
        data={
            **form,
            "csrf_token": csrf_token(client, edit),
            "version": found.version,
            "items-1-label_zh": "左前轮胎花纹深度",
            "items-0-remove": "1",
        },
    )
    db.session.refresh(found)
    assert [i.code for i in found.items] == ["tread_lf"]
    listed = client.get("/inspection-templates").get_data(as_text=True)
    assert "Quick check" in listed and f'href="{edit}"' in listed
