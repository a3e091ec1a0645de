"""The outbox: every message to a customer is queued as a row here, and the worker sends
what is due, one message at a time, never twice.

Queueing decides the channel (the customer's preferred one when there is an address for
it), the language (the customer's), the text (``care.message_texts``) and when it may go:
at once when urgent, else when the dealer's quiet hours end. A message about anything but
the customer's own car needs their consent, and never goes to an address that opted out;
such a message is kept as ``suppressed`` with the reason, so the desk sees it was not sent.

Sending claims a row in its own committed transaction before handing it to the provider
(``claimed_at``); only unclaimed rows are claimed. A worker killed between the two leaves the
row claimed: after ``STALE_CLAIM`` it is marked failed, not sent again, since the provider
may have taken it. A provider that cannot take a message now gets it again after a pause
that grows (``BACKOFF``), and after ``MAX_TRIES`` the message is marked failed.
"""

from collections.abc import Mapping
from datetime import datetime, time, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from care import message_texts
from care.channels import Outgoing, Refused, TryAgain, providers
from care.models import Message, MessageReply, MessageTemplate, OptOut
from care.vocabulary import SERVICE_EVENTS, URGENT_EVENTS, MessageChannel, MessageStatus
from customers.models import Customer
from dealer import services
from dealer.errors import DomainError
from dealer.extensions import db
from dealer.i18n import money
from dealer.timeutil import zone
from dealer.types import utcnow

MAX_TRIES = 5
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1))
"""How long a message waits after each failed try before the next."""
STALE_CLAIM = timedelta(minutes=10)
"""A claim older than this belongs to a worker that stopped while sending."""
CONSENT = {
    "thank_you_survey": "callback_consent",
    "service_reminder": "callback_consent",
    "holiday_greeting": "marketing_consent",
    "birthday_greeting": "marketing_consent",
}
"""The consent each message not about the customer's own car needs."""
QUEUED, SENT, FAILED, SUPPRESSED = (
    MessageStatus.QUEUED.value,
    MessageStatus.SENT.value,
    MessageStatus.FAILED.value,
    MessageStatus.SUPPRESSED.value,
)


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def quiet_until(moment: datetime, quiet_hours: Mapping, time_zone: str) -> datetime:
    """When a message that can wait may go, asked at ``moment``: then, or as quiet hours
    end (quiet hours may run over midnight, 21:00 to 08:00 by default)."""
    local = moment.astimezone(zone(time_zone))
    start, end = _clock(quiet_hours["start"]), _clock(quiet_hours["end"])
    now = local.time()
    if start == end:
        return moment
    if start > end:
        if now >= start:
            release = datetime.combine(local.date() + timedelta(days=1), end, local.tzinfo)
        elif now < end:
            release = datetime.combine(local.date(), end, local.tzinfo)
        else:
            return moment
    elif start <= now < end:
        release = datetime.combine(local.date(), end, local.tzinfo)
    else:
        return moment
    return release.astimezone(moment.tzinfo)


def address_for(customer: Customer, channel: str) -> str | None:
    """Where a channel reaches the customer: the phone number for SMS and WeChat."""
    return customer.email if channel == MessageChannel.EMAIL else customer.phone


def choose_channel(customer: Customer) -> tuple[str, str | None]:
    """The customer's preferred channel when it has an address, else the first that has."""
    order = [customer.preferred_channel, "sms", "wechat", "email"]
    for channel in order:
        if channel in MessageChannel.values() and address_for(customer, channel):
            return channel, address_for(customer, channel)
    preferred = customer.preferred_channel
    return (preferred if preferred in MessageChannel.values() else "sms"), None


def opted_out(site_id: int, channel: str, address: str) -> OptOut | None:
    return db.session.scalar(
        select(OptOut).where(
            OptOut.site_id == site_id, OptOut.channel == channel, OptOut.address == address
        )
    )


def _held_back(customer: Customer, event: str, channel: str, address: str | None) -> str | None:
    """Why the message may not go, if it may not."""
    if not address:
        return _("No phone number or e-mail address to send to.")
    if event in SERVICE_EVENTS:
        return None
    if not getattr(customer, CONSENT.get(event, "marketing_consent")):
        return _("The customer has not agreed to such messages.")
    stopped = opted_out(customer.site_id, channel, address)
    if stopped is not None:
        return _("The customer asked for no more messages (%(said)s).", said=stopped.said or "")
    return None


def template_text(site_id: int, event: str, language: str) -> str:
    """The dealer's text for the event in the language, else the product's."""
    own = db.session.scalar(
        select(MessageTemplate.text).where(
            MessageTemplate.site_id == site_id,
            MessageTemplate.event == event,
            MessageTemplate.language == language,
        )
    )
    return own or message_texts.default_text(event, language)


def queue_message(
    customer: Customer,
    event: str,
    *,
    order=None,
    values: Mapping | None = None,
    actor=None,
    channel: str | None = None,
    send_at: datetime | None = None,
) -> Message:
    """Put a message for ``customer`` in the outbox (not committed), by ``channel`` when
    the desk names one, else the customer's preferred one; not before ``send_at`` when
    given (a greeting on the day)."""
    settings = services.settings_for(customer.site_id)
    language = customer.preferred_language
    if channel is None:
        channel, address = choose_channel(customer)
    elif channel in MessageChannel.values():
        address = address_for(customer, channel)
    else:
        raise DomainError(_l("Choose SMS, WeChat or e-mail."), "channel")
    filled = {
        "customer": customer.name,
        "dealer": settings.dealer_name,
        "plate": order.vehicle.plate if order is not None else "",
        "number": order.number if order is not None else "",
    }
    with force_locale(language):
        if values:
            filled.update(
                {k: money(v) if k == "amount" and v is not None else v for k, v in values.items()}
            )
        text = message_texts.render(
            event, language, filled, template_text(customer.site_id, event, language)
        )
        subject = message_texts.subject(language, filled)
    held = _held_back(customer, event, channel, address)
    now = utcnow()
    urgent = event in URGENT_EVENTS
    earliest = max(now, send_at) if send_at is not None else now
    message = Message(
        site_id=customer.site_id,
        customer_id=customer.id,
        work_order_id=order.id if order is not None else None,
        event=event,
        channel=channel,
        language=language,
        to_address=address or "",
        subject=subject if channel == MessageChannel.EMAIL else None,
        text=text,
        urgent=urgent,
        status=SUPPRESSED if held else QUEUED,
        error=held,
        queued_by_id=actor.id if actor is not None else None,
        queued_at=now,
        due_at=earliest
        if urgent
        else quiet_until(earliest, settings.quiet_hours, settings.time_zone),
    )
    db.session.add(message)
    db.session.flush()
    return message


def queue_code(site_id: int, phone: str, code: str, language: str) -> Message:
    """Put a verification code for ``phone`` (E.164) in the outbox, to go by SMS at once,
    quiet hours or not: the person asked for it, and may not be a customer yet."""
    settings = services.settings_for(site_id)
    with force_locale(language):
        text = message_texts.render(
            "verification_code",
            language,
            {"dealer": settings.dealer_name, "code": code},
            template_text(site_id, "verification_code", language),
        )
    now = utcnow()
    message = Message(
        site_id=site_id,
        event="verification_code",
        channel=MessageChannel.SMS.value,
        language=language,
        to_address=phone,
        text=text,
        urgent=True,
        status=QUEUED,
        queued_at=now,
        due_at=now,
    )
    db.session.add(message)
    db.session.flush()
    return message


def _give_up_stale_claims(now: datetime) -> int:
    """Mark failed the messages a stopped worker had claimed: they may have gone."""
    stale = db.session.execute(
        update(Message)
        .where(
            Message.status == QUEUED,
            Message.claimed_at.is_not(None),
            Message.claimed_at < now - STALE_CLAIM,
        )
        .values(
            status=FAILED,
            failed_at=now,
            error="The worker stopped while sending it: not sent again, it may have gone.",
        )
    )
    db.session.commit()
    return stale.rowcount


def due_ids(channels, now: datetime, limit: int) -> list[int]:
    return list(
        db.session.scalars(
            select(Message.id)
            .where(
                Message.status == QUEUED,
                Message.claimed_at.is_(None),
                Message.due_at <= now,
                Message.channel.in_(list(channels)),
            )
            .order_by(Message.due_at, Message.id)
            .limit(limit)
        )
    )


def _claim(message_id: int, now: datetime) -> bool:
    """Take the message for sending, committed, if no one has: True when taken."""
    taken = db.session.execute(
        update(Message)
        .where(Message.id == message_id, Message.status == QUEUED, Message.claimed_at.is_(None))
        .values(claimed_at=now, attempts=Message.attempts + 1)
    )
    db.session.commit()
    return taken.rowcount == 1


def send_one(message: Message, channel, now: datetime) -> bool:
    """Hand one claimed message to its provider and record the answer (committed)."""
    try:
        provider_id = channel.send(
            Outgoing(
                id=message.id,
                to=message.to_address,
                text=message.text,
                subject=message.subject,
                language=message.language,
            )
        )
    except TryAgain as exc:
        message.claimed_at = None
        message.error = str(exc)[:2000]
        if message.attempts >= MAX_TRIES:
            message.status, message.failed_at = FAILED, now
        else:
            message.due_at = now + BACKOFF[min(message.attempts, len(BACKOFF)) - 1]
        db.session.commit()
        return False
    except Refused as exc:
        message.claimed_at = None
        message.status, message.failed_at, message.error = FAILED, now, str(exc)[:2000]
        db.session.commit()
        return False
    message.status, message.sent_at, message.provider_id = SENT, now, provider_id
    message.claimed_at, message.error = None, None
    db.session.commit()
    return True


def send_due(config, *, limit: int = 500) -> int:
    """Send the messages due now by the channels the configuration sets up; a message for a
    channel that is not set up waits. Returns how many the providers took."""
    channels = providers(config)
    now = utcnow()
    _give_up_stale_claims(now)
    sent = 0
    for message_id in due_ids(channels, now, limit):
        if not _claim(message_id, now):
            continue
        message = db.session.get(Message, message_id)
        sent += send_one(message, channels[message.channel], now)
    return sent


def flush(config) -> int:
    """Send everything due now, batch after batch, and answer how many went."""
    total = 0
    while True:
        sent = send_due(config)
        total += sent
        if not sent:
            return total


def waiting() -> int:
    """How many messages wait in the outbox, due or not."""
    return db.session.scalar(select(func.count(Message.id)).where(Message.status == QUEUED))


def _latest(model, customer_id: int, limit: int) -> list:
    return list(
        db.session.scalars(
            select(model)
            .where(model.customer_id == customer_id)
            .order_by(model.id.desc())
            .limit(limit)
        )
    )


def recent_for(customer_id: int, limit: int = 20) -> list[Message]:
    """The customer's latest messages, newest first, for their page."""
    return _latest(Message, customer_id, limit)


def opt_outs_for(customer: Customer) -> list[OptOut]:
    """The opt-outs kept for the customer or any of their addresses."""
    addresses = [a for a in (customer.phone, customer.email) if a]
    return list(
        db.session.scalars(
            select(OptOut)
            .where(
                OptOut.site_id == customer.site_id,
                (OptOut.customer_id == customer.id) | OptOut.address.in_(addresses),
            )
            .order_by(OptOut.at.desc())
        )
    )


def replies_for(customer_id: int, limit: int = 20) -> list[MessageReply]:
    """The customer's latest replies, newest first."""
    return _latest(MessageReply, customer_id, limit)
