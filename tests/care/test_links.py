"""The customer's link: made and sent with the workshop's messages, opened without a login,
the decision recorded as an authorization by ``link`` under the desk's rules, refused alike
when unknown, expired or revoked, held to its rate limits, and the survey after handover
counted with the calls."""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from care import links, notices, outbox, planning, survey
from care.models import CallAttempt, Callback, CustomerLink, Message
from dealer import services
from dealer.extensions import db
from dealer.types import clock_at, utcnow
from reports.figures import Period, summary
from tests.care.servers import Gateway
from tests.care.visits import delivered
from tests.conftest import csrf_token
from tests.factories import PHOTO, SIGNATURE, make_order, make_user
from workorders import services as wo

NOON = datetime(2026, 12, 7, 4, 0, tzinfo=UTC)
SIGNED = "data:image/png;base64," + __import__("base64").b64encode(SIGNATURE).decode()


def estimate(advisor=None, *, language="zh_Hans"):
    """An order with two jobs put to the customer (awaiting approval), committed; its intake
    moved it to estimating."""
    advisor = advisor or make_user(roles=["advisor"])
    order = make_order(advisor=advisor)
    order.customer.preferred_language = language
    brakes = wo.add_job(
        advisor,
        order,
        title="Front brake pads",
        labor_hours=Decimal("1.5"),
        category="minor_repair",
    )
    wipers = wo.add_job(
        advisor, order, title="Wiper blades", labor_hours=Decimal("0.5"), category="minor_repair"
    )
    wo.move_order(advisor, order, "awaiting_approval")
    db.session.commit()
    return order, brakes, wipers


def link_in(text: str) -> str:
    return re.search(r"/l/([A-Za-z0-9_-]+)", text).group(1)


def test_the_workshop_steps_send_the_customer_a_link(app):
    with clock_at(NOON):
        order, _brakes, _wipers = estimate()
    sent = db.session.scalars(
        select(Message).where(Message.work_order_id == order.id).order_by(Message.id)
    ).all()
    assert [m.event for m in sent] == ["order_received", "estimate_ready"]
    assert all(m.language == "zh_Hans" and "/l/" in m.text for m in sent)
    total = wo.total_if_all_approved(order)
    assert f"{total:,.2f}" in sent[1].text and order.vehicle.plate in sent[1].text
    token = link_in(sent[1].text)
    assert len(token) <= 22
    kept = db.session.scalars(select(CustomerLink).where(CustomerLink.work_order_id == order.id))
    assert all(token not in row.token_hash for row in kept)
    assert links.find_link(token).work_order_id == order.id
    assert order.customer.phone not in sent[1].text.split("/l/")[1]


def test_no_message_when_the_site_sends_none(app):
    settings = services.settings_for(services.default_site().id)
    settings.order_messages = False
    db.session.commit()
    order, _, _ = estimate()
    assert db.session.scalars(select(Message).where(Message.work_order_id == order.id)).all() == []


def test_a_decision_on_the_link_is_an_authorization_by_link(app, client):
    order, brakes, wipers = estimate()
    _, token = links.issue_link(None, order)
    db.session.commit()
    answer = client.post(
        f"/api/v1/links/{token}/decision",
        json={
            "approve": [brakes.id],
            "decline": [wipers.id],
            "name": "王先生",
            "signature": SIGNED,
        },
        headers={"User-Agent": "PhoneBrowser/1.0"},
    )
    assert answer.status_code == 201, answer.json
    db.session.expire_all()
    [authorization] = order.authorizations
    expected = wo.order_totals(order).total
    assert authorization.method == "link" and authorization.authorized_by == "王先生"
    assert authorization.amount == expected and answer.json["amount"] == f"{expected:.2f}"
    assert authorization.address == "127.0.0.1" and authorization.user_agent == "PhoneBrowser/1.0"
    assert authorization.signature_file and authorization.recorded_by_id is None
    assert (brakes.status, wipers.status, order.status) == ("approved", "declined", "in_progress")
    again = client.post(
        f"/api/v1/links/{token}/decision",
        json={"approve": [wipers.id], "name": "王先生", "signature": SIGNED},
    )
    assert again.status_code == 422 and "approve" in again.json["errors"]


def test_a_decision_needs_a_signature_and_a_name(app, client):
    order, brakes, _ = estimate()
    _, token = links.issue_link(None, order)
    db.session.commit()
    answer = client.post(
        f"/api/v1/links/{token}/decision", json={"approve": [brakes.id], "name": " "}
    )
    fields = set(answer.json["errors"])
    assert answer.status_code == 422 and fields == {"authorized_by", "signature"}
    db.session.expire_all()
    assert order.authorizations == [] and brakes.status == "pending"


def test_extra_work_by_link_is_supplementary_and_keeps_the_ceiling(app, client, login):
    advisor = make_user(roles=["advisor"])
    order, brakes, wipers = estimate(advisor)
    wo.authorize_jobs(
        advisor,
        order,
        approved_job_ids=[brakes.id, wipers.id],
        declined_job_ids=[],
        authorized_by="Owner",
        method="phone",
        phone="13912345678",
        amount=None,
    )
    tech = make_user(roles=["technician"])
    wo.assign_job(advisor, brakes, tech)
    extra = wo.add_job(
        tech, order, title="Brake fluid", labor_hours=Decimal("0.5"), category="minor_repair"
    )
    db.session.commit()
    assert extra.status == "proposed"
    message, _link, url = notices.ask_for_decision(advisor, order)
    db.session.commit()
    assert message.event == "authorization_needed" and message.urgent
    token = url.rsplit("/", 1)[1]
    seen = client.get(f"/api/v1/links/{token}").json
    assert [j["decision_needed"] for j in seen["jobs"]] == [False, False, True]
    assert seen["jobs"][2]["totals"]["tax"] != "0.00"
    answer = client.post(
        f"/api/v1/links/{token}/decision",
        json={"approve": [extra.id], "name": "Owner", "signature": SIGNED},
    )
    assert answer.status_code == 201
    assert answer.json["supplementary"] is True
    db.session.expire_all()
    assert order.authorized_amount == wo.order_totals(order).total
    login("manager")
    board = client.get("/dashboard").get_data(as_text=True)
    decided = board.split("Decided by the customer on their link")[1].split("</table>")[0]
    assert order.number in decided


@pytest.mark.parametrize("how", ["unknown", "expired", "revoked"])
def test_unknown_expired_and_revoked_links_get_the_same_answer(app, client, how):
    advisor = make_user(roles=["advisor"])
    order, _, _ = estimate(advisor)
    link, token = links.issue_link(advisor, order, hours=1)
    db.session.commit()
    assert client.get(f"/l/{token}").status_code == 200
    if how == "unknown":
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    elif how == "revoked":
        links.revoke_links(advisor, order)
    else:
        link.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    page = client.get(f"/l/{token}")
    api = client.get(f"/api/v1/links/{token}")
    decision = client.post(f"/api/v1/links/{token}/decision", json={"name": "x"})
    nothing = client.get("/l/NoSuchTokenAtAll")
    assert page.status_code == api.status_code == decision.status_code == 404
    assert page.get_data() == nothing.get_data()
    assert api.json == client.get("/api/v1/links/NoSuchTokenAtAll").json


def test_the_desk_makes_and_revokes_links_by_the_api(app, client, token_for):
    order, _, _ = estimate()
    headers = token_for("advisor")
    made = client.post(
        f"/api/v1/work-orders/{order.id}/links", json={"expires_in_hours": 24}, headers=headers
    )
    assert made.status_code == 201 and "/l/" in made.json["url"] and made.json["message_id"] is None
    token = made.json["url"].rsplit("/", 1)[1]
    seen = client.get(f"/api/v1/links/{token}").json
    assert seen["number"] == order.number and seen["vehicle"]["plate"] == order.vehicle.plate
    assert "phone" not in str(seen) and order.customer.name not in str(seen)
    sent = client.post(
        f"/api/v1/work-orders/{order.id}/links", json={"channel": "sms"}, headers=headers
    )
    message = db.session.get(Message, sent.json["message_id"])
    assert message.channel == "sms" and sent.json["url"] in message.text
    too_long = client.post(
        f"/api/v1/work-orders/{order.id}/links", json={"expires_in_hours": 0}, headers=headers
    )
    assert too_long.status_code == 422
    revoked = client.post(f"/api/v1/work-orders/{order.id}/links/revoke", headers=headers)
    assert revoked.json == {"revoked": 4}  # the two the intake and estimate messages carried
    assert client.get(f"/api/v1/links/{token}").status_code == 404


def test_the_link_page_speaks_the_customers_language_and_shows_its_photos(app, client):
    advisor = make_user(roles=["advisor"])
    order, _brakes, _ = estimate(advisor)
    photo = wo.add_photo(advisor, order, "hood", PHOTO)
    other, _, _ = estimate(advisor)
    other_photo = wo.add_photo(advisor, other, "hood", PHOTO)
    _, token = links.issue_link(None, order)
    db.session.commit()
    page = client.get(f"/l/{token}").get_data(as_text=True)
    assert "您的决定" in page and "Front brake pads" in page and 'lang="zh' in page
    assert f"/l/{token}/photos/{photo.id}" in page
    assert client.get(f"/l/{token}/photos/{photo.id}").status_code == 200
    assert client.get(f"/l/{token}/photos/{other_photo.id}").status_code == 404
    order.customer.preferred_language = "en"
    db.session.commit()
    assert "Your decision" in client.get(f"/l/{token}").get_data(as_text=True)


def test_the_link_is_rate_limited_per_token_and_address(app, client):
    order, _, _ = estimate()
    _, token = links.issue_link(None, order)
    db.session.commit()
    app.config.update(PUBLIC_PER_TOKEN=3, PUBLIC_MISSES_PER_ADDRESS=2)
    assert [client.get(f"/l/{token}").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert client.get(f"/api/v1/links/{token}").status_code == 429
    misses = [client.get(f"/l/Wrong{n}").status_code for n in range(3)]
    assert misses == [404, 404, 429]


def test_after_handover_the_link_gives_the_settlement_and_the_survey(app, client):
    order = delivered()
    events = db.session.scalars(
        select(Message.event).where(Message.work_order_id == order.id).order_by(Message.id)
    ).all()
    assert events[-2:] == ["ready_for_pickup", "thank_you_survey"]
    thanks = db.session.scalar(select(Message).where(Message.event == "thank_you_survey"))
    token = link_in(thanks.text)
    link = links.find_link(token)
    assert link.expires_at - link.created_at == timedelta(hours=links.SURVEY_HOURS)
    page = client.get(f"/l/{token}").get_data(as_text=True)
    assert f"/l/{token}/settlement.pdf" in page and f"/l/{token}/survey" in page
    pdf = client.get(f"/l/{token}/settlement.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    form = page.split(f'action="/l/{token}/survey"')[1]
    token_field = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)
    answered = client.post(
        f"/l/{token}/survey",
        data={
            "csrf_token": token_field.group(1),
            "satisfaction": "4",
            "work_quality": "5",
            "comment": "Quick",
        },
    )
    assert answered.status_code == 302
    db.session.expire_all()
    call = db.session.scalar(select(Callback).where(Callback.work_order_id == order.id))
    assert (call.status, call.outcome) == ("done", "reached")
    attempt = db.session.scalar(select(CallAttempt).where(CallAttempt.callback_id == call.id))
    assert attempt.via == "link" and attempt.user_id is None
    assert (attempt.satisfaction, attempt.answers, attempt.notes) == (
        4,
        {"work_quality": 5},
        "Quick",
    )
    settings = services.settings_for(order.site_id)
    today = utcnow().date()
    figures = summary(
        order.site_id,
        settings,
        Period(today - timedelta(days=1), today + timedelta(days=1), settings.time_zone),
    )
    assert figures.average_satisfaction == Decimal("4.0")
    with pytest.raises(Exception, match="answers are in"):
        survey.answer_survey(order, satisfaction=2, answers={})
    after = client.get(f"/l/{token}").get_data(as_text=True)
    assert f"/l/{token}/survey" not in after
    assert "我们已收到您的评价" in after


def test_vip_care_becomes_a_greeting_message_where_the_settings_say(app):
    settings = services.settings_for(services.default_site().id)
    settings.care_contact = "message"
    order = make_order()
    customer = order.customer
    customer.vip_tier = "gold"
    customer.marketing_consent = True
    settings.callback_rules = {"vip_care": {"holidays": {"new_year": ["12-31"]}, "days_ahead": 3}}
    db.session.commit()
    today = datetime(2026, 12, 29).date()
    with clock_at(NOON):
        planning.plan(settings.site_id, today)
        planning.plan(settings.site_id, today)
        db.session.commit()
    greetings = db.session.scalars(select(Message).where(Message.event == "holiday_greeting")).all()
    assert len(greetings) == 1 and "元旦" in greetings[0].text
    assert greetings[0].due_at == datetime(2026, 12, 31, 1, 0, tzinfo=UTC)
    assert db.session.scalars(select(Callback).where(Callback.kind == "vip_care")).all() == []
    settings.care_contact = "both"
    db.session.commit()
    planning.plan(settings.site_id, today)
    assert len(db.session.scalars(select(Callback).where(Callback.kind == "vip_care")).all()) == 1


def test_the_desk_sends_the_link_through_the_outbox_not_the_request(app, client, login):
    order, _, _ = estimate()
    before = outbox.waiting()
    with Gateway() as gateway:
        app.config["SMS_GATEWAY_URL"] = gateway.url
        advisor = login("advisor")
        page = f"/work-orders/{order.id}?tab=decision"
        assert "Send a link" in client.get(page).get_data(as_text=True)
        sent = client.post(
            f"/work-orders/{order.id}/links/send",
            data={"csrf_token": csrf_token(client, page), "channel": "sms", "tab": "decision"},
        )
        assert sent.status_code == 302 and gateway.received == []
        latest = db.session.scalar(select(Message).order_by(Message.id.desc()))
        assert outbox.waiting() == before + 1
        assert (latest.event, latest.channel, latest.queued_by_id) == (
            "estimate_ready",
            "sms",
            advisor.id,
        )
        with clock_at(utcnow() + timedelta(days=1)):
            outbox.flush(app.config)
        assert [m["id"] for m in gateway.received][-1] == str(latest.id)


def test_a_cancelled_order_says_so_on_its_link(app, client):
    advisor = make_user(roles=["advisor"])
    order, _, _ = estimate(advisor, language="en")
    _, token = links.issue_link(advisor, order)
    wo.move_order(advisor, order, "cancelled", reason="The customer sold the car")
    db.session.commit()
    page = client.get(f"/l/{token}").get_data(as_text=True)
    assert "This order was cancelled." in page and "Your decision" not in page
    with pytest.raises(Exception, match="cancelled order has no link"):
        links.issue_link(advisor, order)
