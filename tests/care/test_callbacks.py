"""The call list and each try at a call: order of the list, retries in working time,
answers kept, declined work booked, the pages and the paper, reassigning."""

import io
from datetime import datetime, timedelta

import pytest
from pypdf import PdfReader

from care import callbacks as calls
from care import complaints as care
from care import vip
from care.models import CallAttempt, Callback, Complaint
from customers.models import Customer
from dealer import services
from dealer.errors import DomainError, RuleBroken
from dealer.extensions import db
from dealer.workhours import half_working_day_after, next_period_start
from tests.care.visits import HOURS, SHANGHAI, at, delivered, local, weekday_hours
from tests.conftest import sign_in
from tests.factories import make_customer, make_user


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
    assert "李娜" in page and "VIP 金卡" in page and "元旦" in page
    paper = client.get("/callbacks/print.pdf")
    assert paper.status_code == 200
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(paper.data)).pages)
    assert "回访清单" in text and "李娜 (VIP 金卡)" in text and "元旦" in text


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
