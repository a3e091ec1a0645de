"""Inspection templates: the items a technician goes through, grouped by system, each with
both languages' labels, a unit where it is measured, and the thresholds past which a
measurement suggests yellow or red by itself."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dealer.extensions import db
from dealer.types import FixedDecimal, UTCDateTime, utcnow
from mpi.vocabulary import ItemGroup, Worse


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


class TemplateItem(db.Model):
    """One item of a template: what to look at, in which system, measured in what, and
    where a measurement turns yellow and red."""

    __tablename__ = "inspection_template_items"
    __audit__ = True
    __table_args__ = (
        UniqueConstraint("template_id", "code", name="one_code_per_template"),
        CheckConstraint(ItemGroup.check("item_group"), name="known_group"),
        CheckConstraint(Worse.check("worse", nullable=True), name="known_worse"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("inspection_templates.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    code: Mapped[str] = mapped_column(String(40))
    item_group: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(200))
    label_zh: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str | None] = mapped_column(String(12))
    worse: Mapped[str | None] = mapped_column(String(6))
    yellow_at: Mapped[Decimal | None] = mapped_column(FixedDecimal(2))
    red_at: Mapped[Decimal | None] = mapped_column(FixedDecimal(2))

    template: Mapped[InspectionTemplate] = relationship(back_populates="items")

    def __repr__(self) -> str:
        return f"<TemplateItem {self.code}>"
