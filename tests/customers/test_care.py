"""Callbacks, complaints, the VIP archive and privacy, the clock held where a rule needs it."""

import io
import json
from datetime import date, datetime, timedelta
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from care import callbacks as calls
from care import complaints as care
from care import vip
from care.models import CallAttempt, Callback, Complaint
from customers import privacy
from customers.models import Customer
from dealer import services
from dealer.errors import DomainError, Forbidden, RuleBroken
from dealer.extensions import db
from dealer.models import AuditEntry
from dealer.workhours import half_working_day_after, next_period_start
from tests.conftest import csrf_token, sign_in
from tests.factories import make_customer, make_order, make_user, make_vehicle
from tests.workorders.test_services import ALL_CHECKED
from workorders import services as wo
from workorders.models import WorkOrder

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOURS = {day: [["08:30", "17:30"]] for day in ("mon", "tue", "wed", "thu", "fri")}


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def local(moment: datetime) -> datetime:
    return moment.astimezone(SHANGHAI)


def weekday_hours():
    settings = services.settings_for(services.default_site().id)
    settings.working_hours = {**HOURS, "sat": [], "sun": []}
    db.session.commit()
    return settings


def delivered(customer=None, *, declined: bool = False, amount: str = "1") -> WorkOrder:
    """An order handed over through the real operations."""
    advisor = make_user(roles=["advisor"])
    tech = make_user(roles=["technician"])
    inspector = make_user(roles=["inspector"])
    vehicle = make_vehicle(customer=customer or make_customer(), odometer_km=30000)
    order = make_order(advisor=advisor, vehicle=vehicle)
    job = wo.add_job(
        advisor, order, title="Oil service", labor_hours=D(amount), category="level1_maintenance"
    )
    jobs = [job.id]
    refused = []
    if declined:
        refused.append(
            wo.add_job(
                advisor,
                order,
                title="Front brake pads",
                labor_hours=D("1.5"),
                category="minor_repair",
            ).id
        )
    wo.move_order(advisor, order, "estimating")
    wo.authorize_jobs(
        advisor,
        order,
        approved_job_ids=jobs,
        declined_job_ids=refused,
        authorized_by="Owner",
        method="phone",
        phone="13912345678",
        amount=None,
    )
    wo.clock_on(tech, job)
    wo.complete_job(tech, job)
    wo.record_quality_check(inspector, order, passed=True, checklist=ALL_CHECKED)
    wo.hand_over(
        advisor,
        order,
        payment_method="cash",
        amount_paid=wo.order_totals(order).total,
        received_by="Owner",
    )
    db.session.commit()
    return order


def test_delivery_on_a_friday_afternoon_is_followed_by_a_satisfaction_call_three_days_later(app):
    order = delivered(declined=True)
    db.session.query(Callback).delete()
    order.delivered_at = at(2026, 11, 27, 15, 20)
    made = calls.schedule_after_delivery(order)
    kinds = {c.kind: c for c in made}
    assert local(kinds["satisfaction"].due_at) == at(2026, 11, 30, 15, 20)
    assert local(kinds["satisfaction"].due_at).strftime("%A") == "Monday"
    assert local(kinds["declined_work"].due_at) == at(2026, 12, 4, 15, 20)
    assert calls.schedule_after_delivery(order) == []


def test_no_callbacks_for_customers_without_consent(app):
    order = delivered(make_customer(callback_consent=False))
    assert db.session.query(Callback).filter_by(customer_id=order.customer_id).count() == 0


def test_no_answer_tries_again_next_working_morning_and_closes_after_three(app):
    weekday_hours()
    agent = make_user(roles=["callback"])
    order = delivered()
    callback = db.session.query(Callback).filter_by(work_order_id=order.id).one()
    calls.record_attempt(agent, callback, outcome="no_answer", now=at(2026, 11, 25, 17, 50))
    assert local(callback.due_at) == at(2026, 11, 26, 8, 30)
    assert callback.status == "open" and callback.assignee_id == agent.id
    calls.record_attempt(agent, callback, outcome="no_answer", now=at(2026, 11, 27, 17, 50))
    assert local(callback.due_at) == at(2026, 11, 30, 8, 30)
    calls.record_attempt(agent, callback, outcome="no_answer", now=at(2026, 11, 30, 10, 0))
    assert callback.status == "unreachable" and callback.attempts == 3
    with pytest.raises(RuleBroken):
        calls.record_attempt(agent, callback, outcome="reached")


def test_working_time_rules():
    wh = {**HOURS, "sat": [], "sun": []}
    assert local(half_working_day_after(at(2026, 11, 23, 16, 0), wh, "Asia/Shanghai")) == at(
        2026, 11, 24, 11, 30
    )
    assert local(half_working_day_after(at(2026, 11, 27, 16, 0), wh, "Asia/Shanghai")) == at(
        2026, 11, 30, 11, 30
    )
    assert local(half_working_day_after(at(2026, 11, 28, 10, 0), wh, "Asia/Shanghai")) == at(
        2026, 11, 30, 13, 0
    )
    lunch = {**wh, "wed": [["08:30", "12:00"], ["13:30", "17:30"]]}
    assert local(next_period_start(at(2026, 11, 25, 10, 0), lunch, "Asia/Shanghai")) == at(
        2026, 11, 25, 13, 30
    )


def test_a_complaint_at_four_is_due_half_a_working_day_later_and_owned_by_its_receiver(app):
    weekday_hours()
    agent = make_user(roles=["callback"])
    other = make_user(roles=["advisor"])
    manager = make_user(roles=["manager"])
    customer = make_customer()
    complaint = care.raise_complaint(
        agent, customer, "Car returned dirty", channel="phone", now=at(2026, 11, 23, 16, 0)
    )
    assert local(complaint.first_reply_due) == at(2026, 11, 24, 11, 30)
    assert complaint.owner_id == agent.id
    assert not care.is_overdue(complaint, at(2026, 11, 24, 11, 29))
    assert care.is_overdue(complaint, at(2026, 11, 24, 11, 31))
    with pytest.raises(Forbidden):
        care.reply(other, complaint, "We are looking into it")
    with pytest.raises(DomainError) as no_reason:
        care.hand_over(agent, complaint, other, " ")
    assert no_reason.value.errors[0][0] == "reason"
    care.hand_over(agent, complaint, other, "Advisor of the visit")
    assert complaint.owner_id == other.id
    with pytest.raises(Forbidden):
        care.reply(agent, complaint, "Too late, it is not mine")
    care.reply(other, complaint, "Free valet next visit", now=at(2026, 11, 24, 9, 0))
    assert complaint.first_reply_at is not None
    assert not care.is_overdue(complaint, at(2026, 11, 25, 9, 0))
    with pytest.raises(DomainError):
        care.resolve(manager, complaint, root_cause="weather", resolution="")
    care.resolve(manager, complaint, root_cause="staff_attitude", resolution="Apologized")
    follow_up = db.session.query(Callback).filter_by(kind="complaint_follow_up").one()
    assert (
        follow_up.plan_key == f"complaint:{complaint.id}" and follow_up.customer_id == customer.id
    )


def test_plan_creates_reminders_and_care_calls_once(app):
    settings = services.settings_for(services.default_site().id)
    today = date(2026, 11, 23)
    regular = make_customer()
    car = make_vehicle(customer=regular, odometer_km=20000)
    car.last_service_at = at(2026, 5, 30, 10, 0)
    car.last_service_km = 20000
    friend = make_customer(birthday=date(1980, 11, 24))
    friend.vip_tier = "Gold"
    shy = make_customer(callback_consent=False)
    shy_car = make_vehicle(customer=shy)
    shy_car.last_service_at = at(2026, 1, 1, 10, 0)
    db.session.commit()
    first = calls.plan(settings.site_id, today)
    db.session.commit()
    assert (first.service_reminders, first.vip_care) == (1, 1)
    again = calls.plan(settings.site_id, today)
    db.session.commit()
    assert (again.service_reminders, again.vip_care) == (0, 0)
    reminder = db.session.query(Callback).filter_by(kind="service_reminder").one()
    assert reminder.vehicle_id == car.id and reminder.note == "2026-11-28"
    care_call = db.session.query(Callback).filter_by(kind="vip_care").one()
    assert care_call.customer_id == friend.id and care_call.plan_key == "birthday:2026-11-24"


def test_service_due_by_mileage_comes_before_the_date(app):
    car = make_vehicle(odometer_km=10000)
    car.last_service_at = at(2026, 1, 1, 9, 0)
    car.last_service_km = 10000
    due = calls.service_due(
        car,
        months=6,
        kilometres=5000,
        daily_km=D("100"),
        reading_km=12000,
        reading_at=at(2026, 1, 21, 9, 0),
    )
    assert due == date(2026, 2, 20)
    slow = calls.service_due(
        car,
        months=6,
        kilometres=5000,
        daily_km=D("5"),
        reading_km=10100,
        reading_at=at(2026, 1, 21, 9, 0),
    )
    assert slow == date(2026, 7, 1)


def test_plan_command_twice_creates_nothing_new(app):
    car = make_vehicle(odometer_km=20000)
    car.last_service_at = datetime(2025, 1, 1, 2, 0, tzinfo=ZoneInfo("UTC"))
    db.session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["callbacks", "plan", "--date", "2026-11-23"])
    assert first.exit_code == 0 and "1 service reminders" in first.output
    second = runner.invoke(args=["callbacks", "plan", "--date", "2026-11-23"])
    assert second.exit_code == 0 and "0 service reminders, 0 VIP care calls" in second.output
    assert db.session.query(Callback).filter_by(kind="service_reminder").count() == 1


def test_call_list_puts_complaints_then_overdue_then_vip_then_due_time(app):
    agent = make_user(roles=["callback"])
    site = services.default_site().id
    now = at(2026, 11, 23, 10, 0)

    def callback(kind, due, vip_tier=None, assignee=agent):
        customer = make_customer()
        customer.vip_tier = vip_tier
        made = Callback(
            priority=1 if vip_tier else 0,
            site_id=site,
            customer_id=customer.id,
            kind=kind,
            due_at=due,
            assignee_id=assignee.id if assignee else None,
            plan_key=str(due),
        )
        db.session.add(made)
        db.session.commit()
        return made

    later_today = callback("satisfaction", at(2026, 11, 23, 15, 0))
    vip_today = callback("satisfaction", at(2026, 11, 23, 16, 0), "Gold")
    overdue = callback("service_reminder", at(2026, 11, 20, 9, 0))
    complaint = callback("complaint_follow_up", at(2026, 11, 23, 17, 0))
    callback("satisfaction", at(2026, 11, 24, 9, 0))
    pool = callback("satisfaction", at(2026, 11, 23, 9, 0), assignee=None)
    mine = db.session.scalars(
        calls.call_list(site, agent, now=now, time_zone="Asia/Shanghai")
    ).all()
    assert [c.id for c in mine] == [complaint.id, overdue.id, vip_today.id, later_today.id]
    shared = db.session.scalars(
        calls.call_list(site, agent, scope="pool", now=now, time_zone="Asia/Shanghai")
    ).all()
    assert [c.id for c in shared] == [pool.id]
    manager = make_user(roles=["manager"])
    vip.grant(manager, later_today.customer, "Gold", "Fleet buyer", vip.DEFAULT_VIP_TIERS)
    assert later_today.priority == 1
    stmt = calls.call_list(site, agent, now=now, time_zone="Asia/Shanghai")
    mine = db.session.scalars(stmt).all()
    assert [c.id for c in mine][2:] == [later_today.id, vip_today.id]
    calls.take(agent, pool)
    other = make_user(roles=["callback"])
    with pytest.raises(RuleBroken):
        calls.take(other, pool)


def test_reached_satisfaction_call_keeps_the_answers_and_a_complaint(app):
    agent = make_user(roles=["callback"])
    order = delivered()
    callback = db.session.query(Callback).filter_by(work_order_id=order.id).one()
    with pytest.raises(DomainError):
        calls.record_attempt(agent, callback, outcome="no_answer", satisfaction=4)
    with pytest.raises(DomainError):
        calls.record_attempt(agent, callback, outcome="reached", answers={"on_time": 9})
    calls.record_attempt(
        agent,
        callback,
        outcome="reached",
        satisfaction=3,
        answers={"work_quality": 4, "on_time": 2},
        notes="Waited an hour",
        complaint="Car was ready two hours late",
    )
    db.session.commit()
    attempt = db.session.query(CallAttempt).one()
    assert attempt.answers == {"work_quality": 4, "on_time": 2} and attempt.satisfaction == 3
    assert callback.status == "done" and callback.outcome == "reached"
    complaint = db.session.query(Complaint).one()
    assert complaint.owner_id == agent.id and complaint.raised_from_callback_id == callback.id
    assert complaint.channel == "call" and complaint.work_order_id == order.id


def test_declined_work_is_booked_for_the_next_visit_without_an_order(app):
    from workorders.models import BookedWork

    agent = make_user(roles=["callback"])
    order = delivered(declined=True)
    callback = (
        db.session.query(Callback).filter_by(work_order_id=order.id, kind="declined_work").one()
    )
    orders_before = db.session.query(WorkOrder).count()
    wanted = date.today() + timedelta(days=10)
    first = wo.book_declined_work(agent, callback, wanted_on=wanted)
    again = wo.book_declined_work(agent, callback)
    db.session.commit()
    assert db.session.query(WorkOrder).count() == orders_before
    assert [b.id for b in first] == [b.id for b in again]
    assert db.session.query(BookedWork).count() == 1
    assert [b.source_job.title for b in first] == ["Front brake pads"] and first[
        0
    ].wanted_on == wanted
    with pytest.raises(DomainError):
        wo.book_declined_work(agent, callback, wanted_on=date(2000, 1, 1))
    db.session.rollback()
    satisfaction = (
        db.session.query(Callback).filter_by(work_order_id=order.id, kind="satisfaction").one()
    )
    with pytest.raises(RuleBroken):
        wo.book_declined_work(agent, satisfaction)
    db.session.rollback()

    advisor = order.advisor
    visit = wo.open_work_order(
        advisor,
        order.vehicle,
        odometer_km=order.vehicle.odometer_km + 500,
        fuel_level=D("0.5"),
        concern="Booked brake pads",
    )
    assert [b.id for b in wo.booked_work_for(order.vehicle_id)] == [first[0].id]
    job = wo.pull_booked_work(advisor, visit, db.session.get(BookedWork, first[0].id))
    assert job.title == "Front brake pads" and job.rebooked_from_id == first[0].source_job_id
    assert wo.booked_work_for(order.vehicle_id) == []
    with pytest.raises(RuleBroken):
        wo.pull_booked_work(advisor, visit, db.session.get(BookedWork, first[0].id))


def test_booking_from_the_call_page_twice_is_one_booking(app, client, login):
    from workorders.models import BookedWork

    order = delivered(declined=True)
    callback = (
        db.session.query(Callback).filter_by(work_order_id=order.id, kind="declined_work").one()
    )
    login("callback")
    orders_before = db.session.query(WorkOrder).count()
    page = f"/callbacks/{callback.id}"
    for _ in range(2):
        response = client.post(
            f"/callbacks/{callback.id}/book",
            data={"csrf_token": csrf_token(client, page), "wanted_on": "2099-01-01"},
            follow_redirects=True,
        )
        assert response.status_code == 200
    assert "within the coming year" in response.get_data(as_text=True)
    client.post(
        f"/callbacks/{callback.id}/book",
        data={"csrf_token": csrf_token(client, page), "wanted_on": ""},
    )
    client.post(
        f"/callbacks/{callback.id}/book",
        data={"csrf_token": csrf_token(client, page)},
    )
    assert db.session.query(BookedWork).count() == 1
    assert db.session.query(WorkOrder).count() == orders_before
    assert "booked for the next visit" in client.get(page).get_data(as_text=True)


def test_vip_tier_follows_spend_at_delivery_and_a_manager_can_decide(app):
    settings = services.settings_for(services.default_site().id)
    settings.vip_tiers = [
        {"name": "Gold", "spend": "1000.00", "visits": 2},
        {"name": "Silver", "spend": "200.00", "visits": 1},
    ]
    db.session.commit()
    customer = make_customer()
    delivered(customer, amount="1")
    assert customer.vip_tier == "Silver" and customer.visits_12m == 1
    delivered(customer, amount="4")
    assert customer.vip_tier == "Gold" and customer.spend_12m > D("1000")
    assert customer.lifetime_spend == customer.spend_12m and customer.last_visit_at is not None
    manager = make_user(roles=["manager"])
    with pytest.raises(DomainError):
        vip.remove(manager, customer, "")
    vip.remove(manager, customer, "Fleet account moved away")
    assert customer.vip_tier is None and customer.vip_manual is False
    assert wo.refresh_customers(customer.site_id) == 0 and customer.vip_tier is None
    vip.follow_rules(manager, customer, vip.tiers(settings))
    assert customer.vip_tier == "Gold"
    assert vip.tier_for(settings.vip_tiers, D("1500"), 1) == "Silver"
    assert vip.tier_for(settings.vip_tiers, D("100"), 5) is None


def test_erasure_anonymizes_the_person_and_keeps_the_books(app):
    manager = make_user(roles=["manager"])
    customer = make_customer(name="Zhang Wei", phone="13912345678", email="zw@example.com")
    order = delivered(customer)
    total = order.final_total
    exported = privacy.export_customer(manager, customer)
    assert exported["customer"]["name"] == "Zhang Wei"
    assert exported["visits"][0]["number"] == order.number
    privacy.erase_customer(manager, customer)
    db.session.commit()
    assert customer.name.startswith("Erased customer") and customer.phone == ""
    assert customer.email is None and not customer.callback_consent
    assert db.session.get(WorkOrder, order.id).final_total == total
    entries = db.session.query(AuditEntry).filter_by(entity="customer", entity_id=customer.id).all()
    text = json.dumps([e.changes for e in entries], ensure_ascii=False)
    assert "Zhang Wei" not in text and "13912345678" not in text and "zw@example.com" not in text
    assert any(e.note == "personal data erased" and e.user_id == manager.id for e in entries)
    with pytest.raises(RuleBroken):
        privacy.erase_customer(manager, customer)


def test_callback_rules_are_checked():
    good = services.check_callback_rules(
        {
            "satisfaction": {"enabled": True, "days": "3"},
            "declined_work": {"enabled": False, "days": "7"},
            "service_reminder": {"enabled": True, "months": "6", "km": "5000", "days_ahead": "14"},
            "vip_care": {
                "enabled": True,
                "days_ahead": "1",
                "birthday": True,
                "holidays": {"spring_festival": ["2027-02-06"], "new_year": ["01-01"]},
            },
            "complaint_follow_up": {"enabled": True, "days": "2"},
        }
    )
    assert good["satisfaction"] == {"enabled": True, "days": 3}
    assert good["vip_care"]["holidays"]["spring_festival"] == ["2027-02-06"]
    with pytest.raises(DomainError) as bad:
        services.check_callback_rules(
            {"satisfaction": {"days": "-1"}, "vip_care": {"holidays": {"new_year": ["13-45"]}}}
        )
    fields = {f for f, _ in bad.value.errors}
    assert "satisfaction.days" in fields and "holidays.new_year" in fields
    tiers = services.check_vip_tiers(
        [
            {"name": "Silver", "spend": "100", "visits": 1},
            {"name": "Gold", "spend": "900", "visits": 3},
        ]
    )
    assert [t["name"] for t in tiers] == ["Gold", "Silver"]
    with pytest.raises(DomainError):
        services.check_vip_tiers([{"name": "Gold", "spend": "NaN", "visits": 1}])


def test_care_api(app, client, token_for):
    order = delivered(declined=True)
    agent_headers = token_for("callback")
    pool = client.get("/api/v1/callbacks?due=today&assignee=unassigned", headers=agent_headers)
    assert pool.status_code == 200 and pool.json["total"] == 0
    everything = client.get("/api/v1/callbacks?assignee=unassigned", headers=agent_headers).json
    assert {c["kind"] for c in everything["items"]} == {"satisfaction", "declined_work"}
    first = everything["items"][0]
    assert first["customer"]["phone"].count("*") == 0
    answer = client.post(
        f"/api/v1/callbacks/{first['id']}/attempts",
        json={"outcome": "reached", "satisfaction": 2, "complaint": "Noise is back"},
        headers=agent_headers,
    )
    assert answer.status_code == 201 and answer.json["status"] == "done"
    assert answer.json["attempts"][0]["satisfaction"] == 2
    bad = client.post(
        f"/api/v1/callbacks/{first['id']}/attempts",
        json={"outcome": "maybe"},
        headers=agent_headers,
    )
    assert bad.status_code in (409, 422)
    listed = client.get("/api/v1/complaints?open=1", headers=agent_headers).json
    assert listed["total"] == 1
    complaint = listed["items"][0]
    assert complaint["owner"]["username"].startswith("user") and complaint["overdue"] is False
    resolved = client.post(
        f"/api/v1/complaints/{complaint['id']}/resolve",
        json={"root_cause": "workmanship", "resolution": "Refitted the shield"},
        headers=agent_headers,
    )
    assert resolved.status_code == 200 and resolved.json["status"] == "resolved"
    assert client.get("/api/v1/callbacks", headers=token_for("technician")).status_code == 403
    assert client.get("/api/v1/vip", headers=token_for("advisor")).status_code == 200
    dossier = client.get(f"/api/v1/vip/{order.customer_id}", headers=token_for("manager"))
    assert dossier.status_code == 200 and dossier.json["visits"][0]["number"] == order.number


def test_call_list_pages_and_paper(app, client):
    agent = make_user(roles=["callback"], language="zh_Hans")
    customer = make_customer(name="李娜")
    customer.vip_tier = "Gold"
    db.session.add(
        Callback(
            site_id=customer.site_id,
            customer_id=customer.id,
            kind="vip_care",
            due_at=datetime.now(SHANGHAI) - timedelta(hours=1),
            assignee_id=agent.id,
            plan_key="new_year:2027-01-01",
            note="new_year",
        )
    )
    db.session.commit()
    sign_in(client, agent.username)
    page = client.get("/callbacks").get_data(as_text=True)
    assert "李娜" in page and "VIP Gold" in page and "元旦" in page
    paper = client.get("/callbacks/print.pdf")
    assert paper.status_code == 200
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(paper.data)).pages)
    assert "回访清单" in text and "李娜 (VIP Gold)" in text and "元旦" in text


def test_settings_page_saves_rules(app, client, login):
    login("manager")
    from tests.conftest import csrf_token

    token = csrf_token(client, "/settings/callbacks")
    refused = client.post(
        "/settings/callbacks", data={"csrf_token": token, "satisfaction-days": "x"}
    )
    assert refused.status_code == 422
    data = {
        "csrf_token": token,
        "satisfaction-enabled": "on",
        "satisfaction-days": "2",
        "declined_work-days": "10",
        "service_reminder-enabled": "on",
        "service_reminder-months": "12",
        "service_reminder-km": "10000",
        "service_reminder-days_ahead": "7",
        "vip_care-enabled": "on",
        "vip_care-days_ahead": "2",
        "vip_care-birthday": "on",
        "holiday-new_year": "01-01",
        "holiday-spring_festival": "2027-02-06 2028-01-26",
        "complaint_follow_up-enabled": "on",
        "complaint_follow_up-days": "3",
        "tier-0-name": "Platinum",
        "tier-0-spend": "50000",
        "tier-0-visits": "6",
    }
    assert client.post("/settings/callbacks", data=data).status_code == 302
    settings = services.settings_for(services.default_site().id)
    db.session.refresh(settings)
    assert settings.callback_rules["satisfaction"]["days"] == 2
    assert settings.callback_rules["declined_work"]["enabled"] is False
    assert settings.vip_tiers == [{"name": "Platinum", "spend": "50000.00", "visits": 6}]


def test_customer_is_unknown_across_sites_guard(app):
    agent = make_user(roles=["callback"])
    stranger = Customer(
        site_id=agent.site_id + 100, name="x", name_key="x", phone="", phone_digits=""
    )
    with pytest.raises(DomainError):
        care.raise_complaint(agent, stranger, "text")


def test_a_manager_reassigns_calls_from_the_list_with_each_calls_agent_chosen(app, client):
    manager = make_user(roles=["manager"], full_name="Boss")
    agent = make_user(roles=["callback"], full_name="Sun <Li>")
    customer = make_customer(name="Wang Fang")
    for assignee in (agent.id, None):
        db.session.add(
            Callback(
                site_id=customer.site_id,
                customer_id=customer.id,
                kind="satisfaction",
                due_at=datetime.now(SHANGHAI) - timedelta(hours=1),
                assignee_id=assignee,
            )
        )
    db.session.commit()
    sign_in(client, manager.username)
    page = client.get("/callbacks?scope=all").get_data(as_text=True)
    assert page.count('name="assignee_id"') == 2
    assert page.count(f'<option value="{agent.id}" selected>Sun &lt;Li&gt;</option>') == 1
    assert page.count('<option value="0" selected>') == 1
