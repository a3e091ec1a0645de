"""Campaigns: entered with their job and cars, imported from the manufacturer's file row by
row (a bad row names itself and nothing is written), flagged on every desk page where the car
turns up, added to an order in one click as a warranty job, and closed for the car by the
delivery that did the work."""

from datetime import datetime, time, timedelta
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest

from dealer import services
from dealer.errors import DomainError, Forbidden, RuleBroken
from dealer.extensions import db
from diary import booking
from tests.conftest import sign_in
from tests.factories import make_order, make_part, make_user, make_vehicle, make_vin
from tests.warranty.work import do_the_work
from warranty import campaign_csv, campaigns
from warranty.models import CampaignVin
from workorders import services as wo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _campaign(admin, code="RC-2026-07", parts=(), **extra):
    fields = {
        "code": code,
        "kind": "recall",
        "title": "Replace the airbag inflator",
        "title_zh": "更换气囊气体发生器",
        "labor_op": "AB1234",
        "labor_hours": D("1.5"),
        "parts": list(parts),
    }
    fields.update(extra)
    return campaigns.create_campaign(admin, admin.site_id, campaigns.CampaignInput(**fields))


@pytest.fixture
def admin(app):
    return make_user(roles=["warranty"])


def test_a_campaign_is_checked_field_by_field(admin):
    with pytest.raises(DomainError) as refused:
        _campaign(
            admin, code="", kind="promo", title="", labor_hours=D("0"), parts=[("NOPE-1", D("1"))]
        )
    fields = {name for name, _ in refused.value.errors}
    assert fields == {"code", "kind", "title", "labor_hours", "parts"}
    _campaign(admin)
    db.session.commit()
    with pytest.raises(DomainError) as again:
        _campaign(admin, code="rc-2026-07")
    assert again.value.errors[0][0] == "code"
    with pytest.raises(Forbidden):
        _campaign(make_user(roles=["advisor"]), code="X-1")


def test_vins_are_added_in_bulk_once_each(admin):
    found = _campaign(admin)
    vins = [make_vin(n) for n in range(900100, 900110)]
    result = campaigns.add_vins(admin, found, [*vins, vins[0].lower(), "NOT-A-VIN"])
    assert (result.added, result.already, result.invalid) == (10, 1, ["NOT-A-VIN"])
    again = campaigns.add_vins(admin, found, vins[:3])
    assert (again.added, again.already) == (0, 3)
    db.session.commit()
    assert db.session.query(CampaignVin).filter_by(campaign_id=found.id).count() == 10


CSV_HEAD = "code,kind,title,title_zh,labor_op,labor_hours,parts,ends_on,vin\n"


def test_the_import_names_each_bad_row_and_writes_nothing(admin):
    make_part(part_number="INF-100")
    good = [make_vin(n) for n in range(900200, 900203)]
    text = CSV_HEAD + "".join(
        [
            f"RC-1,recall,Airbag,气囊,AB1,1.5,INF-100:1,,{good[0]}\n",
            f"RC-1,recall,Airbag,气囊,AB1,1.5,INF-100:1,,{good[1]}\n",
            f"RC-1,recall,Airbag,气囊,AB1,2.0,INF-100:1,,{good[2]}\n",
            "RC-1,recall,Airbag,气囊,AB1,1.5,INF-100:1,,LSVAB2180E2XXXXXX\n",
            f"RC-1,recall,Airbag,气囊,AB1,1.5,INF-100:1,,{good[0]}\n",
            f"SC-2,promotion,Wipers,,,0.3,,,{good[0]}\n",
            f"SC-3,service_campaign,Update,,,0.5,GHOST-9:1,2027-13-01,{good[1]}\n",
        ]
    )
    plan = campaign_csv.plan_import(admin.site_id, text)
    errors = {(e.row, e.field) for e in plan.errors}
    assert errors == {
        (4, "code"),  # hours differ from the campaign's first row
        (5, "vin"),  # not a VIN
        (6, "vin"),  # the same VIN as row 2
        (7, "kind"),
        (8, "ends_on"),
        (8, "parts"),  # not in the catalogue
    }
    with pytest.raises(DomainError):
        campaign_csv.apply_import(admin, admin.site_id, plan)
    assert db.session.query(CampaignVin).count() == 0


def test_a_clean_import_makes_the_campaigns_and_adds_to_known_ones(admin):
    make_part(part_number="INF-100")
    known = _campaign(admin, code="SC-9", kind="service_campaign")
    db.session.commit()
    vins = [make_vin(n) for n in range(900300, 900305)]
    text = CSV_HEAD + "".join(
        [f"RC-1,召回,Airbag,气囊,ab1,1.5,INF-100:1,2027-06-30,{v}\n" for v in vins[:3]]
        + [f"SC-9,service_campaign,anything,,,9,,,{v}\n" for v in vins[3:]]
    )
    plan = campaign_csv.plan_import(admin.site_id, text)
    assert plan.ok and plan.new_campaigns == 1 and plan.vin_count == 5
    result = campaign_csv.apply_import(admin, admin.site_id, plan)
    db.session.commit()
    assert (result.campaigns, result.added) == (1, 5)
    made = {p.campaign.code: p for p in campaigns.progress(admin.site_id)}
    assert made["RC-1"].vins == 3 and made["RC-1"].campaign.kind == "recall"
    assert made["RC-1"].campaign.labor_op == "AB1"
    assert [(p.part_number, p.quantity) for p in made["RC-1"].campaign.parts] == [
        ("INF-100", D("1"))
    ]
    assert made["SC-9"].vins == 2 and known.labor_hours == D("1.5"), "a known code keeps its facts"


@pytest.fixture
def recalled(app, admin):
    """A car with an open recall whose job fits one part, and its order at the desk."""
    part = make_part(part_number="INF-100", on_hand="5")
    advisor = make_user(roles=["advisor"])
    vehicle = make_vehicle(odometer_km=12000, plate="沪A7R001")
    found = _campaign(admin, parts=[(part.part_number, D("1"))])
    campaigns.add_vins(admin, found, [vehicle.vin])
    db.session.commit()
    return vehicle, found, advisor


def test_the_flag_shows_wherever_the_desk_meets_the_car(client, recalled, token_for):
    vehicle, found, advisor = recalled
    other = make_vehicle()
    order = make_order(advisor=advisor, vehicle=vehicle)
    sign_in(client, advisor.username)
    text = "RC-2026-07: Replace the airbag inflator"
    pages = {
        "customer search": f"/customers?q={vehicle.plate}",
        "vehicle search": f"/vehicles?q={vehicle.plate}",
        "customer": f"/customers/{vehicle.customer_id}",
        "vehicle": f"/vehicles/{vehicle.id}",
        "receive": f"/vehicles/{vehicle.id}/work-orders/new",
        "intake": f"/work-orders/{order.id}/intake",
        "order": f"/work-orders/{order.id}",
    }
    for name, path in pages.items():
        page = client.get(path).get_data(as_text=True)
        assert text in page, f"{name} does not flag the recall"
    assert text not in client.get(f"/vehicles/{other.id}").get_data(as_text=True)
    api = client.get(f"/api/v1/vehicles/{vehicle.id}", headers=token_for("advisor")).get_json()
    assert api["open_campaigns"] == [
        {
            "id": found.id,
            "code": "RC-2026-07",
            "kind": "recall",
            "title": "Replace the airbag inflator",
        }
    ]


def test_the_appointment_flags_the_recall(client, recalled):
    vehicle, _found, advisor = recalled
    settings = services.settings_for(services.default_site().id)
    settings.working_hours = {d: [["08:30", "17:30"]] for d in ("mon", "tue", "wed", "thu", "fri")}
    settings.calendar = {}
    tech = make_user(roles=["technician"])
    tech.skills = ["maintenance"]
    db.session.commit()
    today = datetime.now(SHANGHAI).date()
    monday = today + timedelta(days=7 - today.weekday())
    booking.book(
        advisor,
        vehicle.customer,
        vehicle,
        start=datetime.combine(monday, time(9), SHANGHAI),
        jobs=[booking.JobInput(title="Oil service", labor_hours=D("1"), skill="maintenance")],
    )
    db.session.commit()
    sign_in(client, advisor.username)
    page = client.get(f"/diary?date={monday.isoformat()}").get_data(as_text=True)
    assert "RC-2026-07: Replace the airbag inflator" in page


def test_one_click_adds_the_campaign_job_and_delivery_closes_it(recalled):
    vehicle, found, advisor = recalled
    order = make_order(advisor=advisor, vehicle=vehicle)
    job = campaigns.add_campaign_job(advisor, order, found)
    db.session.commit()
    assert (job.pay_type, job.campaign_id, job.labor_hours) == ("warranty", found.id, D("1.5"))
    assert (
        job.title == "Replace the airbag inflator (AB1234)" and job.title_zh == "更换气囊气体发生器"
    )
    assert [(line.part_number, line.quantity) for line in job.parts] == [("INF-100", D("1"))]
    with pytest.raises(RuleBroken):
        campaigns.add_campaign_job(advisor, order, found)
    other = make_order(advisor=advisor)
    with pytest.raises(RuleBroken):
        campaigns.add_campaign_job(advisor, other, found)
    db.session.rollback()
    assert wo.total_if_all_approved(order) == D("0.00"), "the customer pays nothing for it"
    do_the_work(order, advisor, deliver=False)
    assert campaigns.open_by_vin(order.site_id, [vehicle.vin]), "open until the car is delivered"
    do_the_work(order, advisor)
    assert order.status == "delivered"
    assert campaigns.open_by_vin(order.site_id, [vehicle.vin]) == {}
    row = db.session.query(CampaignVin).filter_by(vin=vehicle.vin).one()
    assert row.closed_work_order_id == order.id and row.closed_at is not None
    assert [(p.vins, p.closed, p.rate) for p in campaigns.progress(order.site_id)] == [
        (1, 1, D("1.0000"))
    ]


def test_a_delivery_without_the_campaign_job_done_leaves_it_open(recalled):
    vehicle, found, advisor = recalled
    order = make_order(advisor=advisor, vehicle=vehicle)
    wo.add_job(
        advisor, order, title="Oil service", labor_hours=D("1"), category="level1_maintenance"
    )
    do_the_work(order, advisor)
    assert order.status == "delivered"
    assert [r.code for r in campaigns.open_by_vin(order.site_id, [vehicle.vin])[vehicle.vin]] == [
        found.code
    ]


def test_on_an_authorized_order_the_campaign_job_is_approved_at_once(recalled):
    vehicle, found, advisor = recalled
    from tests.factories import make_authorized_job

    order, _job = make_authorized_job(
        advisor=advisor, order=make_order(advisor=advisor, vehicle=vehicle)
    )
    db.session.commit()
    assert order.status == "in_progress"
    job = campaigns.add_campaign_job(advisor, order, found)
    db.session.commit()
    assert job.status == "approved"
    assert job.parts[0].reserved_quantity == D("1")


def test_the_import_page_checks_then_imports_the_file_it_kept(client, admin):
    import io
    import re

    make_part(part_number="INF-100")
    vins = [make_vin(n) for n in range(900400, 900403)]
    sign_in(client, admin.username)
    row = "RC-5,recall,Airbag,,AB1,1.5,INF-100:1,,"
    bad = f"{CSV_HEAD}{row}{vins[0]}\n{row}NOPE\n"

    def upload(text: str):
        page = client.get("/campaigns/import").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        return client.post(
            "/campaigns/import",
            data={"csrf_token": token, "file": (io.BytesIO(text.encode()), "rc.csv")},
            content_type="multipart/form-data",
        )

    refused = upload(bad)
    assert refused.status_code == 422 and "Not a valid VIN." in refused.get_data(as_text=True)
    checked = upload(
        CSV_HEAD + "".join(f"RC-5,recall,Airbag,,AB1,1.5,INF-100:1,,{v}\n" for v in vins)
    )
    page = checked.get_data(as_text=True)
    assert checked.status_code == 200 and "Import now" in page
    kept = re.search(r'name="token" value="([0-9a-f]{32})"', page).group(1)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert db.session.query(CampaignVin).count() == 0, "nothing is written by the check"
    done = client.post("/campaigns/import", data={"csrf_token": csrf, "token": kept})
    assert done.status_code == 302
    assert db.session.query(CampaignVin).count() == 3
    again = client.post("/campaigns/import", data={"csrf_token": csrf, "token": kept})
    assert again.status_code == 302 and db.session.query(CampaignVin).count() == 3, "used once"
