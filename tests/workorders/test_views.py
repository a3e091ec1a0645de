"""The work-order pages render for every role in every state, and refuse what a role may not do."""

from decimal import Decimal as D

from dealer.extensions import db
from tests.conftest import csrf_token, sign_in
from tests.factories import make_order, make_part, make_user
from tests.workorders.test_services import ALL_CHECKED
from workorders import services as wo
from workorders.models import WorkOrder
from workorders.workspace import Section


def test_order_pages_render_for_each_role_through_a_visit(app):
    people = {
        role: make_user(roles=[role])
        for role in ("advisor", "technician", "inspector", "manager", "parts", "callback")
    }
    browsers = {}
    for role, user in people.items():
        browsers[role] = app.test_client()
        sign_in(browsers[role], user.username)
    advisor, tech = people["advisor"], people["technician"]
    make_part(part_number="P-1", on_hand="0")
    order = make_order(advisor=advisor)
    seen = []

    def look(label: str) -> None:
        db.session.commit()
        for role, browser in browsers.items():
            visible = role != "technician" or label in ("in_progress", "delivered")
            for tab in ("", *Section):
                response = browser.get(f"/work-orders/{order.id}?tab={tab}")
                if visible:
                    assert response.status_code == 200, (label, role, tab)
                    assert order.number in response.get_data(as_text=True)
                else:
                    assert response.status_code == 404, (label, role, tab)
        seen.append(label)

    look("intake")
    job = wo.add_job(advisor, order, title="Brakes", labor_hours=D("1"), category="minor_repair")
    wo.add_part_line(advisor, order, job, part_number="P-1", quantity=D("1"))
    assert order.status == "estimating"
    look("estimating")
    wo.authorize_jobs(
        advisor,
        order,
        approved_job_ids=[job.id],
        declined_job_ids=[],
        authorized_by="O",
        method="phone",
        phone="13912345678",
        amount=None,
    )
    look("in_progress")
    job.waiting_for_parts = False
    wo.clock_on(tech, job)
    wo.complete_job(tech, job)
    wo.record_quality_check(people["inspector"], order, passed=True, checklist=ALL_CHECKED)
    wo.hand_over(
        advisor,
        order,
        payment_method="cash",
        amount_paid=wo.order_totals(order).total,
        received_by="O",
    )
    look("delivered")
    for role in ("advisor", "manager"):
        assert "open a comeback order" in browsers[role].get(
            f"/work-orders/{order.id}?tab=history"
        ).get_data(as_text=True)
    assert browsers["technician"].get("/board").status_code == 200
    assert browsers["inspector"].get("/board").status_code == 403
    assert browsers["callback"].get("/canned-jobs").status_code == 403
    assert seen == ["intake", "estimating", "in_progress", "delivered"]


def test_stale_page_is_refused_with_a_message(app, client, login):
    user = login("advisor")
    order = make_order(advisor=user)
    page = f"/work-orders/{order.id}"
    token = csrf_token(client, page)
    stale = order.version
    wo.add_job(user, order, title="Changed elsewhere", labor_hours=D("1"), category="minor_repair")
    wo.move_order(user, order, "awaiting_approval")
    db.session.commit()
    response = client.post(
        f"{page}/jobs",
        data={
            "title": "Mine",
            "labor_hours": "1",
            "category": "minor_repair",
            "pay_type": "customer",
            "version": stale,
            "csrf_token": token,
        },
        follow_redirects=True,
    )
    assert "Someone else changed this record" in response.get_data(as_text=True)
    db.session.expire_all()
    assert [j.title for j in db.session.get(WorkOrder, order.id).jobs] == ["Changed elsewhere"]


def test_orders_list_filters_waiting_for_decision(app, client, login):
    user = login("advisor")
    waiting = make_order(advisor=user)
    wo.add_job(user, waiting, title="Brakes", labor_hours=D("1"), category="minor_repair")
    quiet = make_order(advisor=user)
    db.session.commit()
    page = client.get("/work-orders?status=decision").get_data(as_text=True)
    assert waiting.number in page and quiet.number not in page
    assert quiet.number in client.get("/work-orders").get_data(as_text=True)


def test_the_workshop_list_puts_the_next_promise_first_and_history_the_newest(app, client, login):
    from datetime import timedelta

    from dealer.types import utcnow

    user = login("advisor")
    orders = [make_order(advisor=user) for _ in range(3)]
    for order, hours in zip(orders, (5, 1, 3), strict=True):
        order.promised_at = utcnow() + timedelta(hours=hours)
    db.session.commit()
    numbers = [o.number for o in orders]

    def listed(path):
        page = client.get(path).get_data(as_text=True)
        return sorted(numbers, key=page.index)

    assert listed("/work-orders") == [numbers[1], numbers[2], numbers[0]]
    assert listed("/work-orders?status=all") == [numbers[2], numbers[1], numbers[0]]


def test_a_refused_final_inspection_keeps_the_ticks_and_names_the_missing_items(app, client, staff):
    from tests.conftest import sign_in
    from tests.workorders.test_records import to_quality_check

    order, _job = to_quality_check(staff)
    db.session.commit()
    sign_in(client, staff["inspector"].username)
    page = f"/work-orders/{order.id}"
    token = csrf_token(client, page)
    answer = client.post(
        f"{page}/qc",
        data={
            "csrf_token": token,
            "version": order.version,
            "result": "pass",
            "check-jobs_completed": "1",
            "check-brakes_checked": "1",
            "notes": "Left rear wheel nut torqued again",
        },
        follow_redirects=True,
    )
    text = answer.get_data(as_text=True)
    assert "Fasteners and connections secure" in text.split("Every item must be checked")[1]
    assert "fasteners_secure, " not in text
    assert 'id="check-jobs_completed" name="check-jobs_completed" value="1" checked' in text
    assert 'id="check-brakes_checked" name="check-brakes_checked" value="1" checked' in text
    assert 'id="check-fasteners_secure" name="check-fasteners_secure" value="1">' in text
    assert "Left rear wheel nut torqued again" in text
    again = client.get(page).get_data(as_text=True)
    assert 'name="check-jobs_completed" value="1" checked' not in again
    assert db.session.get(WorkOrder, order.id).status == "quality_check"


def test_the_order_page_shows_where_the_car_is_and_what_it_comes_to(app, client, login):
    from tests.factories import make_authorized_job

    advisor = login("advisor", language="zh_Hans")
    order, _job = make_authorized_job(advisor=advisor, hours="2", amount="1000.00")
    db.session.commit()
    page = client.get(f"/work-orders/{order.id}").get_data(as_text=True)
    steps = page.split('id="order-steps"')[1].split("</ol>")[0]
    assert steps.count("<li") == 7
    assert 'class="order-step done"' in steps
    current = steps.split('aria-current="step"')[1].split("</li>")[0]
    assert "维修中" in current
    money = page.split('id="order-money"')[1].split("</dl>")[0]
    for label in ("估价合计", "授权金额", "授权余额", "已付", "应付金额"):
        assert label in money
    assert wo.headroom(order) > 0
