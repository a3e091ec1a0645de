"""The outbox through real channels: an SMTP server and an HTTP gateway on 127.0.0.1."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from care import outbox
from care.message_texts import check_text
from care.models import Message, OptOut
from dealer import services
from dealer.errors import DomainError
from dealer.extensions import db
from dealer.types import clock_at
from tests.care.servers import Gateway, SmtpServer
from tests.factories import make_customer, make_order, make_user

NOON = datetime(2026, 12, 7, 4, 0, tzinfo=UTC)
"""12:00 in Shanghai: outside quiet hours."""
NIGHT = datetime(2026, 12, 7, 14, 30, tzinfo=UTC)
"""22:30 in Shanghai: inside quiet hours."""


@pytest.fixture(autouse=True)
def no_messages_from_the_workshop(app):
    """These tests queue their own messages: the orders they open tell no one."""
    services.settings_for(services.default_site().id).order_messages = False
    db.session.commit()


@pytest.fixture
def gateway():
    with Gateway() as running:
        yield running


@pytest.fixture
def smtp():
    with SmtpServer() as running:
        yield running


def sms_config(gateway) -> dict:
    return {"SMS_GATEWAY_URL": gateway.url}


def test_quiet_hours_run_over_midnight_and_end_in_the_morning():
    hours = {"start": "21:00", "end": "08:00"}
    assert outbox.quiet_until(NOON, hours, "Asia/Shanghai") == NOON
    morning = datetime(2026, 12, 8, 0, 0, tzinfo=UTC)
    assert outbox.quiet_until(NIGHT, hours, "Asia/Shanghai") == morning
    early = datetime(2026, 12, 7, 20, 0, tzinfo=UTC)
    assert outbox.quiet_until(early, hours, "Asia/Shanghai") == morning
    day = {"start": "12:00", "end": "13:30"}
    assert outbox.quiet_until(NOON, day, "Asia/Shanghai") == datetime(
        2026, 12, 7, 5, 30, tzinfo=UTC
    )


def test_a_message_arrives_by_sms_in_the_customers_language(app, gateway):
    order = make_order()
    order.customer.preferred_channel = "sms"
    with clock_at(NOON):
        message = outbox.queue_message(
            order.customer, "ready_for_pickup", order=order, values={"amount": Decimal("752.58")}
        )
        db.session.commit()
        assert outbox.flush(sms_config(gateway)) == 1
    [got] = gateway.received
    assert got["id"] == str(message.id) and got["to"] == order.customer.phone
    assert order.vehicle.plate in got["text"] and "已完工" in got["text"]
    assert "¥752.58" in got["text"]
    db.session.refresh(message)
    assert message.status == "sent" and message.provider_id == f"gw-{message.id}"
    assert message.text == got["text"] and message.attempts == 1


def test_an_email_arrives_over_smtp_in_english(app, smtp):
    customer = make_customer(name="Ann Lee", email="ann@example.com", preferred_channel="email")
    customer.preferred_language = "en"
    with clock_at(NOON):
        outbox.queue_message(customer, "holiday_greeting", values={"holiday": "New Year"})
        customer.marketing_consent = True
        db.session.commit()
        message = db.session.scalar(select(Message))
        assert message.status == "suppressed"
        outbox.queue_message(customer, "holiday_greeting", values={"holiday": "New Year"})
        db.session.commit()
        sent = outbox.flush({"MAIL_URL": smtp.url, "MAIL_FROM": "desk@dealer.example"})
    assert sent == 1
    [mail] = smtp.mailbox.mails
    assert mail["To"] == "ann@example.com" and mail["From"] == "desk@dealer.example"
    assert "Happy New Year, Ann Lee!" in mail.get_content()
    assert mail["Content-Language"] == "en"


def test_a_failing_gateway_is_tried_again_later_then_marked_failed(app, gateway):
    order = make_order()
    gateway.answers = [503] * outbox.MAX_TRIES
    moment = NOON
    with clock_at(moment):
        message = outbox.queue_message(order.customer, "order_received", order=order, values={})
        db.session.commit()
    tries = []
    for _ in range(outbox.MAX_TRIES):
        with clock_at(moment):
            outbox.flush(sms_config(gateway))
        db.session.refresh(message)
        tries.append((message.attempts, message.status))
        moment = message.due_at + timedelta(seconds=1)
    assert tries == [(n, "queued") for n in range(1, outbox.MAX_TRIES)] + [
        (outbox.MAX_TRIES, "failed")
    ]
    assert gateway.received == [] and "503" in message.error


def test_a_message_waits_out_quiet_hours_unless_urgent(app, gateway):
    order = make_order()
    with clock_at(NIGHT):
        waits = outbox.queue_message(order.customer, "ready_for_pickup", order=order)
        code = outbox.queue_message(order.customer, "verification_code", values={"code": "493817"})
        db.session.commit()
        assert outbox.flush(sms_config(gateway)) == 1
    assert [g["id"] for g in gateway.received] == [str(code.id)]
    with clock_at(datetime(2026, 12, 8, 0, 1, tzinfo=UTC)):
        assert outbox.flush(sms_config(gateway)) == 1
    assert [g["id"] for g in gateway.received] == [str(code.id), str(waits.id)]


def test_an_opt_out_holds_for_all_but_the_customers_own_car(app, gateway):
    order = make_order()
    customer = order.customer
    customer.callback_consent = True
    db.session.add(
        OptOut(site_id=customer.site_id, channel="sms", address=customer.phone, said="退订")
    )
    with clock_at(NOON):
        survey = outbox.queue_message(customer, "thank_you_survey", order=order)
        ready = outbox.queue_message(customer, "ready_for_pickup", order=order)
        db.session.commit()
        outbox.flush(sms_config(gateway))
    assert survey.status == "suppressed" and "退订" in survey.error
    assert [g["id"] for g in gateway.received] == [str(ready.id)]


def test_with_no_channel_set_up_messages_wait(app):
    order = make_order()
    with clock_at(NOON):
        message = outbox.queue_message(order.customer, "order_received", order=order)
        db.session.commit()
        assert outbox.flush({}) == 0
    assert message.status == "queued" and outbox.waiting() == 1


def test_a_message_claimed_by_a_worker_that_stopped_is_never_sent_again(app, gateway):
    order = make_order()
    with clock_at(NOON):
        first = outbox.queue_message(order.customer, "order_received", order=order)
        second = outbox.queue_message(order.customer, "ready_for_pickup", order=order)
        db.session.commit()
        assert outbox._claim(first.id, NOON)
        assert not outbox._claim(first.id, NOON)
        assert outbox.flush(sms_config(gateway)) == 1
    with clock_at(NOON + outbox.STALE_CLAIM + timedelta(minutes=1)):
        assert outbox.flush(sms_config(gateway)) == 0
    db.session.refresh(first)
    assert first.status == "failed" and "stopped while sending" in first.error
    assert [g["id"] for g in gateway.received] == [str(second.id)]


def test_a_text_naming_an_unknown_placeholder_is_refused(app):
    check_text("verification_code", "{dealer}: {code}")
    with pytest.raises(DomainError) as refused:
        check_text("verification_code", "{dealer}: {code} for {plate}")
    assert "{plate}" in str(refused.value.errors[0][1])
    assert services.settings_for(make_user().site_id).quiet_hours == {
        "start": "21:00",
        "end": "08:00",
    }


def test_outbox_flush_sends_what_is_due_and_says_what_waits(app, gateway):
    order = make_order()
    with clock_at(NOON):
        outbox.queue_message(order.customer, "order_received", order=order)
        db.session.commit()
    runner = app.test_cli_runner()
    app.config["SMS_GATEWAY_URL"] = gateway.url
    try:
        with clock_at(NOON):
            result = runner.invoke(args=["outbox", "flush"])
    finally:
        del app.config["SMS_GATEWAY_URL"]
    assert result.exit_code == 0 and "1 sent, 0 waiting" in result.output
    assert len(gateway.received) == 1


def test_the_customers_page_shows_each_message_and_opt_out(app, client, login, gateway):
    login("advisor")
    order = make_order()
    customer = order.customer
    db.session.add(
        OptOut(site_id=customer.site_id, channel="sms", address=customer.phone, said="TD")
    )
    with clock_at(NOON):
        ready = outbox.queue_message(customer, "ready_for_pickup", order=order)
        survey = outbox.queue_message(customer, "thank_you_survey", order=order)
        db.session.commit()
        outbox.flush(sms_config(gateway))
    page = client.get(f"/customers/{customer.id}").get_data(as_text=True)
    rows = page.split('id="messages"')[1]
    assert f'id="message-{ready.id}"' in rows and f'id="message-{survey.id}"' in rows
    assert "Ready for pickup" in rows and "Sent" in rows and ready.text in rows
    assert "Not sent: held back" in rows and "asked for no more messages" in rows
    assert "Opted out" in rows and "“TD”" in rows


def test_the_api_lists_the_outbox_with_the_numbers_masked(app, client, token_for):
    order = make_order()
    with clock_at(NOON):
        message = outbox.queue_message(order.customer, "order_received", order=order)
        db.session.commit()
    answer = client.get(
        f"/api/v1/messages?customer_id={order.customer_id}", headers=token_for("callback")
    )
    assert answer.status_code == 200
    [row] = answer.get_json()["items"]
    assert (
        row["id"] == message.id and row["status"] == "queued" and row["event"] == ("order_received")
    )
    assert "****" in row["to"] and order.customer.phone not in row["to"]
    refused = client.get("/api/v1/messages", headers=token_for("technician"))
    assert refused.status_code == 403
