"""Inspection templates (the items a technician goes through, grouped by system, each with
both languages' labels, a unit where it is measured, and the thresholds past which a
measurement suggests yellow or red by itself), and the inspection of an order: its items
copied from the template when it starts, each with what was found, photos and the work the
technician recommends."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dealer.extensions import db
from dealer.types import FixedDecimal, UTCDateTime, utcnow
from mpi.vocabulary import Condition, InspectionStatus, ItemGroup, Worse

ITEM_FACTS = (
    "position",
    "code",
    "item_group",
    "label",
    "label_zh",
    "unit",
    "worse",
    "yellow_at",
    "red_at",
)


class ItemFacts:
    """What an item is, in a template and as copied into an inspection: its place, code and
    system, both languages' labels, its unit, and where a measurement turns yellow and red."""

    position: Mapped[int] = mapped_column(default=0)
    code: Mapped[str] = mapped_column(String(40))
    item_group: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(200))
    label_zh: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str | None] = mapped_column(String(12))
    worse: Mapped[str | None] = mapped_column(String(6))
    yellow_at: Mapped[Decimal | None] = mapped_column(FixedDecimal(2))
    red_at: Mapped[Decimal | None] = mapped_column(FixedDecimal(2))

    def facts(self) -> dict:
        return {name: getattr(self, name) for name in ITEM_FACTS}


class InspectionTemplate(db.Model):
    """A list of items to inspect, kept by the manager; one per site is the default."""

    __tablename__ = "inspection_templates"
    __audit__ = True
    __table_args__ = (UniqueConstraint("site_id", "name", name="one_name_per_site"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    name_zh: Mapped[str | None] = mapped_column(String(120))
    is_default: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    items: Mapped[list["TemplateItem"]] = relationship(
        back_populates="template", order_by="TemplateItem.position", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<InspectionTemplate {self.id} {self.name}>"


class TemplateItem(ItemFacts, db.Model):
    """One item of a template: what to look at, in which system, measured in what, and
    where a measurement turns yellow and red."""

    __tablename__ = "inspection_template_items"
    __audit__ = True
    __table_args__ = (
        UniqueConstraint("template_id", "code", name="one_code_per_template"),
        CheckConstraint(ItemGroup.check("item_group"), name="known_group"),
        CheckConstraint(Worse.check("worse", nullable=True), name="known_worse"),
        CheckConstraint("yellow_at >= 0 AND red_at >= 0", name="thresholds_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("inspection_templates.id"), index=True)

    template: Mapped[InspectionTemplate] = relationship(back_populates="items")

    def __repr__(self) -> str:
        return f"<TemplateItem {self.code}>"


class MpiInspection(db.Model):
    """The multi-point inspection of one order, against a copy of a template's items."""

    __tablename__ = "mpi_inspections"
    __audit__ = True
    __table_args__ = (CheckConstraint(InspectionStatus.check("status"), name="known_status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    template_id: Mapped[int | None] = mapped_column(ForeignKey("inspection_templates.id"))
    status: Mapped[str] = mapped_column(String(10), default=InspectionStatus.OPEN.value)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(default=1)

    items: Mapped[list["MpiItem"]] = relationship(
        back_populates="inspection",
        order_by="MpiItem.position",
        cascade="all, delete-orphan",
    )
    work_order = relationship("WorkOrder")
    started_by = relationship("User", foreign_keys=[started_by_id])
    completed_by = relationship("User", foreign_keys=[completed_by_id])

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<MpiInspection {self.id} of {self.work_order_id} {self.status}>"


class MpiItem(ItemFacts, db.Model):
    """One item as inspected: the template's item as it was, what was found (colour,
    measurement, note), and the work recommended for a yellow or red one."""

    __tablename__ = "mpi_items"
    __audit__ = True
    __table_args__ = (
        CheckConstraint(ItemGroup.check("item_group"), name="known_group"),
        CheckConstraint(Worse.check("worse", nullable=True), name="known_worse"),
        CheckConstraint(Condition.check("condition"), name="known_condition"),
        CheckConstraint(
            "yellow_at >= 0 AND red_at >= 0 AND measurement >= 0", name="measures_positive"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("mpi_inspections.id"), index=True)
    condition: Mapped[str] = mapped_column(String(12), default=Condition.NOT_CHECKED.value)
    measurement: Mapped[Decimal | None] = mapped_column(FixedDecimal(2))
    note: Mapped[str | None] = mapped_column(Text)
    recommendation: Mapped[dict | None] = mapped_column(JSON)
    """``{title, labor_hours, canned_job_id?, part_numbers?}`` for a yellow or red item."""
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    inspection: Mapped[MpiInspection] = relationship(back_populates="items")
    job = relationship(
        "Job",
        primaryjoin="MpiItem.id == foreign(Job.mpi_item_id)",
        viewonly=True,
        uselist=False,
    )
    """The job the recommendation became when the inspection was completed."""
    photos: Mapped[list["FindingPhoto"]] = relationship(
        back_populates="item", order_by="FindingPhoto.id", cascade="all, delete-orphan"
    )


class FindingPhoto(db.Model):
    """A photo (or a short video) of what the technician found on an item."""

    __tablename__ = "mpi_photos"
    __audit__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("mpi_items.id"), index=True)
    path: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column()
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    item: Mapped[MpiItem] = relationship(back_populates="photos")
