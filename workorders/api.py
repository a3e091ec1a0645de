"""JSON API for work orders and jobs (``/api/v1``)."""

from datetime import date, datetime
from typing import Annotated, Literal

from flask import Blueprint, g, request
from pydantic import Field
from sqlalchemy import or_, select

from customers.models import Vehicle
from dealer.apikit import (
    API_PREFIX,
    Input,
    MoneyIn,
    MoneyOut,
    NumberIn,
    NumberOut,
    Output,
    PageQuery,
    endpoint,
    page_of,
)
from dealer.errors import DomainError, NotFound
from dealer.extensions import db
from dealer.models import User
from dealer.roles import ADVISOR, ALL_STAFF, INSPECTOR, MANAGER, PARTS, TECHNICIAN
from dealer.web import pdf_response, stored_file
from workorders import documents
from workorders import services as wo
from workorders.models import CannedJob, InspectionPhoto, Job, WorkOrder

bp = Blueprint("workorders_api", __name__, url_prefix=API_PREFIX)

DESK = (ADVISOR, MANAGER)
Category = Literal["major_repair", "level2_maintenance", "level1_maintenance", "minor_repair"]
PayType = Literal["customer", "warranty", "internal"]
OrderState = Literal[
    "intake",
    "estimating",
    "awaiting_approval",
    "in_progress",
    "quality_check",
    "ready",
    "delivered",
    "cancelled",
]
Panel = Literal[tuple(wo.PANELS)]
Damage = Literal[tuple(wo.DAMAGE)]
WarningLight = Literal[tuple(wo.WARNING_LIGHTS)]
ChecklistKey = Literal[tuple(wo.QC_CHECKLIST)]


class Person(Output):
    id: int
    username: str
    name: str = Field(validation_alias="full_name")


class CustomerRef(Output):
    id: int
    name: str


class VehicleRef(Output):
    id: int
    plate: str
    vin: str
    make: str
    model: str


class TotalsOut(Output):
    labor: MoneyOut
    parts: MoneyOut
    sublet: MoneyOut
    discount: MoneyOut
    tax: MoneyOut
    total: MoneyOut
    warranty: MoneyOut
    internal: MoneyOut


class JobTotals(Output):
    labor: MoneyOut
    parts: MoneyOut
    total: MoneyOut


class JobOut(Output):
    id: int
    work_order_id: int
    version: int
    title: str
    status: str
    technician: Person | None
    waiting_for_parts: bool
    labor_hours: NumberOut
    labor_rate: MoneyOut
    category: str
    pay_type: str
    requires_road_test: bool
    is_diagnosis: bool
    findings: str | None
    no_clock_reason: str | None
    warranty_claim_number: str | None
    sublet_vendor: str | None
    sublet_cost: MoneyOut | None
    sublet_price: MoneyOut | None
    warranty_until: date | None
    warranty_until_km: int | None
    totals: JobTotals


class PartLineOut(Output):
    id: int
    job_id: int
    part_number: str
    name: str
    quantity: NumberOut
    unit: str
    unit_price: MoneyOut
    condition: str
    amount: MoneyOut
    reserved_quantity: NumberOut
    issued_quantity: NumberOut
    returned_quantity: NumberOut
    request_status: Literal["requested", "declined"] | None = Field(
        description="A technician's request not yet on the bill, or one declined"
    )


Note = Annotated[str, Field(max_length=300)]
"""A short free-text answer on the intake sheet."""


class PanelIn(Input):
    panel: Panel
    damage: Damage
    note: str = Field("", max_length=300)


class SymptomsIn(Input):
    """The symptom interview: a fixed list of questions, each answered in words or yes/no."""

    engine_temperature: Note | bool | None = Field(None, description="Cold or warm engine")
    speed: Note | bool | None = Field(None, description="At what speed")
    load: Note | bool | None = Field(None, description="Under what load")
    road: Note | bool | None = Field(None, description="On what road")
    since: Note | bool | None = Field(None, description="Since when")
    frequency: Note | bool | None = Field(None, description="How often")
    accessories: Note | bool | None = Field(None, description="Fitted accessories")
    last_service: Note | bool | None = Field(None, description="The last service")
    earlier_repairs: Note | bool | None = Field(None, description="Earlier repairs")
    road_test_with_customer: Note | bool | None = Field(
        None, description="A road test with the customer is needed"
    )
    description: Note | bool | None = Field(None, description="The concern in the customer's words")


class InspectionIn(Input):
    panels: list[PanelIn] = []
    belongings: list[Annotated[str, Field(max_length=200)]] = Field([], max_length=50)
    warning_lights: list[WarningLight] = []
    symptoms: SymptomsIn = SymptomsIn()
    underbody: dict[Annotated[str, Field(max_length=40)], Note | bool] = Field({}, max_length=20)
    keys_count: int = Field(1, ge=0, le=20)
    acknowledged_by: str | None = Field(None, max_length=120)
    signature: str | None = Field(None, description="PNG data URL", max_length=700_000)
    version: int | None = None


class InspectionOut(Output):
    panels: list[dict]
    belongings: list[str]
    warning_lights: list[str]
    symptoms: dict
    underbody: dict
    keys_count: int
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    signed: bool


class AuthorizationOut(Output):
    id: int
    authorized_by: str
    method: str
    phone: str | None
    amount: MoneyOut
    amount_added: MoneyOut
    approved_job_ids: list[int]
    declined_job_ids: list[int]
    return_old_parts: bool | None
    supplementary: bool
    at: datetime


class HistoryOut(Output):
    from_status: str | None
    to_status: str
    at: datetime
    reason: str | None


class OrderOut(Output):
    id: int
    number: str
    status: str
    version: int
    customer: CustomerRef
    vehicle: VehicleRef
    advisor: Person
    received_at: datetime
    odometer_in: int
    fuel_level: NumberOut
    concern: str
    promised_at: datetime | None
    not_to_exceed: MoneyOut | None
    authorized_amount: MoneyOut
    headroom: MoneyOut = Field(
        description="How much more work the order takes before the customer must authorize it"
    )
    tax_rate: str
    return_old_parts: bool | None
    comeback_of_id: int | None
    comeback_cause: str | None
    delivered_at: datetime | None
    totals: TotalsOut
    proposed_totals: TotalsOut
    amount_paid: MoneyOut


class DiscountOut(Output):
    id: int
    kind: str
    value: MoneyOut
    reason: str
    approved_by_id: int | None
    at: datetime


class PaymentOut(Output):
    id: int
    method: str
    amount: MoneyOut
    change_given: MoneyOut | None
    payer: str | None
    at: datetime


class OrderDetail(OrderOut):
    discounts: list[DiscountOut]
    payments: list[PaymentOut]
    jobs: list[JobOut]
    parts: list[PartLineOut]
    inspection: InspectionOut | None
    authorizations: list[AuthorizationOut]
    history: list[HistoryOut]


def job_out(job: Job) -> JobOut:
    amount = wo.job_amount(job)
    return JobOut.model_validate(
        {
            **{
                k: getattr(job, k) for k in JobOut.model_fields if k not in ("technician", "totals")
            },
            "technician": Person.model_validate(job.technician) if job.technician else None,
            "totals": {"labor": amount.labor, "parts": amount.parts_amount, "total": amount.amount},
        }
    )


def part_line_out(line) -> PartLineOut:
    """A parts line with its amount."""
    fields = {k: getattr(line, k) for k in PartLineOut.model_fields if k != "amount"}
    return PartLineOut.model_validate({**fields, "amount": wo.line_amount(line)})


def order_out(order: WorkOrder, model: type[OrderOut] = OrderOut) -> OrderOut:
    """An order as the API shows it."""
    data = {
        k: getattr(order, k)
        for k in OrderOut.model_fields
        if k not in ("totals", "proposed_totals", "amount_paid", "tax_rate", "headroom")
    }
    data.update(
        headroom=wo.headroom(order),
        totals=wo.order_totals(order).__dict__,
        proposed_totals=wo.order_proposed_totals(order).__dict__,
        amount_paid=wo.amount_paid(order),
        tax_rate=format(order.tax_rate.normalize(), "f"),
    )
    if model is OrderDetail:
        inspection = order.inspection
        data.update(
            jobs=[job_out(j) for j in order.jobs],
            parts=[
                PartLineOut.model_validate(
                    {
                        **{k: getattr(p, k) for k in PartLineOut.model_fields if k != "amount"},
                        "amount": wo.job_amount(p.job).parts[p.job.parts.index(p)].amount,
                    }
                )
                for p in order.parts
            ],
            inspection=(
                InspectionOut.model_validate(
                    {
                        **{
                            k: getattr(inspection, k)
                            for k in InspectionOut.model_fields
                            if k != "signed"
                        },
                        "signed": bool(inspection.signature_file),
                    }
                )
                if inspection
                else None
            ),
            authorizations=order.authorizations,
            history=order.history,
            discounts=order.discounts,
            payments=order.payments,
        )
    return model.model_validate(data)


def load_order(order_id: int) -> WorkOrder:
    """The order, if the actor may see it; else 404."""
    order = db.session.get(WorkOrder, order_id)
    if order is None or not wo.visible_to(g.actor, order):
        raise NotFound("No such work order.")
    return order


def load_job(job_id: int) -> Job:
    """A job of an order the actor may see (404 otherwise); whether the actor may act on it
    is the operation's rule (409)."""
    job = db.session.get(Job, job_id)
    if job is None or not wo.visible_to(g.actor, job.work_order):
        raise NotFound("No such job.")
    return job


class OrderCreate(Input):
    vehicle_id: int
    odometer_km: int = Field(ge=0, le=3_000_000)
    fuel_level: NumberIn
    concern: str = Field(min_length=1, max_length=4000)
    promised_at: datetime | None = None
    not_to_exceed: MoneyIn | None = None


class OrderQuery(PageQuery):
    status: OrderState | None = None
    q: str = Field("", max_length=40)


@endpoint(
    bp,
    "/work-orders",
    method="POST",
    roles=DESK,
    summary="Receive a car: open a work order",
    body=OrderCreate,
    response=OrderDetail,
    status=201,
    idempotent=True,
)
def create_order(body: OrderCreate):
    vehicle = db.session.get(Vehicle, body.vehicle_id)
    if vehicle is None or vehicle.site_id != g.actor.site_id:
        raise DomainError("No such vehicle.", "vehicle_id")
    order = wo.open_work_order(
        g.actor,
        vehicle,
        odometer_km=body.odometer_km,
        fuel_level=body.fuel_level,
        concern=body.concern,
        promised_at=body.promised_at,
        not_to_exceed=body.not_to_exceed,
    )
    return order_out(order, OrderDetail)


def orders_for(user: User):
    """The orders a member of staff may list."""
    stmt = select(WorkOrder).where(WorkOrder.site_id == user.site_id)
    if not user.has_role(ADVISOR, MANAGER, INSPECTOR, PARTS, "callback"):
        mine = (
            select(Job.work_order_id)
            .join(WorkOrder)
            .where(or_(Job.technician_id == user.id, wo.open_to_take_clause()))
        )
        stmt = stmt.where(WorkOrder.id.in_(mine))
    return stmt


@endpoint(
    bp,
    "/work-orders",
    roles=ALL_STAFF,
    summary="List work orders (technicians: those with their jobs)",
    query=OrderQuery,
    response=OrderOut,
    paged=True,
)
def list_orders(query: OrderQuery):
    stmt = orders_for(g.actor)
    if query.status:
        stmt = stmt.where(WorkOrder.status == query.status)
    if query.q:
        stmt = stmt.where(WorkOrder.number.contains(query.q.upper(), autoescape=True))
    stmt = stmt.order_by(WorkOrder.id.desc())
    return page_of(stmt, query, OrderOut, order_out)


@endpoint(
    bp,
    "/work-orders/<int:order_id>",
    roles=ALL_STAFF,
    summary="A work order with jobs, parts and totals",
    response=OrderDetail,
)
def get_order(order_id: int):
    return order_out(load_order(order_id), OrderDetail)


class OrderPatch(Input):
    concern: str | None = Field(None, min_length=1, max_length=4000)
    promised_at: datetime | None = None
    not_to_exceed: MoneyIn | None = None
    version: int | None = None


@endpoint(
    bp,
    "/work-orders/<int:order_id>",
    method="PATCH",
    roles=DESK,
    summary="Change the concern, promised time or not-to-exceed ceiling",
    body=OrderPatch,
    response=OrderDetail,
)
def patch_order(order_id: int, body: OrderPatch):
    order = load_order(order_id)
    sent = body.model_dump(exclude_unset=True)
    wo.update_order(
        g.actor,
        order,
        concern=body.concern,
        promised_at=body.promised_at,
        not_to_exceed=body.not_to_exceed,
        version=body.version,
        clear_not_to_exceed="not_to_exceed" in sent and body.not_to_exceed is None,
    )
    return order_out(order, OrderDetail)


@endpoint(
    bp,
    "/work-orders/<int:order_id>/inspection",
    method="PUT",
    roles=DESK,
    summary="Record the intake inspection",
    body=InspectionIn,
    response=OrderDetail,
)
def put_inspection(order_id: int, body: InspectionIn):
    order = load_order(order_id)
    data = wo.InspectionInput(
        panels=[p.model_dump() for p in body.panels],
        warning_lights=list(body.warning_lights),
        belongings=body.belongings,
        keys_count=body.keys_count,
        underbody=body.underbody,
        symptoms=body.symptoms.model_dump(exclude_none=True),
        acknowledged_by=body.acknowledged_by,
        signature=wo.decode_signature(body.signature),
    )
    wo.record_inspection(g.actor, order, data, version=body.version)
    return order_out(order, OrderDetail)


class JobCreate(Input):
    title: str = Field(min_length=1, max_length=200)
    labor_hours: NumberIn
    labor_rate: MoneyIn | None = None
    category: Category
    pay_type: PayType = "customer"
    requires_road_test: bool = False
    is_diagnosis: bool = False
    warranty_claim_number: str | None = Field(None, max_length=60)
    findings: str | None = Field(None, max_length=4000)
    sublet_vendor: str | None = Field(None, max_length=120)
    sublet_cost: MoneyIn | None = None
    sublet_price: MoneyIn | None = None
    version: int | None = None


@endpoint(
    bp,
    "/work-orders/<int:order_id>/jobs",
    method="POST",
    roles=(ADVISOR, MANAGER, TECHNICIAN),
    summary="Add a job (a technician's starts as proposed)",
    body=JobCreate,
    response=JobOut,
    status=201,
    idempotent=True,
)
def create_job(order_id: int, body: JobCreate):
    order = load_order(order_id)
    job = wo.add_job(g.actor, order, **body.model_dump())
    return job_out(job)


class PartLineCreate(Input):
    part_number: str = Field(min_length=1, max_length=40)
    quantity: NumberIn
    job_id: int
    unit_price: MoneyIn | None = None
    condition: Literal["new_genuine", "new_aftermarket", "used", "reconditioned"] | None = None
    version: int | None = None


@endpoint(
    bp,
    "/work-orders/<int:order_id>/parts",
    method="POST",
    roles=(ADVISOR, PARTS, MANAGER, TECHNICIAN),
    summary="Put a catalogue part on a job (technicians: request one for their own job)",
    body=PartLineCreate,
    response=PartLineOut,
    status=201,
    idempotent=True,
)
def create_part_line(order_id: int, body: PartLineCreate):
    order = load_order(order_id)
    job = db.session.get(Job, body.job_id)
    if job is None or job.work_order_id != order.id:
        raise DomainError("This job is not on the order.", "job_id")
    line = wo.add_part_line(
        g.actor,
        order,
        job,
        part_number=body.part_number,
        quantity=body.quantity,
        unit_price=body.unit_price,
        condition=body.condition,
        version=body.version,
    )
    amount = wo.job_amount(job).parts[job.parts.index(line)].amount
    return PartLineOut.model_validate(
        {
            **{k: getattr(line, k) for k in PartLineOut.model_fields if k != "amount"},
            "amount": amount,
        }
    )


class TransitionIn(Input):
    to: OrderState
    version: int | None = None
    reason: str | None = Field(None, max_length=500)


@endpoint(
    bp,
    "/work-orders/<int:order_id>/transitions",
    method="POST",
    roles=ALL_STAFF,
    summary="Move the order through its lifecycle (roles per transition)",
    body=TransitionIn,
    response=OrderDetail,
)
def post_transition(order_id: int, body: TransitionIn):
    order = load_order(order_id)
    wo.move_order(g.actor, order, body.to, reason=body.reason, version=body.version)
    return order_out(order, OrderDetail)


class AuthorizationIn(Input):
    approved_job_ids: list[int] = []
    declined_job_ids: list[int] = []
    authorized_by: str = Field(min_length=1, max_length=120)
    method: Literal["in_person", "phone"]
    phone: str | None = Field(None, max_length=40)
    amount: MoneyIn
    return_old_parts: bool | None = None
    signature: str | None = Field(
        None, description="PNG data URL; required for method in_person", max_length=700_000
    )
    approved_part_line_ids: list[int] = Field(
        [], description="Technicians' parts requests the customer approves"
    )
    version: int | None = None


@endpoint(
    bp,
    "/work-orders/<int:order_id>/authorizations",
    method="POST",
    roles=DESK,
    summary="Record the customer's authorization",
    body=AuthorizationIn,
    response=AuthorizationOut,
    status=201,
    idempotent=True,
)
def create_authorization(order_id: int, body: AuthorizationIn):
    order = load_order(order_id)
    return wo.authorize_jobs(
        g.actor,
        order,
        approved_job_ids=body.approved_job_ids,
        declined_job_ids=body.declined_job_ids,
        authorized_by=body.authorized_by,
        method=body.method,
        phone=body.phone,
        amount=body.amount,
        return_old_parts=body.return_old_parts,
        signature=wo.decode_signature(body.signature),
        approved_part_line_ids=body.approved_part_line_ids,
        version=body.version,
    )


class QualityCheckIn(Input):
    passed: bool
    checklist: dict[ChecklistKey, bool]
    road_test_done: bool = False
    failed_job_ids: list[int] = []
    notes: str | None = Field(None, max_length=4000)
    version: int | None = None


class QualityCheckOut(Output):
    id: int
    passed: bool
    checklist: dict[str, bool]
    road_test_done: bool
    failed_job_ids: list[int]
    notes: str | None
    inspector: Person
    at: datetime


@endpoint(
    bp,
    "/work-orders/<int:order_id>/qc",
    method="POST",
    roles=(INSPECTOR, MANAGER),
    summary="Record the final inspection",
    body=QualityCheckIn,
    response=QualityCheckOut,
    status=201,
)
def create_quality_check(order_id: int, body: QualityCheckIn):
    order = load_order(order_id)
    return wo.record_quality_check(g.actor, order, **body.model_dump())


class NotificationIn(Input):
    how: Literal["phone", "sms", "wechat", "email", "in_person"]
    version: int | None = None


@endpoint(
    bp,
    "/work-orders/<int:order_id>/notification",
    method="POST",
    roles=DESK,
    summary="Record that the customer was told the car is ready",
    body=NotificationIn,
    response=OrderDetail,
)
def post_notification(order_id: int, body: NotificationIn):
    order = load_order(order_id)
    wo.record_notification(g.actor, order, body.how, version=body.version)
    return order_out(order, OrderDetail)


class HandoverIn(Input):
    payment_method: Literal[
        "cash", "card", "bank_transfer", "mobile_payment", "account", "warranty"
    ]
    amount_paid: MoneyIn
    change_given: MoneyIn | None = Field(
        None, description="Change or refund given back when more than the amount due was paid"
    )
    received_by: str = Field(min_length=1, max_length=120)
    payer: str | None = Field(None, max_length=120)
    old_parts_returned: bool | None = None
    odometer_out: int | None = Field(None, ge=0, le=3_000_000)
    signature: str | None = Field(None, description="PNG data URL", max_length=700_000)
    version: int | None = None


@endpoint(
    bp,
    "/work-orders/<int:order_id>/handover",
    method="POST",
    roles=DESK,
    summary="Hand the car over; callbacks follow",
    body=HandoverIn,
    response=OrderDetail,
)
def post_handover(order_id: int, body: HandoverIn):
    order = load_order(order_id)
    fields = body.model_dump(exclude={"signature"})
    wo.hand_over(g.actor, order, signature=wo.decode_signature(body.signature), **fields)
    return order_out(order, OrderDetail)


class ComebackIn(Input):
    odometer_km: int = Field(ge=0, le=3_000_000)
    fuel_level: NumberIn
    concern: str = Field(min_length=1, max_length=4000)
    cause: Literal["workmanship", "part", "customer_use", "unrelated"]


@endpoint(
    bp,
    "/work-orders/<int:order_id>/comebacks",
    method="POST",
    roles=DESK,
    summary="Open a comeback order linked to a delivered one",
    body=ComebackIn,
    response=OrderDetail,
    status=201,
    idempotent=True,
)
def create_comeback(order_id: int, body: ComebackIn):
    earlier = load_order(order_id)
    order = wo.open_comeback(g.actor, earlier, **body.model_dump())
    return order_out(order, OrderDetail)


class JobQuery(PageQuery):
    assignee: Literal["me", "unassigned", "all"] = "me"
    status: Literal["pending", "proposed", "approved", "declined", "in_progress", "done"] | None = (
        None
    )


@endpoint(
    bp,
    "/jobs",
    roles=(TECHNICIAN, ADVISOR, MANAGER, INSPECTOR),
    summary="The job board: my jobs, or approved unassigned ones",
    query=JobQuery,
    response=JobOut,
    paged=True,
)
def list_jobs(query: JobQuery):
    stmt = select(Job).join(WorkOrder).where(WorkOrder.site_id == g.actor.site_id)
    if query.assignee == "me":
        stmt = stmt.where(Job.technician_id == g.actor.id)
    elif query.assignee == "unassigned":
        stmt = stmt.where(wo.open_to_take_clause())
    elif not g.actor.has_role(ADVISOR, MANAGER, INSPECTOR):
        raise DomainError("Technicians list their own or unassigned jobs.", "assignee")
    if query.status:
        stmt = stmt.where(Job.status == query.status)
    stmt = stmt.order_by(WorkOrder.promised_at.is_(None), WorkOrder.promised_at, Job.id)
    return page_of(stmt, query, JobOut, job_out)


class JobPatch(Input):
    technician_id: int | None
    version: int | None = None


@endpoint(
    bp,
    "/jobs/<int:job_id>",
    method="PATCH",
    roles=DESK,
    summary="Assign a job to a technician",
    body=JobPatch,
    response=JobOut,
)
def patch_job(job_id: int, body: JobPatch):
    job = load_job(job_id)
    technician = None
    if body.technician_id is not None:
        technician = db.session.get(User, body.technician_id)
        if technician is None or technician.site_id != g.actor.site_id:
            raise DomainError("No such technician.", "technician_id")
    wo.assign_job(g.actor, job, technician, version=body.version)
    return job_out(job)


class VersionIn(Input):
    version: int | None = None


def _job_action(summary: str, action, rule: str, roles=(TECHNICIAN, MANAGER)):
    def view(job_id: int, body: VersionIn):
        job = load_job(job_id)
        action(g.actor, job, version=body.version)
        return job_out(job)

    view.__name__ = f"job_{rule.replace('-', '_')}"
    return endpoint(
        bp,
        f"/jobs/<int:job_id>/{rule}",
        method="POST",
        roles=roles,
        summary=summary,
        body=VersionIn,
        response=JobOut,
    )(view)


_job_action("Clock on a job (an unassigned one is taken)", wo.clock_on, "clock-on")
_job_action("Clock off a job", wo.clock_off, "clock-off")
_job_action("Mark a job done", wo.complete_job, "complete")


@endpoint(
    bp,
    "/jobs/<int:job_id>/approve",
    method="POST",
    roles=DESK,
    summary="Approve a proposed job within the authorized amount",
    body=VersionIn,
    response=JobOut,
)
def approve_job(job_id: int, body: VersionIn):
    job = load_job(job_id)
    wo.approve_within_authorization(g.actor, job.work_order, job, version=body.version)
    return job_out(job)


class NoClockIn(Input):
    reason: str = Field(min_length=3, max_length=300)
    version: int | None = None


@endpoint(
    bp,
    "/jobs/<int:job_id>/no-clock-reason",
    method="POST",
    roles=DESK,
    summary="Record why a job may be completed with no time clocked (sublet, a quick check)",
    body=NoClockIn,
    response=JobOut,
)
def post_no_clock_reason(job_id: int, body: NoClockIn):
    job = load_job(job_id)
    wo.excuse_no_clock(g.actor, job, body.reason, version=body.version)
    return job_out(job)


class FindingsIn(Input):
    findings: str = Field(max_length=4000)
    version: int | None = None


@endpoint(
    bp,
    "/jobs/<int:job_id>/findings",
    method="POST",
    roles=(TECHNICIAN, ADVISOR, MANAGER),
    summary="Record a technician's findings",
    body=FindingsIn,
    response=JobOut,
)
def post_findings(job_id: int, body: FindingsIn):
    job = load_job(job_id)
    wo.record_findings(g.actor, job, body.findings, version=body.version)
    return job_out(job)


class PhotoOut(Output):
    id: int
    panel: str
    content_type: str
    size: int
    at: datetime


class PhotoUpload(Input):
    """The multipart body of a photo upload."""

    panel: Panel = Field(description="The body panel the photo shows")
    photo: bytes = Field(description="A JPEG or PNG image, at most 8 MB")


@endpoint(
    bp,
    "/work-orders/<int:order_id>/photos",
    method="POST",
    roles=DESK,
    summary="Upload an intake photo (multipart: panel, photo)",
    response=PhotoOut,
    status=201,
    upload=PhotoUpload,
)
def post_photo(order_id: int):
    order = load_order(order_id)
    upload = request.files.get("photo")
    if upload is None:
        raise DomainError("Send the photo as multipart field 'photo'.", "photo")
    return wo.add_photo(g.actor, order, request.form.get("panel", ""), upload.read())


@endpoint(
    bp,
    "/work-orders/<int:order_id>/photos/<int:photo_id>",
    roles=ALL_STAFF,
    summary="An intake photo",
    content_type="image/*",
)
def get_photo(order_id: int, photo_id: int):
    order = load_order(order_id)
    kept = db.session.get(InspectionPhoto, photo_id)
    if kept is None or kept.work_order_id != order.id:
        raise NotFound("No such photo.")
    return stored_file(wo.photo_file(kept), kept.content_type, wo.photo_name(order, kept))


class PromiseOut(Output):
    at: datetime
    work_hours: NumberOut
    queue_hours: NumberOut
    technicians: int
    parts_missing: list[str]
    parts_lead_days: int


@endpoint(
    bp,
    "/work-orders/<int:order_id>/promise-suggestion",
    roles=DESK,
    summary="A suggested promised time and what made it later",
    response=PromiseOut,
)
def get_promise(order_id: int):
    return PromiseOut.model_validate(wo.suggest_promise(load_order(order_id)))


class CannedPart(Input):
    part_number: str = Field(min_length=1, max_length=40)
    quantity: NumberIn


class CannedJobIn(Input):
    title: str = Field(min_length=1, max_length=200)
    title_zh: str | None = Field(None, max_length=200, description="The title on Chinese papers")
    labor_hours: NumberIn
    category: Category
    parts: list[CannedPart] = []


class CannedJobOut(Output):
    id: int
    title: str
    title_zh: str | None
    labor_hours: NumberOut
    category: str
    parts: list[dict]
    active: bool


@endpoint(
    bp,
    "/canned-jobs",
    roles=(ADVISOR, MANAGER),
    summary="The common jobs the desk adds in one click",
    query=PageQuery,
    response=CannedJobOut,
    paged=True,
)
def list_canned(query: PageQuery):
    stmt = select(CannedJob).where(CannedJob.site_id == g.actor.site_id, CannedJob.active.is_(True))
    return page_of(stmt.order_by(CannedJob.title), query, CannedJobOut)


@endpoint(
    bp,
    "/canned-jobs",
    method="POST",
    roles=(MANAGER,),
    summary="Keep a common job",
    body=CannedJobIn,
    response=CannedJobOut,
    status=201,
    idempotent=True,
)
def post_canned(body: CannedJobIn):
    parts = [{"part_number": p.part_number, "quantity": str(p.quantity)} for p in body.parts]
    return wo.save_canned_job(
        g.actor,
        g.actor.site_id,
        title=body.title,
        title_zh=body.title_zh,
        labor_hours=body.labor_hours,
        category=body.category,
        parts=parts,
    )


class CannedUse(Input):
    canned_job_id: int
    version: int | None = None


@endpoint(
    bp,
    "/work-orders/<int:order_id>/canned-jobs",
    method="POST",
    roles=DESK,
    summary="Add a common job and its parts to the estimate",
    body=CannedUse,
    response=JobOut,
    status=201,
    idempotent=True,
)
def use_canned(order_id: int, body: CannedUse):
    order = load_order(order_id)
    canned = db.session.get(CannedJob, body.canned_job_id)
    if canned is None or canned.site_id != order.site_id:
        raise DomainError("No such common job.", "canned_job_id")
    return job_out(wo.add_canned_job(g.actor, order, canned, version=body.version))


class DiscountIn(Input):
    kind: Literal["amount", "percent"]
    value: MoneyIn
    reason: str = Field(min_length=1, max_length=300)
    version: int | None = None


@endpoint(
    bp,
    "/work-orders/<int:order_id>/discounts",
    method="POST",
    roles=DESK,
    summary="Add a discount line (above the settings limit: managers only)",
    body=DiscountIn,
    response=OrderDetail,
    status=201,
    idempotent=True,
)
def post_discount(order_id: int, body: DiscountIn):
    order = load_order(order_id)
    wo.add_discount(g.actor, order, **body.model_dump())
    return order_out(order, OrderDetail)


class PaymentIn(Input):
    payment_method: Literal[
        "cash", "card", "bank_transfer", "mobile_payment", "account", "warranty"
    ]
    amount: MoneyIn
    change_given: MoneyIn | None = Field(
        None, description="Change or refund given back when more than the amount due was paid"
    )
    payer: str | None = Field(None, max_length=120)


@endpoint(
    bp,
    "/work-orders/<int:order_id>/payments",
    method="POST",
    roles=DESK,
    summary="Record a payment (deposit, or one of several payers)",
    body=PaymentIn,
    response=PaymentOut,
    status=201,
    idempotent=True,
)
def post_payment(order_id: int, body: PaymentIn):
    order = load_order(order_id)
    return wo.record_payment(
        g.actor,
        order,
        method=body.payment_method,
        amount=body.amount,
        payer=body.payer,
        change_given=body.change_given,
    )


def load_line(order_id: int, line_id: int):
    order = load_order(order_id)
    line = next((p for p in order.parts if p.id == line_id), None)
    if line is None:
        raise NotFound("No such parts line.")
    return line


@endpoint(
    bp,
    "/work-orders/<int:order_id>/parts/<int:line_id>/issue",
    method="POST",
    roles=(PARTS, MANAGER, TECHNICIAN),
    summary="Issue a line's reserved parts to the job",
    response=PartLineOut,
)
def post_issue(order_id: int, line_id: int):
    return part_line_out(wo.issue_parts(g.actor, load_line(order_id, line_id)))


class PartRequestDecisionIn(Input):
    approve: bool = Field(description="True puts the line on the bill, false declines it")
    version: int | None = None


@endpoint(
    bp,
    "/work-orders/<int:order_id>/parts/<int:line_id>/decision",
    method="POST",
    roles=DESK,
    summary="Approve a technician's parts request within the authorization, or decline it",
    body=PartRequestDecisionIn,
    response=PartLineOut,
)
def post_part_request_decision(order_id: int, line_id: int, body: PartRequestDecisionIn):
    line = load_line(order_id, line_id)
    return part_line_out(
        wo.decide_part_request(g.actor, line, approve=body.approve, version=body.version)
    )


class ReturnIn(Input):
    quantity: NumberIn


@endpoint(
    bp,
    "/work-orders/<int:order_id>/parts/<int:line_id>/returns",
    method="POST",
    roles=(PARTS, MANAGER),
    summary="Return unused issued parts to stock",
    body=ReturnIn,
    response=PartLineOut,
    status=201,
)
def post_return(order_id: int, line_id: int, body: ReturnIn):
    return part_line_out(wo.return_parts(g.actor, load_line(order_id, line_id), body.quantity))


DOCUMENT_RULE = "any('work-order', 'estimate', 'invoice', 'certificate', 'qc')"


class DocumentQuery(Input):
    copy_: Literal["customer", "shop"] | None = Field(None, alias="copy")


@endpoint(
    bp,
    f"/work-orders/<int:order_id>/documents/<{DOCUMENT_RULE}:kind>.pdf",
    roles=(ADVISOR, INSPECTOR, MANAGER),
    summary="A printed paper of the order, in the customer's language (issued copies as issued)",
    query=DocumentQuery,
    content_type="application/pdf",
)
def get_document(order_id: int, kind: str, query: DocumentQuery):
    order = load_order(order_id)
    return pdf_response(
        documents.document(order, kind, copy=query.copy_), documents.filename(order, kind)
    )
