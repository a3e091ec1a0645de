"""After the visit: callbacks with their tries, complaints with their events, the
messages to customers with the opt-outs they asked for and the texts the dealer wrote for
them, and the links by which a customer follows an order from a phone."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from care.vocabulary import (
    CallbackKind,
    CallbackState,
    ComplaintChannel,
    ComplaintEventKind,
    ComplaintStatus,
    MessageChannel,
    MessageEvent,
    MessageStatus,
    Outcome,
    Question,
    RootCause,
)
from customers.models import Customer, Vehicle
from dealer.extensions import db
from dealer.types import UTCDateTime, utcnow

CALLBACK_KINDS = CallbackKind.values()
CALLBACK_STATES = CallbackState.values()


class Callback(db.Model):
    """A scheduled contact with a customer (回访)."""

    __tablename__ = "callbacks"
    __audit__ = True
    __table_args__ = (
        CheckConstraint(CallbackKind.check("kind"), name="known_kind"),
        CheckConstraint(CallbackState.check("status"), name="known_status"),
        UniqueConstraint("work_order_id", "kind", name="uq_callbacks_order_kind"),
        UniqueConstraint("customer_id", "kind", "plan_key", name="uq_callbacks_plan_key"),
        Index("ix_callbacks_site_status_due", "site_id", "status", "due_at"),
        Index("ix_callbacks_site_closed", "site_id", "closed_at"),
        Index(
            "ix_callbacks_site_assignee_status_due", "site_id", "assignee_id", "status", "due_at"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    vehicle_id: Mapped[int | None] = mapped_column(ForeignKey("vehicles.id"))
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(12), default="open")
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    priority: Mapped[int] = mapped_column(default=0)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    attempts: Mapped[int] = mapped_column(default=0)
    note: Mapped[str | None] = mapped_column(Text)
    plan_key: Mapped[str | None] = mapped_column(String(60))
    outcome: Mapped[str | None] = mapped_column(String(16))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    customer: Mapped[Customer] = relationship()
    vehicle: Mapped["Vehicle | None"] = relationship()
    work_order = relationship("WorkOrder", viewonly=True)
    assignee = relationship("User", foreign_keys=[assignee_id])
    history: Mapped[list["CallAttempt"]] = relationship(
        back_populates="callback", order_by="CallAttempt.id"
    )

    def __repr__(self) -> str:
        return f"<Callback {self.kind} for {self.customer_id} due {self.due_at:%Y-%m-%d}>"


ATTEMPT_OUTCOMES = Outcome.values()
SATISFACTION_QUESTIONS = Question.values()


class CallAttempt(db.Model):
    """One try at a callback: the outcome, the answers when reached, notes. A survey the
    customer answered on the order's link is kept the same way (``via`` "link", no caller),
    so it counts in the same satisfaction figures as a call."""

    __tablename__ = "call_attempts"
    __audit__ = True
    __table_args__ = (
        CheckConstraint(Outcome.check("outcome"), name="known_outcome"),
        CheckConstraint(
            "satisfaction IS NULL OR (satisfaction >= 1 AND satisfaction <= 5)",
            name="satisfaction_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    callback_id: Mapped[int] = mapped_column(ForeignKey("callbacks.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    via: Mapped[str] = mapped_column(String(10), default="call", server_default="call")
    outcome: Mapped[str] = mapped_column(String(16))
    satisfaction: Mapped[int | None] = mapped_column()
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    notes: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    callback: Mapped[Callback] = relationship(back_populates="history")
    user = relationship("User")

    def __repr__(self) -> str:
        return f"<CallAttempt {self.outcome} on {self.callback_id}>"


ROOT_CAUSES = RootCause.values()


class Complaint(db.Model):
    """A customer's complaint (投诉), owned by whoever received it until resolved or handed over."""

    __tablename__ = "complaints"
    __audit__ = True
    __table_args__ = (
        CheckConstraint(ComplaintStatus.check("status"), name="known_status"),
        CheckConstraint(ComplaintChannel.check("channel"), name="known_channel"),
        CheckConstraint(RootCause.check("root_cause", nullable=True), name="known_cause"),
        Index("ix_complaints_site_status_due", "site_id", "status", "first_reply_due"),
        Index("ix_complaints_site_received", "site_id", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    vehicle_id: Mapped[int | None] = mapped_column(ForeignKey("vehicles.id"))
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"))
    raised_from_callback_id: Mapped[int | None] = mapped_column(ForeignKey("callbacks.id"))
    channel: Mapped[str] = mapped_column(String(10))
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="open")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    received_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    first_reply_due: Mapped[datetime] = mapped_column(UTCDateTime())
    first_reply_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    root_cause: Mapped[str | None] = mapped_column(String(20))
    resolution: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    customer: Mapped[Customer] = relationship()
    vehicle: Mapped[Vehicle | None] = relationship()
    work_order = relationship("WorkOrder", viewonly=True)
    owner = relationship("User", foreign_keys=[owner_id])
    received_by = relationship("User", foreign_keys=[received_by_id])
    events: Mapped[list["ComplaintEvent"]] = relationship(order_by="ComplaintEvent.id")

    def __repr__(self) -> str:
        return f"<Complaint {self.id} {self.status}>"


class ComplaintEvent(db.Model):
    """A reply to the customer, a handover to a new owner, or the resolution."""

    __tablename__ = "complaint_events"
    __table_args__ = (CheckConstraint(ComplaintEventKind.check("kind"), name="known_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    to_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user = relationship("User", foreign_keys=[user_id])
    to_user = relationship("User", foreign_keys=[to_user_id])

    def __repr__(self) -> str:
        return f"<ComplaintEvent {self.kind} on {self.complaint_id}>"


class Message(db.Model):
    """A message to a customer: a row of the outbox while it waits, then the record of what
    was sent, to whom, in which language and when.

    The worker claims a row (``claimed_at``) in its own committed transaction before it hands
    the text to the provider, and only an unclaimed row is ever claimed: a worker killed
    between the two leaves the row claimed, and it is marked failed rather than sent again.
    """

    __tablename__ = "messages"
    __table_args__ = (
        CheckConstraint(MessageChannel.check("channel"), name="known_channel"),
        CheckConstraint(MessageStatus.check("status"), name="known_status"),
        CheckConstraint(MessageEvent.check("event"), name="known_event"),
        Index("ix_messages_status_due", "status", "due_at"),
        Index("ix_messages_customer", "customer_id", "id"),
        Index("ix_messages_work_order", "work_order_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"))
    event: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(10))
    language: Mapped[str] = mapped_column(String(10))
    to_address: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default=MessageStatus.QUEUED.value)
    urgent: Mapped[bool] = mapped_column(default=False)
    attempts: Mapped[int] = mapped_column(default=0)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    provider_id: Mapped[str | None] = mapped_column(String(120))
    error: Mapped[str | None] = mapped_column(Text)
    queued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    customer: Mapped[Customer | None] = relationship()

    def __repr__(self) -> str:
        return f"<Message {self.id} {self.event} {self.channel} {self.status}>"


class OptOut(db.Model):
    """A number or address that asked for no more messages but those about its own car."""

    __tablename__ = "message_opt_outs"
    __table_args__ = (
        CheckConstraint(MessageChannel.check("channel"), name="known_channel"),
        UniqueConstraint("site_id", "channel", "address", name="uq_opt_outs_address"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    channel: Mapped[str] = mapped_column(String(10))
    address: Mapped[str] = mapped_column(String(200))
    said: Mapped[str | None] = mapped_column(String(200))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class MessageReply(db.Model):
    """A customer's answer to a message, as the gateway passed it on."""

    __tablename__ = "message_replies"
    __table_args__ = (CheckConstraint(MessageChannel.check("channel"), name="known_channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    channel: Mapped[str] = mapped_column(String(10))
    from_address: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    customer: Mapped[Customer | None] = relationship()


class MessageTemplate(db.Model):
    """The dealer's own text for one event in one language, in place of the one the product
    starts with (``care.message_texts.TEXTS``)."""

    __tablename__ = "message_templates"
    __audit__ = True
    __table_args__ = (
        CheckConstraint(MessageEvent.check("event"), name="known_event"),
        UniqueConstraint("site_id", "event", "language", name="uq_message_templates_event"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    event: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class CustomerLink(db.Model):
    """A link that lets the customer follow one order from a phone and decide on its work.

    Only a hash of the token is kept: the URL holds the token and nothing else. A link ends
    when it expires or when the desk revokes the order's links."""

    __tablename__ = "customer_links"
    __audit__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    work_order = relationship("WorkOrder")

    def __repr__(self) -> str:
        return f"<CustomerLink {self.id} of {self.work_order_id}>"


class VerificationCode(db.Model):
    """A code sent by SMS to prove a phone number before booking online. Only its hash is
    kept; it expires, and a few wrong tries end it."""

    __tablename__ = "verification_codes"
    __table_args__ = (Index("ix_verification_codes_phone", "site_id", "phone", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    phone: Mapped[str] = mapped_column(String(20))
    code_hash: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    tries: Mapped[int] = mapped_column(default=0)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:
        return f"<VerificationCode {self.id}>"
