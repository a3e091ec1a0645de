"""Customers and their vehicles, with odometer and ownership history."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dealer.database import substring_indexes
from dealer.extensions import db
from dealer.types import Money, UTCDateTime, utcnow

CUSTOMER_KINDS = ("person", "company")
CONTACT_CHANNELS = ("phone", "sms", "wechat", "email")
VEHICLE_CLASSES = ("car", "motorcycle", "other")
ODOMETER_SOURCES = ("registration", "work_order", "manual", "correction")


class Customer(db.Model):
    """A person or company that brings vehicles to the workshop."""

    __tablename__ = "customers"
    __audit__ = True
    __table_args__ = (
        CheckConstraint("kind IN ('person', 'company')", name="known_kind"),
        CheckConstraint(
            "preferred_channel IN ('phone', 'sms', 'wechat', 'email')", name="known_channel"
        ),
        CheckConstraint("preferred_language IN ('en', 'zh_Hans')", name="known_language"),
        CheckConstraint("spend_12m >= 0 AND lifetime_spend >= 0", name="spend_positive"),
        Index("ix_customers_site_name", "site_id", "name_key"),
        Index("ix_customers_phone", "phone"),
        Index("ix_customers_alt_phone", "alt_phone"),
        *substring_indexes("customers", "name_key", "phone_digits", covering=("site_id",)),
        Index(
            "ix_customers_site_vip",
            "site_id",
            "vip_tier",
            sqlite_where=text("vip_tier IS NOT NULL"),
            postgresql_where=text("vip_tier IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10), default="person")
    name: Mapped[str] = mapped_column(String(120))
    name_key: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(20))
    phone_digits: Mapped[str] = mapped_column(String(20))
    alt_phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    address: Mapped[str | None] = mapped_column(String(300))
    contact_name: Mapped[str | None] = mapped_column(String(120))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    preferred_language: Mapped[str] = mapped_column(String(10), default="zh_Hans")
    preferred_channel: Mapped[str] = mapped_column(String(10), default="phone")
    preferred_time: Mapped[str | None] = mapped_column(String(80))
    callback_consent: Mapped[bool] = mapped_column(default=True)
    marketing_consent: Mapped[bool] = mapped_column(default=False)
    birthday: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    vip_tier: Mapped[str | None] = mapped_column(String(20))
    vip_manual: Mapped[bool | None] = mapped_column()
    vip_reason: Mapped[str | None] = mapped_column(String(300))
    advisor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    spend_12m: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    visits_12m: Mapped[int] = mapped_column(default=0)
    lifetime_spend: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    last_visit_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    vehicles: Mapped[list["Vehicle"]] = relationship(
        back_populates="customer", order_by="Vehicle.id"
    )
    visits = relationship("WorkOrder", order_by="WorkOrder.id.desc()", viewonly=True, lazy="select")
    advisor = relationship("User", foreign_keys=[advisor_id])

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Customer {self.id} {self.name!r}>"


class Vehicle(db.Model):
    """A vehicle, identified by its VIN, owned by one customer at a time."""

    __tablename__ = "vehicles"
    __audit__ = True
    __table_args__ = (
        UniqueConstraint("vin", name="uq_vehicles_vin"),
        CheckConstraint("vehicle_class IN ('car', 'motorcycle', 'other')", name="known_class"),
        CheckConstraint("odometer_km >= 0", name="odometer_positive"),
        Index("ix_vehicles_plate_key", "plate_key"),
        *substring_indexes("vehicles", "plate_key", "vin", covering=("site_id", "customer_id")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    vin: Mapped[str] = mapped_column(String(17))
    frame_number: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    plate: Mapped[str] = mapped_column(String(20))
    plate_key: Mapped[str] = mapped_column(String(20))
    make: Mapped[str] = mapped_column(String(60))
    model: Mapped[str] = mapped_column(String(60))
    year: Mapped[int | None] = mapped_column()
    engine_number: Mapped[str | None] = mapped_column(String(40))
    colour: Mapped[str | None] = mapped_column(String(40))
    vehicle_class: Mapped[str] = mapped_column(String(12), default="car")
    odometer_km: Mapped[int] = mapped_column(default=0)
    service_interval_months: Mapped[int | None] = mapped_column()
    service_interval_km: Mapped[int | None] = mapped_column()
    last_service_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_service_km: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    customer: Mapped[Customer] = relationship(back_populates="vehicles")
    readings: Mapped[list["OdometerReading"]] = relationship(
        back_populates="vehicle", order_by="OdometerReading.id.desc()"
    )
    ownerships: Mapped[list["VehicleOwnership"]] = relationship(
        back_populates="vehicle", order_by="VehicleOwnership.id.desc()"
    )
    visits = relationship("WorkOrder", order_by="WorkOrder.id.desc()", viewonly=True, lazy="select")

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Vehicle {self.vin} {self.plate}>"


class OdometerReading(db.Model):
    """One odometer reading; the history never goes down except by a correction."""

    __tablename__ = "odometer_readings"
    __table_args__ = (
        CheckConstraint("reading_km >= 0", name="reading_positive"),
        CheckConstraint(
            "source IN ('registration', 'work_order', 'manual', 'correction')",
            name="known_source",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("vehicles.id"), index=True)
    reading_km: Mapped[int] = mapped_column()
    source: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(300))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    vehicle: Mapped[Vehicle] = relationship(back_populates="readings")
    recorded_by = relationship("User")

    def __repr__(self) -> str:
        return f"<OdometerReading {self.vehicle_id} {self.reading_km} km>"


class VehicleOwnership(db.Model):
    """A period in which a customer owned a vehicle."""

    __tablename__ = "vehicle_ownerships"
    __audit__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("vehicles.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    note: Mapped[str | None] = mapped_column(String(300))

    vehicle: Mapped[Vehicle] = relationship(back_populates="ownerships")
    customer: Mapped[Customer] = relationship()

    def __repr__(self) -> str:
        return f"<VehicleOwnership {self.vehicle_id} by {self.customer_id}>"


CALLBACK_KINDS = (
    "satisfaction",
    "declined_work",
    "service_reminder",
    "vip_care",
    "complaint_follow_up",
)
CALLBACK_STATES = ("open", "done", "unreachable", "cancelled")


class Callback(db.Model):
    """A scheduled contact with a customer (回访)."""

    __tablename__ = "callbacks"
    __audit__ = True
    __table_args__ = (
        CheckConstraint(
            "kind IN ('satisfaction', 'declined_work', 'service_reminder', 'vip_care', "
            "'complaint_follow_up')",
            name="known_kind",
        ),
        CheckConstraint(
            "status IN ('open', 'done', 'unreachable', 'cancelled')", name="known_status"
        ),
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


ATTEMPT_OUTCOMES = ("reached", "no_answer", "wrong_number", "refused")
SATISFACTION_QUESTIONS = ("work_quality", "on_time", "explanation", "staff_attitude")


class CallAttempt(db.Model):
    """One try at a callback: the outcome, the answers when reached, notes."""

    __tablename__ = "call_attempts"
    __audit__ = True
    __table_args__ = (
        CheckConstraint(
            "outcome IN ('reached', 'no_answer', 'wrong_number', 'refused')", name="known_outcome"
        ),
        CheckConstraint(
            "satisfaction IS NULL OR (satisfaction >= 1 AND satisfaction <= 5)",
            name="satisfaction_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    callback_id: Mapped[int] = mapped_column(ForeignKey("callbacks.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[str] = mapped_column(String(16))
    satisfaction: Mapped[int | None] = mapped_column()
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    notes: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    callback: Mapped[Callback] = relationship(back_populates="history")
    user = relationship("User")

    def __repr__(self) -> str:
        return f"<CallAttempt {self.outcome} on {self.callback_id}>"


ROOT_CAUSES = (
    "workmanship",
    "part",
    "customer_use",
    "staff_attitude",
    "waiting_time",
    "price",
)


class Complaint(db.Model):
    """A customer's complaint (投诉), owned by whoever received it until resolved or handed over."""

    __tablename__ = "complaints"
    __audit__ = True
    __table_args__ = (
        CheckConstraint("status IN ('open', 'resolved')", name="known_status"),
        CheckConstraint("channel IN ('call', 'desk', 'phone', 'online')", name="known_channel"),
        CheckConstraint(
            "root_cause IS NULL OR root_cause IN ('workmanship', 'part', 'customer_use', "
            "'staff_attitude', 'waiting_time', 'price')",
            name="known_cause",
        ),
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
    __table_args__ = (
        CheckConstraint("kind IN ('reply', 'handover', 'resolve')", name="known_kind"),
    )

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
