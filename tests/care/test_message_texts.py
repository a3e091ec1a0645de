"""The dealer's own message texts: checked for their placeholders, previewed with an
example, used by the next messages, and put back to the product's text."""

import pytest
from sqlalchemy import select

from care import dealer_texts as texts
from care import outbox
from care.message_texts import default_text
from care.models import MessageTemplate
from dealer.errors import DomainError, Forbidden
from dealer.extensions import db
from tests.conftest import csrf_token
from tests.factories import make_customer, make_user


def test_a_text_is_checked_previewed_and_used(app):
    manager = make_user(roles=["manager"])
    with pytest.raises(DomainError) as refused:
        texts.save_text(manager, "ready_for_pickup", "zh_Hans", "【{dealer}】{car}好了")
    assert refused.value.errors[0][0] == "text" and "{car}" in str(refused.value.errors[0][1])
    own = "【{dealer}】{customer}，{plate}已修好，应付{amount}。{link}"
    shown = texts.preview("ready_for_pickup", "zh_Hans", own)
    assert shown.startswith("【示例汽车服务】王先生，沪A·12345已修好，应付¥1,280.00。https://")
    texts.save_text(manager, "ready_for_pickup", "zh_Hans", own)
    db.session.commit()
    customer = make_customer(name="李女士")
    message = outbox.queue_message(customer, "ready_for_pickup", values={"amount": None})
    assert message.text.startswith("【") and "李女士，" in message.text and "已修好" in message.text
    texts.save_text(
        manager, "ready_for_pickup", "zh_Hans", default_text("ready_for_pickup", "zh_Hans")
    )
    db.session.commit()
    assert db.session.scalars(select(MessageTemplate)).all() == []


def test_only_a_manager_writes_the_texts(app):
    with pytest.raises(Forbidden):
        texts.save_text(make_user(roles=["advisor"]), "birthday_greeting", "en", "Hi {customer}")


def test_the_manager_edits_a_text_with_a_preview(app, client, login):
    login("manager")
    listed = client.get("/settings/messages").get_data(as_text=True)
    assert "/settings/messages/birthday_greeting/en" in listed
    page = "/settings/messages/birthday_greeting/en"
    token = csrf_token(client, page)
    previewed = client.post(
        page,
        data={
            "csrf_token": token,
            "text": "Happy birthday {customer}, from {dealer}",
            "action": "preview",
        },
    ).get_data(as_text=True)
    assert "Happy birthday Mr Wang, from Example Motors" in previewed
    assert db.session.scalars(select(MessageTemplate)).all() == []
    saved = client.post(
        page,
        data={
            "csrf_token": token,
            "text": "Happy birthday {customer}, from {dealer}",
            "action": "save",
        },
    )
    assert saved.status_code == 302
    assert (
        db.session.scalar(select(MessageTemplate.text))
        == "Happy birthday {customer}, from {dealer}"
    )
    wrong = client.post(page, data={"csrf_token": token, "text": "Hi {plate}", "action": "save"})
    assert wrong.status_code == 200 and "Unknown placeholder {plate}" in wrong.get_data(
        as_text=True
    )
    client.post(page, data={"csrf_token": token, "text": "x", "action": "reset"})
    assert db.session.scalars(select(MessageTemplate)).all() == []
