"""Customers and their vehicles, with odometer and ownership history."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
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

from customers.vocabulary import ContactChannel, CustomerKind, OdometerSource, VehicleClass
from dealer.database import substring_indexes
from dealer.extensions import db
from dealer.types import Money, UTCDateTime, utcnow
from dealer.vocabulary import Language

CUSTOMER_KINDS = CustomerKind.values()
CONTACT_CHANNELS = ContactChannel.values()
VEHICLE_CLASSES = VehicleClass.values()
ODOMETER_SOURCES = OdometerSource.values()


class Customer(db.Model):
    """A person or company that brings vehicles to the workshop."""

    __tablename__ = "customers"
    __audit__ = True
    __table_args__ = (
        CheckConstraint(CustomerKind.check("kind"), name="known_kind"),
        CheckConstraint(ContactChannel.check("preferred_channel"), name="known_channel"),
        CheckConstraint(Language.check("preferred_language"), name="known_language"),
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
    prospect: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    """Booked online and not yet confirmed by the desk."""
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
        CheckConstraint(VehicleClass.check("vehicle_class"), name="known_class"),
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
    sold_on: Mapped[date | None] = mapped_column(Date)
    """The first sale to a customer (the invoice date): the three-guarantee periods run from it."""
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
            OdometerSource.check("source"),
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
