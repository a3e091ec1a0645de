"""The parts counter's records: the catalogue with its stock, and the stock ledger."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dealer.extensions import db
from dealer.types import FixedDecimal, Money, UTCDateTime, utcnow
from parts.vocabulary import MovementKind, Unit

PART_UNITS = Unit.values()


class Part(db.Model):
    """A catalogue part with its stock; available = on hand - reserved, never below zero."""

    __tablename__ = "parts"
    __audit__ = True
    __table_args__ = (
        UniqueConstraint("site_id", "number_key", name="uq_parts_site_number"),
        CheckConstraint("on_hand >= 0", name="on_hand_positive"),
        CheckConstraint("reserved >= 0 AND reserved <= on_hand", name="reserved_within_stock"),
        CheckConstraint(Unit.check("unit"), name="known_unit"),
        CheckConstraint("unit_price >= 0 AND unit_cost >= 0", name="prices_positive"),
        CheckConstraint("reorder_point >= 0 AND reorder_quantity >= 0", name="reorder_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    part_number: Mapped[str] = mapped_column(String(40))
    number_key: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str | None] = mapped_column(String(200))
    brand: Mapped[str | None] = mapped_column(String(80))
    genuine: Mapped[bool] = mapped_column(default=True)
    unit: Mapped[str] = mapped_column(String(4), default="pcs")
    unit_cost: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    unit_price: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    on_hand: Mapped[Decimal] = mapped_column(FixedDecimal(3), default=Decimal("0"))
    reserved: Mapped[Decimal] = mapped_column(FixedDecimal(3), default=Decimal("0"))
    reorder_point: Mapped[Decimal] = mapped_column(FixedDecimal(3), default=Decimal("0"))
    reorder_quantity: Mapped[Decimal] = mapped_column(FixedDecimal(3), default=Decimal("0"))
    bin_location: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(default=True)
    special_order: Mapped[bool] = mapped_column(default=False, server_default=false())
    """Ordered for one customer's job and not stocked yet: the first receipt makes it a
    catalogue part like any other."""
    supplier: Mapped[str | None] = mapped_column(String(120))

    @property
    def available(self) -> Decimal:
        """What can still be promised to a job."""
        return self.on_hand - self.reserved

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Part {self.part_number}>"


STOCK_MOVEMENTS = MovementKind.values()


class StockMovement(db.Model):
    """One line of the stock ledger."""

    __tablename__ = "stock_movements"
    __table_args__ = (
        CheckConstraint(MovementKind.check("kind"), name="known_kind"),
        CheckConstraint("unit_cost >= 0", name="unit_cost_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    quantity: Mapped[Decimal] = mapped_column(FixedDecimal(3))
    unit_cost: Mapped[Decimal | None] = mapped_column(Money())
    work_order_id: Mapped[int | None] = mapped_column(index=True)
    part_line_id: Mapped[int | None] = mapped_column()
    appointment_id: Mapped[int | None] = mapped_column()
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    supplier: Mapped[str | None] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    note: Mapped[str | None] = mapped_column(String(300))

    part: Mapped[Part] = relationship()
    user = relationship("User")

    def __repr__(self) -> str:
        return f"<StockMovement {self.kind} {self.quantity} of {self.part_id}>"
