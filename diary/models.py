"""Appointments: a customer's car booked in for work of some skills at a time, holding the
workshop's room until the car arrives (and its work order opens) or the booking ends."""

from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from customers.models import Customer, Vehicle
from dealer.extensions import db
from dealer.types import FixedDecimal, UTCDateTime, utcnow
from dealer.vocabulary import Equipment, Skill
from diary.vocabulary import AppointmentKind, AppointmentSource, AppointmentStatus

LATE_AFTER = timedelta(minutes=15)
"""A car that comes more than this after its time has come late."""


class Appointment(db.Model):
    """A booking (预约): when the car comes, how (left or waited for), and the work."""

    __tablename__ = "appointments"
    __audit__ = True
    __table_args__ = (
        CheckConstraint(AppointmentStatus.check("status"), name="known_status"),
        CheckConstraint(AppointmentKind.check("kind"), name="known_kind"),
        CheckConstraint(AppointmentSource.check("source"), name="known_source"),
        CheckConstraint("end_at > start_at", name="ends_after_start"),
        Index("ix_appointments_site_start", "site_id", "start_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    vehicle_id: Mapped[int | None] = mapped_column(ForeignKey("vehicles.id"), index=True)
    plate: Mapped[str | None] = mapped_column(String(20))
    """The plate a customer booking online gave for a car the dealer does not know yet."""
    vin: Mapped[str | None] = mapped_column(String(17))
    start_at: Mapped[datetime] = mapped_column(UTCDateTime())
    end_at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(10), default=AppointmentKind.DROP_OFF.value)
    source: Mapped[str] = mapped_column(String(10), default=AppointmentSource.DESK.value)
    status: Mapped[str] = mapped_column(String(10), default=AppointmentStatus.BOOKED.value)
    concern: Mapped[str | None] = mapped_column(Text)
    cancel_reason: Mapped[str | None] = mapped_column(String(500))
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), index=True)
    callback_id: Mapped[int | None] = mapped_column(ForeignKey("callbacks.id"))
    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    booked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    arrived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    picked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """When the parts counter's pick list reserved the booked jobs' parts."""
    link_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    """The hash of the token in the customer's link to change or cancel the booking."""
    version: Mapped[int] = mapped_column(default=1)

    customer: Mapped[Customer] = relationship()
    vehicle: Mapped[Vehicle | None] = relationship()
    parts: Mapped[list["AppointmentPart"]] = relationship(
        back_populates="appointment", order_by="AppointmentPart.id", cascade="all, delete-orphan"
    )
    jobs: Mapped[list["AppointmentJob"]] = relationship(
        back_populates="appointment", order_by="AppointmentJob.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def hours(self) -> Decimal:
        return sum((job.labor_hours for job in self.jobs), Decimal("0"))

    @property
    def shown_plate(self) -> str:
        return self.vehicle.plate if self.vehicle is not None else (self.plate or "")

    @property
    def late(self) -> bool:
        return self.arrived_at is not None and self.arrived_at > self.start_at + LATE_AFTER

    @property
    def parts_missing(self) -> bool:
        return any(line.missing for line in self.parts)

    def __repr__(self) -> str:
        return f"<Appointment {self.id} {self.status} at {self.start_at:%Y-%m-%d %H:%M}>"


class AppointmentJob(db.Model):
    """A piece of the booked work: its hours of one skill, and equipment when it needs some."""

    __tablename__ = "appointment_jobs"
    __audit__ = True
    __table_args__ = (
        CheckConstraint(Skill.check("skill"), name="known_skill"),
        CheckConstraint(Equipment.check("equipment", nullable=True), name="known_equipment"),
        CheckConstraint("labor_hours > 0", name="hours_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointments.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    title_zh: Mapped[str | None] = mapped_column(String(200))
    labor_hours: Mapped[Decimal] = mapped_column(FixedDecimal(2))
    skill: Mapped[str] = mapped_column(String(12))
    equipment: Mapped[str | None] = mapped_column(String(20))
    canned_job_id: Mapped[int | None] = mapped_column(ForeignKey("canned_jobs.id"))
    rebooked_from_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"))
    """The declined job of an earlier visit this booking brings back (from a call)."""

    appointment: Mapped[Appointment] = relationship(back_populates="jobs")


class AppointmentPart(db.Model):
    """A part the booked work needs, and how much of it the pick list holds in stock."""

    __tablename__ = "appointment_parts"
    __audit__ = True
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("reserved >= 0 AND reserved <= quantity", name="reserved_within"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointments.id"), index=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"), index=True)
    canned_job_id: Mapped[int | None] = mapped_column(ForeignKey("canned_jobs.id"))
    quantity: Mapped[Decimal] = mapped_column(FixedDecimal(3))
    reserved: Mapped[Decimal] = mapped_column(FixedDecimal(3), default=Decimal("0"))

    appointment: Mapped[Appointment] = relationship(back_populates="parts")
    part = relationship("Part")

    @property
    def missing(self) -> Decimal:
        return self.quantity - self.reserved
