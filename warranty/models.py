"""The manufacturer's campaigns and the VINs they name, the warranty claims made from
warranty-paid jobs, the old parts kept for the manufacturer, the three-guarantee record kept
with an order, and the site's warranty settings."""

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
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dealer.extensions import db
from dealer.types import FixedDecimal, Money, UTCDateTime, utcnow
from warranty.vocabulary import CampaignKind, ClaimStatus, FaultSystem, TagFate


class Campaign(db.Model):
    """A recall or service campaign from the manufacturer: the job it asks for (labor
    operation, hours, parts) and, in ``vins``, the cars it names."""

    __tablename__ = "campaigns"
    __audit__ = True
    __table_args__ = (
        UniqueConstraint("site_id", "code", name="one_code_per_site"),
        CheckConstraint(CampaignKind.check("kind"), name="known_kind"),
        CheckConstraint("labor_hours >= 0", name="hours_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    title_zh: Mapped[str | None] = mapped_column(String(200))
    labor_op: Mapped[str | None] = mapped_column(String(20))
    labor_hours: Mapped[Decimal] = mapped_column(FixedDecimal(2))
    ends_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    parts: Mapped[list["CampaignPart"]] = relationship(
        back_populates="campaign", order_by="CampaignPart.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Campaign {self.code}>"


class CampaignPart(db.Model):
    """A part the campaign's job fits, and how many."""

    __tablename__ = "campaign_parts"
    __audit__ = True
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    part_number: Mapped[str] = mapped_column(String(40))
    quantity: Mapped[Decimal] = mapped_column(FixedDecimal(3))

    campaign: Mapped[Campaign] = relationship(back_populates="parts")


class CampaignVin(db.Model):
    """A car the campaign names; open until a delivery with the campaign's job done closes
    it. Loaded by the hundred thousand from the manufacturer's file, so kept narrow and not
    audited row by row (the import is)."""

    __tablename__ = "campaign_vins"
    __table_args__ = (
        UniqueConstraint("campaign_id", "vin", name="one_vin_per_campaign"),
        Index("ix_campaign_vins_vin", "vin"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"))
    vin: Mapped[str] = mapped_column(String(17))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"))


class WarrantyClaim(db.Model):
    """What the dealer asks the manufacturer to pay for one warranty-paid job: drafted when
    the job is done, submitted, accepted or rejected (then corrected and submitted again),
    and paid."""

    __tablename__ = "warranty_claims"
    __audit__ = True
    __table_args__ = (
        CheckConstraint(ClaimStatus.check("status"), name="known_status"),
        CheckConstraint(FaultSystem.check("fault_system"), name="known_fault_system"),
        CheckConstraint(
            "labor_hours >= 0 AND labor_rate >= 0 AND labor_amount >= 0 AND parts_amount >= 0"
            " AND sublet_amount >= 0 AND total_claimed >= 0",
            name="amounts_positive",
        ),
        CheckConstraint("paid_amount >= 0", name="paid_positive"),
        Index("ix_warranty_claims_site_status", "site_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"), unique=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"))
    status: Mapped[str] = mapped_column(String(10), default="draft")
    manufacturer: Mapped[str] = mapped_column(String(60))
    vin: Mapped[str] = mapped_column(String(17))
    manufacturer_number: Mapped[str | None] = mapped_column(String(60))
    labor_op: Mapped[str | None] = mapped_column(String(20))
    causal_part_number: Mapped[str | None] = mapped_column(String(40))
    failure_code: Mapped[str | None] = mapped_column(String(20))
    fault_system: Mapped[str | None] = mapped_column(String(20))
    complaint: Mapped[str | None] = mapped_column(Text)
    cause: Mapped[str | None] = mapped_column(Text)
    correction: Mapped[str | None] = mapped_column(Text)
    labor_hours: Mapped[Decimal] = mapped_column(FixedDecimal(2))
    labor_rate: Mapped[Decimal] = mapped_column(Money())
    labor_amount: Mapped[Decimal] = mapped_column(Money())
    parts: Mapped[list] = mapped_column(JSON, default=list)
    """The parts as claimed: ``part_number``, ``name``, ``quantity``, ``unit_price``, ``amount``."""
    parts_amount: Mapped[Decimal] = mapped_column(Money())
    sublet_amount: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    total_claimed: Mapped[Decimal] = mapped_column(Money())
    paid_amount: Mapped[Decimal | None] = mapped_column(Money())
    paid_on: Mapped[date | None] = mapped_column(Date)
    rejection_reason: Mapped[str | None] = mapped_column(String(500))
    """The manufacturer's last reason for rejecting the claim, kept after a resubmission."""
    rejections: Mapped[int] = mapped_column(default=0)
    repaired_on: Mapped[date] = mapped_column(Date)
    submitted_on: Mapped[date | None] = mapped_column(Date)
    first_submitted_on: Mapped[date | None] = mapped_column(Date)
    decided_on: Mapped[date | None] = mapped_column(Date)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    work_order = relationship("WorkOrder")
    job = relationship("Job")
    campaign: Mapped[Campaign | None] = relationship()
    tags: Mapped[list["OldPartTag"]] = relationship(
        back_populates="claim", order_by="OldPartTag.id"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def short_paid(self) -> Decimal:
        """How much less than claimed the manufacturer paid (0 when paid in full)."""
        if self.paid_amount is None:
            return Decimal("0")
        return max(self.total_claimed - self.paid_amount, Decimal("0"))

    def __repr__(self) -> str:
        return f"<WarrantyClaim {self.id} {self.status}>"


class OldPartTag(db.Model):
    """An old part kept for the manufacturer: its tag, its shelf, how long it is kept, and
    whether it went back or was scrapped."""

    __tablename__ = "old_part_tags"
    __audit__ = True
    __table_args__ = (
        UniqueConstraint("site_id", "tag_number", name="one_tag_per_site"),
        CheckConstraint(TagFate.check("fate"), name="known_fate"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        Index("ix_old_part_tags_site_fate", "site_id", "fate", "keep_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    claim_id: Mapped[int] = mapped_column(ForeignKey("warranty_claims.id"), index=True)
    tag_number: Mapped[str] = mapped_column(String(30))
    part_number: Mapped[str] = mapped_column(String(40))
    quantity: Mapped[Decimal] = mapped_column(FixedDecimal(3), default=Decimal("1"))
    shelf: Mapped[str] = mapped_column(String(40))
    keep_until: Mapped[date] = mapped_column(Date)
    fate: Mapped[str] = mapped_column(String(10), default="kept")
    fate_on: Mapped[date | None] = mapped_column(Date)
    fate_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    claim: Mapped[WarrantyClaim] = relationship(back_populates="tags")

    def __repr__(self) -> str:
        return f"<OldPartTag {self.tag_number}>"


class RepairRecord(db.Model):
    """What the three-guarantee rules ask to be kept of a visit beyond the order itself:
    the loaner car given while the car was off the road, or the transport paid instead."""

    __tablename__ = "sanbao_records"
    __audit__ = True
    __table_args__ = (
        CheckConstraint("loaner_days >= 0", name="loaner_days_positive"),
        CheckConstraint("transport_compensation >= 0", name="transport_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), unique=True)
    loaner_days: Mapped[int] = mapped_column(default=0)
    loaner_plate: Mapped[str | None] = mapped_column(String(20))
    transport_compensation: Mapped[Decimal | None] = mapped_column(Money())
    note: Mapped[str | None] = mapped_column(String(500))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class WarrantySettings(db.Model):
    """A site's warranty terms: the manufacturer's labor rate and parts handling, how long
    old parts are kept, and the three-guarantee periods and limits (editable, as the rules
    and the manufacturer's terms change)."""

    __tablename__ = "warranty_settings"
    __audit__ = True
    __table_args__ = (
        CheckConstraint(
            "labor_rate >= 0 AND parts_handling >= 0 AND keep_days > 0"
            " AND period_years > 0 AND period_km > 0 AND repair_years > 0 AND repair_km > 0"
            " AND same_fault_limit > 0 AND repair_days_limit > 0 AND warn_days >= 0",
            name="terms_positive",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), unique=True)
    labor_rate: Mapped[Decimal] = mapped_column(Money(), default=Decimal("120.00"))
    parts_handling: Mapped[Decimal] = mapped_column(FixedDecimal(4), default=Decimal("0.1500"))
    keep_days: Mapped[int] = mapped_column(default=90)
    period_years: Mapped[int] = mapped_column(default=3)
    period_km: Mapped[int] = mapped_column(default=60000)
    repair_years: Mapped[int] = mapped_column(default=2)
    repair_km: Mapped[int] = mapped_column(default=50000)
    same_fault_limit: Mapped[int] = mapped_column(default=2)
    repair_days_limit: Mapped[int] = mapped_column(default=35)
    warn_days: Mapped[int] = mapped_column(default=10)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
