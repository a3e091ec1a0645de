"""Every report figure on a small hand-made month whose answers are worked out by hand below.

November 2026 in Shanghai. Orders delivered in it: A (advisor 1, VIP customer,
1,130.00, promised 12:00 and delivered 10:00), B (advisor 1, 452.00, promised
15:00 and delivered 16:00, a comeback for workmanship), D (advisor 2, 0.00,
internal, no promise, delivered 23:00 on the 30th). C (20 October) and E
(00:30 on 1 December) fall outside.
"""

import json
import re
from datetime import date, datetime, timedelta
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest

from care.models import CallAttempt, Callback, Complaint
from dealer import services
from dealer.extensions import db
from reports import dashboard
from reports import figures as reports
from tests.conftest import sign_in
from tests.factories import make_customer, make_part, make_user, make_vehicle
from workorders import services as wo
from workorders.models import Authorization, Job, PartLine, TimeClock, WorkOrder

TZ = ZoneInfo("Asia/Shanghai")
NOVEMBER = reports.Period(date(2026, 11, 1), date(2026, 11, 30), "Asia/Shanghai")


def at(month, day, hour, minute=0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TZ)


@pytest.fixture
def month(app):
    site = services.default_site()
    settings = services.settings_for(site.id)
    adv1 = make_user(roles=["advisor"], full_name="Adviser One")
    adv2 = make_user(roles=["advisor"], full_name="Adviser Two")
    t1 = make_user(roles=["technician"], full_name="Tech One")
    t2 = make_user(roles=["technician"], full_name="Tech Two")
    vip = make_customer()
    vip.vip_tier = "Gold"
    plain = make_customer()
    part = make_part()
    numbers = iter(range(1, 100))

    def order(customer, advisor, delivered, total, promised=None, **extra):
        made = WorkOrder(
            site_id=site.id,
            number=f"WO-T-{next(numbers):04d}",
            customer_id=customer.id,
            vehicle_id=make_vehicle(customer=customer).id,
            advisor_id=advisor.id,
            status="delivered",
            received_at=delivered - timedelta(days=1),
            odometer_in=1000,
            fuel_level=D("0.5"),
            concern="Service",
            tax_rate=D("0.13"),
            labor_rate=D("200"),
            delivered_at=delivered,
            promised_at=promised,
            final_total=D(total),
            **extra,
        )
        db.session.add(made)
        db.session.flush()
        return made

    def job(wo, hours, status, tech=None, proposed_by=None, **extra):
        made = Job(
            work_order_id=wo.id,
            title=f"Job {hours}",
            labor_hours=D(hours),
            labor_rate=D("200"),
            category="minor_repair",
            status=status,
            technician_id=tech.id if tech else None,
            proposed_by_id=proposed_by.id if proposed_by else None,
            **extra,
        )
        db.session.add(made)
        db.session.flush()
        return made

    def line(wo, jb, qty, price, cost, returned="0"):
        db.session.add(
            PartLine(
                work_order_id=wo.id,
                job_id=jb.id,
                part_id=part.id,
                part_number=part.part_number,
                name="Pad",
                quantity=D(qty),
                unit="pcs",
                unit_price=D(price),
                unit_cost=D(cost),
                condition="new_genuine",
                returned_quantity=D(returned),
            )
        )

    def clock(wo, jb, tech, start, hours):
        db.session.add(
            TimeClock(
                job_id=jb.id,
                work_order_id=wo.id,
                technician_id=tech.id,
                started_at=start,
                ended_at=start + timedelta(hours=hours),
            )
        )

    c = order(plain, adv1, at(10, 20, 10), "999.00")
    a = order(vip, adv1, at(11, 5, 10), "1130.00", promised=at(11, 5, 12))
    j1 = job(a, "2.0", "done", t1)
    j2 = job(a, "1.0", "declined")
    line(a, j1, "2", "100", "60")
    line(a, j2, "1", "300", "200")
    clock(a, j1, t1, at(11, 4, 9), 2.5)
    db.session.add(
        Authorization(
            work_order_id=a.id,
            authorized_by="X",
            method="phone",
            amount=D("1000"),
            amount_added=D("1000"),
        )
    )
    b = order(
        plain,
        adv1,
        at(11, 12, 16),
        "452.00",
        promised=at(11, 12, 15),
        comeback_of_id=c.id,
        comeback_cause="workmanship",
    )
    j3 = job(b, "1.0", "done", t2, proposed_by=t2)
    job(b, "0.5", "declined", proposed_by=t2)
    line(b, j3, "1.5", "40", "30", returned="0.5")
    clock(b, j3, t2, at(11, 11, 9), 1.0)
    db.session.add(
        Authorization(
            work_order_id=b.id,
            authorized_by="X",
            method="phone",
            amount=D("452"),
            amount_added=D("452"),
        )
    )
    d = order(plain, adv2, at(11, 30, 23), "0.00")
    j5 = job(d, "0.5", "done", t1, pay_type="internal")
    clock(d, j5, t1, at(11, 30, 9), 0.5)
    e = order(plain, adv2, at(12, 1, 0, 30), "500.00")
    job(e, "3.0", "done", t1)
    later = order(plain, adv2, at(12, 3, 10), "100.00")
    job(later, "1.0", "approved", rebooked_from_id=j2.id)
    db.session.flush()
    for delivered in (c, a, b, d, e, later):
        db.session.expire(delivered)
        wo.settle_figures(delivered)

    def callback(status, outcome, closed, key):
        made = Callback(
            site_id=site.id,
            customer_id=plain.id,
            kind="satisfaction",
            due_at=closed,
            status=status,
            outcome=outcome,
            closed_at=closed,
            plan_key=key,
        )
        db.session.add(made)
        db.session.flush()
        return made

    cb1 = callback("done", "reached", at(11, 10, 10), "1")
    callback("unreachable", "no_answer", at(11, 11, 10), "2")
    callback("done", "reached", at(10, 31, 10), "3")
    for when, outcome, score, answers in (
        (at(11, 10, 10), "reached", 4, {"work_quality": 5, "on_time": 3}),
        (at(11, 10, 11), "reached", 2, {"work_quality": 3}),
        (at(11, 10, 12), "no_answer", None, {}),
    ):
        db.session.add(
            CallAttempt(
                callback_id=cb1.id,
                user_id=adv1.id,
                outcome=outcome,
                satisfaction=score,
                answers=answers,
                at=when,
            )
        )
    for received, replied in (
        (at(11, 3, 10), at(11, 3, 12)),
        (at(11, 4, 10), at(11, 5, 10)),
        (at(11, 6, 10), None),
    ):
        db.session.add(
            Complaint(
                site_id=site.id,
                customer_id=plain.id,
                channel="desk",
                description="x",
                received_at=received,
                received_by_id=adv1.id,
                owner_id=adv1.id,
                first_reply_due=received + timedelta(hours=4, minutes=30),
                first_reply_at=replied,
            )
        )
    db.session.commit()
    return {"settings": settings, "site": site.id, "adv1": adv1, "adv2": adv2, "t1": t1, "t2": t2}


def test_each_figure_of_the_month(month):
    s = reports.summary(month["site"], month["settings"], NOVEMBER)
    assert s.car_count == 3
    assert s.revenue == D("1582.00")
    assert s.average_repair_order == D("791.00")  # (1130 + 452) / 2 paying orders
    assert s.labor_hours_sold == D("3.50")  # 2.0 + 1.0 + 0.5 done
    assert s.labor_hours_clocked == D("4.00")  # 2.5 + 1.0 + 0.5
    assert s.technician_efficiency == D("0.8750")
    # 21 weekdays x 9 h + 4 Saturdays x 7 h = 217 h each, two technicians clocked
    assert reports.available_hours(month["settings"], NOVEMBER) == D("217")
    assert s.technician_productivity == D("0.0092")  # 4 / 434
    assert s.parts_sales == D("240.00")  # 2 x 100 + (1.5 - 0.5) x 40
    assert s.parts_gross_profit == D("90.00")  # 240 - (2 x 60 + 1 x 30)
    assert s.estimate_accuracy == D("1.0895")  # 1582 / 1452
    assert s.estimates_within_10_percent_rate == D("0.5000")  # B yes, A 13% over
    assert s.supplementary_approval_rate == D("0.5000")  # one proposed approved, one declined
    assert s.declined_work_value == D("600.00")  # A: 200 labor + 300 part; B: 100 labor
    assert s.declined_work_booked_value == D("500.00")  # A's declined job booked in December
    assert s.on_time_delivery_rate == D("0.5000")  # A on time, B an hour late, D no promise
    assert s.comeback_rate == D("0.3333") and s.comeback_causes == {"workmanship": 1}
    assert s.callback_reach_rate == D("0.5000")  # reached and unreachable closed in November
    assert s.average_satisfaction == D("3.0000")  # (4 + 2) / 2, the no-answer not counted
    assert s.satisfaction_by_question == {
        "work_quality": D("4.0000"),
        "on_time": D("3.0000"),
        "explanation": None,
        "staff_attitude": None,
    }
    assert s.complaints_received == 3
    assert s.complaints_first_reply_within_sla_rate == D("0.3333")
    assert s.complaint_first_reply_hours == D("13.00")  # (2 + 24) / 2
    assert s.vip_revenue_share == D("0.7143")  # 1130 / 1582


def test_figures_per_advisor_technician_and_week(month):
    advisors = {a["name"]: a for a in reports.per_advisor(month["site"], NOVEMBER)}
    assert advisors["Adviser One"]["car_count"] == 2
    assert advisors["Adviser One"]["average_repair_order"] == D("791.00")
    assert advisors["Adviser Two"]["revenue"] == D("0.00")
    assert advisors["Adviser Two"]["on_time_delivery_rate"] is None
    techs = {
        t["name"]: t for t in reports.per_technician(month["site"], month["settings"], NOVEMBER)
    }
    assert techs["Tech One"]["labor_hours_sold"] == D("2.50")
    assert techs["Tech One"]["labor_hours_clocked"] == D("3.00")
    assert techs["Tech One"]["efficiency"] == D("0.8333")
    assert techs["Tech Two"]["efficiency"] == D("1.0000")
    one = reports.summary(month["site"], month["settings"], NOVEMBER, technician_id=month["t1"].id)
    assert one.labor_hours_sold == D("2.50") and one.parts_sales == D("200.00")
    assert one.technician_productivity == D("0.0138")  # 3 / 217
    only = reports.summary(month["site"], month["settings"], NOVEMBER, advisor_id=month["adv2"].id)
    assert only.car_count == 1 and only.average_repair_order is None
    weeks = reports.trend(month["site"], NOVEMBER, "week")
    assert [(w["start"], w["car_count"], w["revenue"]) for w in weeks] == [
        (date(2026, 11, 2), 1, D("1130.00")),
        (date(2026, 11, 9), 1, D("452.00")),
        (date(2026, 11, 30), 1, D("0.00")),
    ]
    months = reports.trend(month["site"], NOVEMBER, "month")
    assert months == [{"start": date(2026, 11, 1), "car_count": 3, "revenue": D("1582.00")}]


def test_report_pages_csv_and_api(month, client, token_for):
    manager = make_user(roles=["manager"])
    sign_in(client, manager.username)
    page = client.get("/reports?from=2026-11-01&to=2026-11-30")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert (
        'data-metric="average_repair_order"' in html and "791.00" in html and "data-chart" in html
    )
    assert '<tr data-metric="technician_efficiency">' in html
    efficiency = html.split('<tr data-metric="technician_efficiency">')[1].split("</tr>")[0]
    assert ">87.5%<" in efficiency and "(few hours clocked)" not in efficiency
    assert "83.3%" in html and "0.8333" not in html and ".0000" not in html
    csv_text = client.get(
        "/reports.csv?from=2026-11-01&to=2026-11-30&table=technicians"
    ).data.decode("utf-8-sig")
    assert "Tech One,2.50,3.00,0.8333" in csv_text
    assert client.get("/dashboard").status_code == 200
    api = client.get(
        "/api/v1/reports/summary?from=2026-11-01&to=2026-11-30", headers=token_for("manager")
    )
    assert api.status_code == 200
    assert api.json["car_count"] == 3 and api.json["average_repair_order"] == "791.00"
    assert api.json["on_time_delivery_rate"] == "0.5" and api.json["comeback_causes"] == {
        "workmanship": 1
    }
    backwards = client.get(
        "/api/v1/reports/summary?from=2026-11-30&to=2026-11-01", headers=token_for("manager")
    )
    assert backwards.status_code == 422
    assert (
        client.get(
            "/api/v1/reports/summary?from=2026-11-01&to=2026-11-30", headers=token_for("advisor")
        ).status_code
        == 403
    )


def test_today_lists_late_and_at_risk_orders(app, client):
    from tests.factories import make_order

    settings = services.settings_for(services.default_site().id)
    advisor = make_user(roles=["advisor"])
    late = make_order(advisor=advisor)
    late.promised_at = datetime.now(TZ) - timedelta(hours=1)
    risky = make_order(advisor=advisor)
    risky.promised_at = datetime.now(TZ) + timedelta(hours=1)
    db.session.add(
        Job(
            work_order_id=risky.id,
            title="Brakes",
            labor_hours=D("1"),
            labor_rate=D("200"),
            category="minor_repair",
            status="approved",
        )
    )
    calm = make_order(advisor=advisor)
    calm.promised_at = datetime.now(TZ) + timedelta(hours=1)
    db.session.commit()
    now = services.utcnow()
    board = dashboard.today(late.site_id, settings, now)
    assert [o.id for o in board.late] == [late.id]
    assert [o.id for o in board.at_risk] == [risky.id]
    assert board.by_status == {"estimating": 3}
    assert {o.id for o in board.deliveries_due} >= {late.id}
    from tests.conftest import sign_in

    sign_in(client, make_user(roles=["manager"]).username)
    shown = {
        name: {
            o.number
            for o in (late, risky, calm)
            if o.number in client.get(f"/work-orders?status={name}").get_data(as_text=True)
        }
        for name in ("late", "at_risk", "due_today")
    }
    assert shown == {
        "late": {late.number},
        "at_risk": {risky.number},
        "due_today": {late.number, risky.number, calm.number}
        if calm.promised_at.astimezone(TZ).date() == datetime.now(TZ).date()
        else {late.number},
    }
    agent = make_user(roles=["callback"])
    from care.complaints import raise_complaint

    raise_complaint(agent, late.customer, "Still waiting", now=now - timedelta(days=2))
    db.session.commit()
    board = dashboard.today(late.site_id, settings, now)
    assert board.complaints_open == 1 and board.complaints_overdue == 1
    [(complaint, overdue)] = board.complaints
    assert complaint.owner_id == agent.id and overdue


def test_today_lists_the_first_ten_in_promised_order_with_their_plates_and_counts_all(app, client):
    from tests.factories import make_order

    settings = services.settings_for(services.default_site().id)
    advisor = make_user(roles=["advisor"])
    orders = [make_order(advisor=advisor) for _ in range(13)]
    start = datetime.now(TZ) - timedelta(days=2)
    for index, order in enumerate(reversed(orders)):
        order.promised_at = start + timedelta(minutes=10 * index)
    db.session.commit()
    board = dashboard.today(advisor.site_id, settings, services.utcnow())
    expected = sorted(orders, key=lambda o: o.promised_at)[: dashboard.DASHBOARD_ROWS]
    assert [o.id for o in board.late] == [o.id for o in expected]
    assert [o.plate for o in board.late] == [o.vehicle.plate for o in expected]
    assert [o.id for o in board.deliveries_due] == [o.id for o in expected]
    assert [o.promised_at for o in board.late] == [o.promised_at for o in expected]
    assert board.late.total == board.deliveries_due.total == 13
    assert board.at_risk.total == 0 and list(board.at_risk) == []

    from tests.conftest import sign_in

    sign_in(client, make_user(roles=["manager"]).username)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Past the promised time (13)" in page
    assert 'href="/work-orders?status=late">All 13</a>' in page
    assert 'href="/work-orders?status=due_today">All 13</a>' in page
    everything = client.get("/work-orders?status=late").get_data(as_text=True)
    assert all(o.number in everything for o in orders)


def test_today_counts_calls_per_agent_and_lists_jobs_waiting_for_parts(app):
    from tests.factories import make_order

    settings = services.settings_for(services.default_site().id)
    advisor = make_user(roles=["advisor"])
    agent = make_user(roles=["callback"], full_name="Sun Li")
    order = make_order(advisor=advisor)
    job = Job(
        work_order_id=order.id,
        title="Clutch",
        labor_hours=D("2"),
        labor_rate=D("200"),
        category="minor_repair",
        status="approved",
        waiting_for_parts=True,
    )
    db.session.add(job)
    now = services.utcnow()
    for assignee, due in ((agent.id, now - timedelta(days=2)), (agent.id, now), (None, now)):
        db.session.add(
            Callback(
                site_id=order.site_id,
                customer_id=order.customer_id,
                kind="satisfaction",
                due_at=due,
                assignee_id=assignee,
            )
        )
    db.session.commit()
    board = dashboard.today(order.site_id, settings, now)
    assert sorted(board.callbacks_by_agent, key=lambda r: r["agent"] or "") == [
        {"agent": None, "due": 1, "overdue": 0},
        {"agent": "Sun Li", "due": 2, "overdue": 1},
    ]
    [(job_id, title, _title_zh, order_id, number, total)] = board.waiting_for_parts
    assert (job_id, title, order_id, number) == (job.id, "Clutch", order.id, order.number)
    assert total == board.waiting_for_parts.total == 1


def test_dashboard_lists_technicians_at_work_and_names_the_rest_on_one_line(app, client):
    from tests.conftest import sign_in
    from tests.factories import make_authorized_job

    advisor = make_user(roles=["advisor"])
    busy = make_user(roles=["technician"], full_name="Busy Bee")
    make_user(roles=["technician"], full_name="Idle Ivan")
    _, job = make_authorized_job(advisor=advisor, title="Timing belt")
    wo.assign_job(advisor, job, busy)
    wo.clock_on(busy, job)
    db.session.commit()
    sign_in(client, make_user(roles=["manager"]).username)
    page = client.get("/dashboard").get_data(as_text=True)
    table = page.split('id="technicians"', 1)[1].split("</table>", 1)[0]
    assert "Busy Bee" in table and "Timing belt" in table and "Idle Ivan" not in table
    line = page.split('id="technicians-idle"', 1)[1].split("</p>", 1)[0]
    assert "Not clocked on today (1):" in line and "Idle Ivan" in line


def test_the_reports_offer_the_usual_periods_in_one_click(month, client):
    manager = make_user(roles=["manager"])
    sign_in(client, manager.username)
    html = client.get("/reports").get_data(as_text=True)
    periods = html.split('id="report-periods"')[1].split("</nav>")[0]
    links = re.findall(r'href="([^"]+)"[^>]*>([^<]+)</a>', periods)
    assert [label for _, label in links] == [
        "This month",
        "Last 30 days",
        "This year",
        "Last 12 months",
    ]
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    back = today.year * 12 + today.month - 12
    first = date(back // 12, back % 12 + 1, 1)
    assert f"from={first.isoformat()}" in links[3][0] and "unit=month" in links[3][0]
    assert 'aria-current="page">This month' in periods
    chart = re.search(r'data-chart="([^"]+)" aria-label="Trend"', html).group(1)
    spec = json.loads(chart.replace("&#34;", '"').replace("&quot;", '"'))
    assert [d["yAxisID"] for d in spec["datasets"]] == ["cars", "money"]
