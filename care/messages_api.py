"""JSON API of the outbox: the messages to a customer or about an order, as sent."""

from datetime import datetime
from typing import Literal

from flask import g
from sqlalchemy import select

from care.api import HANDLERS, bp
from care.models import Message
from care.vocabulary import MessageStatus
from dealer.apikit import Output, PageQuery, endpoint, page_of
from dealer.i18n import phone


class MessageOut(Output):
    id: int
    customer_id: int | None
    work_order_id: int | None
    channel: str
    event: str
    language: str
    to: str
    status: str
    attempts: int
    queued_at: datetime
    due_at: datetime
    sent_at: datetime | None
    text: str
    error: str | None


def masked(address: str) -> str:
    """A phone number masked as everywhere in the API; an e-mail address its first letter."""
    if "@" in address:
        name, _, domain = address.partition("@")
        return f"{name[:1]}***@{domain}"
    return phone(address) if address else ""


def message_out(message: Message) -> MessageOut:
    return MessageOut(
        id=message.id,
        customer_id=message.customer_id,
        work_order_id=message.work_order_id,
        channel=message.channel,
        event=message.event,
        language=message.language,
        to=masked(message.to_address),
        status=message.status,
        attempts=message.attempts,
        queued_at=message.queued_at,
        due_at=message.due_at,
        sent_at=message.sent_at,
        text=message.text,
        error=message.error,
    )


class MessageQuery(PageQuery):
    customer_id: int | None = None
    work_order_id: int | None = None
    status: Literal[MessageStatus.values()] | None = None


@endpoint(
    bp,
    "/messages",
    roles=HANDLERS,
    summary="The outbox: messages to a customer or about an order, newest first",
    query=MessageQuery,
    response=MessageOut,
    paged=True,
)
def list_messages(query: MessageQuery):
    stmt = select(Message).where(Message.site_id == g.actor.site_id).order_by(Message.id.desc())
    if query.customer_id is not None:
        stmt = stmt.where(Message.customer_id == query.customer_id)
    if query.work_order_id is not None:
        stmt = stmt.where(Message.work_order_id == query.work_order_id)
    if query.status is not None:
        stmt = stmt.where(Message.status == query.status)
    return page_of(stmt, query, MessageOut, message_out)
