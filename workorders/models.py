"""Work orders and what hangs off them: intake, jobs, parts lines, authorizations,
time clocks, final inspections, payments and the status history."""

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

from dealer.extensions import db
from dealer.types import FixedDecimal, Money, UTCDateTime, utcnow
from dealer.vocabulary import Equipment, Skill
from workorders.vocabulary import (
    AuthorizationMethod,
    Category,
    ComebackCause,
    DiscountKind,
    JobStatus,
    PartCondition,
    PaymentMethod,
    PayType,
    RequestState,
    Status,
)

ORDER_STATES = Status.values()
JOB_STATES = JobStatus.values()
CATEGORIES = Category.values()
PAY_TYPES = PayType.values()
CONDITIONS = PartCondition.values()
REQUEST_STATES = RequestState.values()
PAYMENT_METHODS = PaymentMethod.values()
COMEBACK_CAUSES = ComebackCause.values()


class WorkOrder(db.Model):
    """One car's visit to the workshop (托修单)."""

    __tablename__ = "work_orders"
    __audit__ = True
    __table_args__ = (
        CheckConstraint(Status.check("status"), name="known_status"),
        CheckConstraint("fuel_level >= 0 AND fuel_level <= 100", name="fuel_level_range"),
        CheckConstraint("odometer_in >= 0", name="odometer_positive"),
        CheckConstraint(
            "authorized_amount >= 0 AND labor_rate >= 0 AND not_to_exceed >= 0"
            " AND tax_rate >= 0 AND tax_rate < 10000",
            name="amounts_positive",
        ),
        CheckConstraint(
            "labor_tax_rate >= 0 AND labor_tax_rate < 10000", name="labor_tax_rate_range"
        ),
        CheckConstraint(
            "final_total >= 0 AND hours_sold >= 0 AND parts_sales >= 0 AND parts_cost >= 0"
            " AND declined_value >= 0 AND first_approved >= 0",
            name="figures_positive",
        ),
        CheckConstraint(
            ComebackCause.check("comeback_cause", nullable=True),
            name="known_cause",
        ),
        Index("ix_work_orders_site_status_promised", "site_id", "status", "promised_at"),
        Index("ix_work_orders_site_delivered", "site_id", "delivered_at"),
        Index("ix_work_orders_site_status_id", "site_id", "status", "id"),
        UniqueConstraint("site_id", "number", name="uq_work_orders_site_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    number: Mapped[str] = mapped_column(String(20))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("vehicles.id"), index=True)
    advisor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="intake")
    version: Mapped[int] = mapped_column(default=1)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    odometer_in: Mapped[int] = mapped_column()
    fuel_level: Mapped[Decimal] = mapped_column(FixedDecimal(2))
    concern: Mapped[str] = mapped_column(Text)
    promised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    not_to_exceed: Mapped[Decimal | None] = mapped_column(Money())
    authorized_amount: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    tax_rate: Mapped[Decimal] = mapped_column(FixedDecimal(4))
    labor_tax_rate: Mapped[Decimal | None] = mapped_column(FixedDecimal(4))
    labor_rate: Mapped[Decimal] = mapped_column(Money())
    return_old_parts: Mapped[bool | None] = mapped_column()
    comeback_of_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"))
    comeback_cause: Mapped[str | None] = mapped_column(String(20))
    cancel_reason: Mapped[str | None] = mapped_column(String(500))
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    notified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    notified_how: Mapped[str | None] = mapped_column(String(20))
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    received_by: Mapped[str | None] = mapped_column(String(120))
    handover_signature: Mapped[str | None] = mapped_column(String(200))
    old_parts_returned: Mapped[bool | None] = mapped_column()
    odometer_out: Mapped[int | None] = mapped_column()
    final_total: Mapped[Decimal | None] = mapped_column(Money())
    hours_sold: Mapped[Decimal | None] = mapped_column(FixedDecimal(2))
    clocked_seconds: Mapped[int | None] = mapped_column()
    parts_sales: Mapped[Decimal | None] = mapped_column(Money())
    parts_cost: Mapped[Decimal | None] = mapped_column(Money())
    declined_value: Mapped[Decimal | None] = mapped_column(Money())
    first_approved: Mapped[Decimal | None] = mapped_column(Money())
    proposed_approved: Mapped[int | None] = mapped_column()
    proposed_decided: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    customer = relationship("Customer")
    vehicle = relationship("Vehicle")
    advisor = relationship("User", foreign_keys=[advisor_id])
    comeback_of: Mapped["WorkOrder | None"] = relationship(remote_side=[id])
    jobs: Mapped[list["Job"]] = relationship(
        back_populates="work_order", order_by="Job.id", cascade="all, delete-orphan"
    )
    parts: Mapped[list["PartLine"]] = relationship(
        back_populates="work_order", order_by="PartLine.id", cascade="all, delete-orphan"
    )
    inspection: Mapped["Inspection | None"] = relationship(back_populates="work_order")
    authorizations: Mapped[list["Authorization"]] = relationship(order_by="Authorization.id")
    history: Mapped[list["StatusChange"]] = relationship(order_by="StatusChange.id")
    quality_checks: Mapped[list["QualityCheck"]] = relationship(order_by="QualityCheck.id")
    payments: Mapped[list["Payment"]] = relationship(order_by="Payment.id")
    photos: Mapped[list["InspectionPhoto"]] = relationship(order_by="InspectionPhoto.id")
    discounts: Mapped[list["Discount"]] = relationship(order_by="Discount.id")

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<WorkOrder {self.number} {self.status}>"


class StatusChange(db.Model):
    """One move of an order through its lifecycle: who, when, from, to, why."""

    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reason: Mapped[str | None] = mapped_column(String(500))

    user = relationship("User")

    def __repr__(self) -> str:
        return f"<StatusChange {self.work_order_id} {self.from_status}->{self.to_status}>"


class Inspection(db.Model):
    """The intake walk-around (接车检查) and the customer's acknowledgement of it."""

    __tablename__ = "inspections"
    __audit__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), unique=True)
    panels: Mapped[list] = mapped_column(JSON, default=list)
    warning_lights: Mapped[list] = mapped_column(JSON, default=list)
    belongings: Mapped[list] = mapped_column(JSON, default=list)
    keys_count: Mapped[int] = mapped_column(default=1)
    underbody: Mapped[dict] = mapped_column(JSON, default=dict)
    symptoms: Mapped[dict] = mapped_column(JSON, default=dict)
    acknowledged_by: Mapped[str | None] = mapped_column(String(120))
    signature_file: Mapped[str | None] = mapped_column(String(200))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    work_order: Mapped[WorkOrder] = relationship(back_populates="inspection")
    versions: Mapped[list["InspectionVersion"]] = relationship(
        order_by="InspectionVersion.version", back_populates="inspection"
    )

    @property
    def acknowledged(self) -> bool:
        """Whether the customer acknowledged this version (typed name or signature)."""
        return bool(self.acknowledged_by or self.signature_file)

    def __repr__(self) -> str:
        return f"<Inspection of {self.work_order_id}>"


class InspectionVersion(db.Model):
    """An intake record as the customer acknowledged it, kept unchanged when a later change
    makes a new version: what was signed is what prints."""

    __tablename__ = "inspection_versions"
    __audit__ = True
    __frozen__ = True
    __table_args__ = (UniqueConstraint("inspection_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"), index=True)
    version: Mapped[int] = mapped_column()
    record: Mapped[dict] = mapped_column(JSON)
    acknowledged_by: Mapped[str | None] = mapped_column(String(120))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    signature_file: Mapped[str | None] = mapped_column(String(200))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())

    inspection: Mapped[Inspection] = relationship(back_populates="versions")

    def __repr__(self) -> str:
        return f"<InspectionVersion {self.version} of {self.inspection_id}>"


class Job(db.Model):
    """A labor operation on an order: flat-rate hours times the rate it was written with."""

    __tablename__ = "jobs"
    __audit__ = True
    __table_args__ = (
        CheckConstraint(JobStatus.check("status"), name="known_status"),
        CheckConstraint(Category.check("category"), name="known_category"),
        CheckConstraint(PayType.check("pay_type"), name="known_pay_type"),
        CheckConstraint("labor_hours >= 0 AND labor_rate >= 0", name="labor_positive"),
        CheckConstraint("sublet_cost >= 0 AND sublet_price >= 0", name="sublet_positive"),
        Index("ix_jobs_technician_status", "technician_id", "status"),
        Index(
            "ix_jobs_waiting_for_parts",
            "work_order_id",
            sqlite_where=text("waiting_for_parts IS 1"),
            postgresql_where=text("waiting_for_parts IS true"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    version: Mapped[int] = mapped_column(default=1)
    title: Mapped[str] = mapped_column(String(200))
    title_zh: Mapped[str | None] = mapped_column(String(200))
    is_diagnosis: Mapped[bool] = mapped_column(default=False)
    labor_hours: Mapped[Decimal] = mapped_column(FixedDecimal(2))
    labor_rate: Mapped[Decimal] = mapped_column(Money())
    category: Mapped[str] = mapped_column(String(20))
    pay_type: Mapped[str] = mapped_column(String(10), default="customer")
    requires_road_test: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    technician_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    waiting_for_parts: Mapped[bool] = mapped_column(default=False)
    warranty_claim_number: Mapped[str | None] = mapped_column(String(60))
    sublet_vendor: Mapped[str | None] = mapped_column(String(120))
    sublet_cost: Mapped[Decimal | None] = mapped_column(Money())
    sublet_price: Mapped[Decimal | None] = mapped_column(Money())
    findings: Mapped[str | None] = mapped_column(Text)
    findings_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    no_clock_reason: Mapped[str | None] = mapped_column(String(300))
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_by_authorization_id: Mapped[int | None] = mapped_column(ForeignKey("authorizations.id"))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    warranty_until: Mapped[date | None] = mapped_column(Date)
    warranty_until_km: Mapped[int | None] = mapped_column()
    rebooked_from_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"), index=True)
    mpi_item_id: Mapped[int | None] = mapped_column(ForeignKey("mpi_items.id"))
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"), index=True)
    safety: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    """Recommended for an item found red: the customer is told it is about safety."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    work_order: Mapped[WorkOrder] = relationship(back_populates="jobs")
    technician = relationship("User", foreign_keys=[technician_id])
    parts: Mapped[list["PartLine"]] = relationship(back_populates="job", order_by="PartLine.id")

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.title!r} {self.status}>"


class PartLine(db.Model):
    """A part on a job, with the price, cost and condition it was written with."""

    __tablename__ = "part_lines"
    __audit__ = True
    __table_args__ = (
        CheckConstraint(PartCondition.check("condition"), name="known_condition"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price >= 0 AND unit_cost >= 0", name="prices_positive"),
        CheckConstraint("reserved_quantity >= 0 AND issued_quantity >= 0", name="stock_positive"),
        CheckConstraint("returned_quantity >= 0", name="returned_positive"),
        CheckConstraint(RequestState.check("request_status"), name="known_request_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"), index=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("parts.id"), index=True)
    part_number: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str | None] = mapped_column(String(200))
    quantity: Mapped[Decimal] = mapped_column(FixedDecimal(3))
    unit: Mapped[str] = mapped_column(String(4))
    unit_price: Mapped[Decimal] = mapped_column(Money())
    unit_cost: Mapped[Decimal] = mapped_column(Money())
    condition: Mapped[str] = mapped_column(String(16))
    reserved_quantity: Mapped[Decimal] = mapped_column(FixedDecimal(3), default=Decimal("0"))
    issued_quantity: Mapped[Decimal] = mapped_column(FixedDecimal(3), default=Decimal("0"))
    returned_quantity: Mapped[Decimal] = mapped_column(FixedDecimal(3), default=Decimal("0"))
    request_status: Mapped[str | None] = mapped_column(String(10))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    work_order: Mapped[WorkOrder] = relationship(back_populates="parts")

    @property
    def on_the_bill(self) -> bool:
        """Whether the line is part of the work: not a technician's request still waiting for
        the desk or the customer, nor a declined one."""
        return self.request_status is None

    @property
    def charged_quantity(self) -> Decimal:
        """What the customer pays for: the quantity less what came back unused (nothing for a
        request not yet approved)."""
        if not self.on_the_bill:
            return Decimal("0")
        return self.quantity - self.returned_quantity

    job: Mapped[Job] = relationship(back_populates="parts")
    part = relationship("Part")

    def __repr__(self) -> str:
        return f"<PartLine {self.part_number} x {self.quantity}>"


class Authorization(db.Model):
    """The customer's consent (客户授权): who, how, when, which jobs, the new authorized total.
    One given on the customer's link keeps the address and browser it came from."""

    __tablename__ = "authorizations"
    __audit__ = True
    __frozen__ = True
    __table_args__ = (
        CheckConstraint(AuthorizationMethod.check("method"), name="known_method"),
        CheckConstraint("amount >= 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    authorized_by: Mapped[str] = mapped_column(String(120))
    method: Mapped[str] = mapped_column(String(10))
    phone: Mapped[str | None] = mapped_column(String(20))
    signature_file: Mapped[str | None] = mapped_column(String(200))
    amount: Mapped[Decimal] = mapped_column(Money())
    amount_added: Mapped[Decimal] = mapped_column(Money())
    approved_job_ids: Mapped[list] = mapped_column(JSON, default=list)
    declined_job_ids: Mapped[list] = mapped_column(JSON, default=list)
    return_old_parts: Mapped[bool | None] = mapped_column()
    supplementary: Mapped[bool] = mapped_column(default=False)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(300))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    recorded_by = relationship("User")

    def __repr__(self) -> str:
        return f"<Authorization {self.id} of {self.work_order_id} for {self.amount}>"


class TimeClock(db.Model):
    """A technician's time on a job; at most one open clock per technician."""

    __tablename__ = "time_clocks"
    __audit__ = True
    __table_args__ = (
        Index("ix_time_clocks_technician_ended", "technician_id", "ended_at"),
        Index(
            "uq_time_clocks_one_open_per_technician",
            "technician_id",
            unique=True,
            sqlite_where=text("ended_at IS NULL"),
            postgresql_where=text("ended_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"), index=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    technician_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:
        return f"<TimeClock {self.technician_id} on job {self.job_id}>"


class QualityCheck(db.Model):
    """A final inspection (竣工检验) with its checklist and result."""

    __tablename__ = "quality_checks"
    __audit__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    passed: Mapped[bool] = mapped_column()
    checklist: Mapped[dict] = mapped_column(JSON)
    road_test_done: Mapped[bool] = mapped_column(default=False)
    failed_job_ids: Mapped[list] = mapped_column(JSON, default=list)
    notes: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    inspector = relationship("User")

    def __repr__(self) -> str:
        return f"<QualityCheck {self.work_order_id} passed={self.passed}>"


class Payment(db.Model):
    """A payment towards an order: method, amount, payer."""

    __tablename__ = "payments"
    __audit__ = True
    __table_args__ = (
        CheckConstraint(PaymentMethod.check("method"), name="known_method"),
        CheckConstraint("amount >= 0", name="amount_positive"),
        CheckConstraint(
            "change_given IS NULL OR (change_given >= 0 AND change_given <= amount)",
            name="change_within_amount",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    method: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(Money())
    change_given: Mapped[Decimal | None] = mapped_column(Money())
    payer: Mapped[str | None] = mapped_column(String(120))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def kept(self) -> Decimal:
        """What the payment leaves with the dealer: the amount tendered less change given."""
        return self.amount - (self.change_given or Decimal("0"))

    def __repr__(self) -> str:
        return f"<Payment {self.amount} by {self.method}>"


class InspectionPhoto(db.Model):
    """A photo taken at intake, of one body panel; the file lives in the storage folder."""

    __tablename__ = "inspection_photos"
    __audit__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    panel: Mapped[str] = mapped_column(String(30))
    path: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(20))
    size: Mapped[int] = mapped_column()
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<InspectionPhoto {self.panel} of {self.work_order_id}>"


class CannedJob(db.Model):
    """A common job a manager keeps ready (oil service, front brake pads), with its parts."""

    __tablename__ = "canned_jobs"
    __audit__ = True
    __table_args__ = (
        CheckConstraint(Category.check("category"), name="known_category"),
        CheckConstraint("labor_hours > 0", name="hours_positive"),
        CheckConstraint(Skill.check("skill"), name="known_skill"),
        CheckConstraint(Equipment.check("equipment", nullable=True), name="known_equipment"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    title_zh: Mapped[str | None] = mapped_column(String(200))
    labor_hours: Mapped[Decimal] = mapped_column(FixedDecimal(2))
    category: Mapped[str] = mapped_column(String(20))
    skill: Mapped[str] = mapped_column(
        String(12), default="maintenance", server_default="maintenance"
    )
    equipment: Mapped[str | None] = mapped_column(String(20))
    parts: Mapped[list] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)

    def __repr__(self) -> str:
        return f"<CannedJob {self.title!r}>"


class Discount(db.Model):
    """A discount on an order's customer-pay work: an amount or a percentage, with its reason."""

    __tablename__ = "discounts"
    __audit__ = True
    __table_args__ = (
        CheckConstraint(DiscountKind.check("kind"), name="known_kind"),
        CheckConstraint("value > 0", name="value_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    value: Mapped[Decimal] = mapped_column(Money())
    reason: Mapped[str] = mapped_column(String(300))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<Discount {self.kind} {self.value} on {self.work_order_id}>"


DOCUMENT_KINDS = ("settlement", "certificate")


class IssuedDocument(db.Model):
    """A paper numbered when it is issued (settlement list, completion certificate).

    The PDF is kept as it was issued, under the storage folder; a reprint
    returns that copy, so what the customer holds and the file agree.
    """

    __tablename__ = "issued_documents"
    __audit__ = True
    __table_args__ = (
        CheckConstraint(
            f"kind IN ({', '.join(repr(kind) for kind in DOCUMENT_KINDS)})", name="known_kind"
        ),
        UniqueConstraint("work_order_id", "kind", name="uq_issued_documents_order_kind"),
        UniqueConstraint("site_id", "kind", "number", name="uq_issued_documents_site_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"))
    kind: Mapped[str] = mapped_column(String(12))
    number: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64))
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<IssuedDocument {self.kind} {self.number}>"


class BookedWork(db.Model):
    """Declined work the customer booked for a later visit (from a callback): it waits, with
    the wanted date, until the advisor pulls it into the car's next order."""

    __tablename__ = "booked_work"
    __audit__ = True
    __table_args__ = (
        UniqueConstraint("source_job_id"),
        Index("ix_booked_work_vehicle_open", "vehicle_id", "work_order_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("vehicles.id"))
    source_job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"))
    callback_id: Mapped[int | None] = mapped_column(ForeignKey("callbacks.id"))
    wanted_on: Mapped[date | None] = mapped_column(Date)
    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    booked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"))
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"))
    pulled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    source_job: Mapped[Job] = relationship(foreign_keys=[source_job_id])

    def __repr__(self) -> str:
        return f"<BookedWork {self.id} from job {self.source_job_id}>"
