"""The work-order API's request and response models, and how a record becomes a response."""

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field

from dealer.apikit import (
    Input,
    MoneyIn,
    MoneyOut,
    NumberIn,
    NumberOut,
    Output,
    PageQuery,
)
from workorders import services as wo
from workorders import vocabulary as v
from workorders.models import Job, WorkOrder

CategoryCode = Literal[v.Category.values()]


PayTypeCode = Literal[v.PayType.values()]


OrderState = Literal[v.Status.values()]


PanelCode = Literal[v.Panel.values()]


DamageCode = Literal[v.Damage.values()]


WarningLightCode = Literal[v.WarningLight.values()]


ChecklistKey = Literal[v.QcCheck.values()]


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
    mpi_item_id: int | None
    safety: bool
    campaign_id: int | None = None
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
    request_status: Literal[v.RequestState.values()] | None = Field(
        description="A technician's request not yet on the bill, or one declined"
    )


Note = Annotated[str, Field(max_length=300)]
"""A short free-text answer on the intake sheet."""


class PanelIn(Input):
    panel: PanelCode
    damage: DamageCode
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
    warning_lights: list[WarningLightCode] = []
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
    address: str | None = None
    user_agent: str | None = None
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


class OrderPatch(Input):
    concern: str | None = Field(None, min_length=1, max_length=4000)
    promised_at: datetime | None = None
    not_to_exceed: MoneyIn | None = None
    version: int | None = None


class JobCreate(Input):
    title: str = Field(min_length=1, max_length=200)
    labor_hours: NumberIn
    labor_rate: MoneyIn | None = None
    category: CategoryCode
    pay_type: PayTypeCode = "customer"
    requires_road_test: bool = False
    is_diagnosis: bool = False
    warranty_claim_number: str | None = Field(None, max_length=60)
    findings: str | None = Field(None, max_length=4000)
    sublet_vendor: str | None = Field(None, max_length=120)
    sublet_cost: MoneyIn | None = None
    sublet_price: MoneyIn | None = None
    version: int | None = None


class PartLineCreate(Input):
    part_number: str = Field(min_length=1, max_length=40)
    quantity: NumberIn
    job_id: int
    unit_price: MoneyIn | None = None
    condition: Literal[v.PartCondition.values()] | None = None
    version: int | None = None


class SpecialOrderIn(Input):
    """A part the catalogue does not hold, ordered for one job."""

    job_id: int
    part_number: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    quantity: NumberIn
    unit_price: MoneyIn
    supplier: str | None = Field(None, max_length=120)
    condition: Literal[v.PartCondition.values()] = "new_genuine"
    version: int | None = None


class TransitionIn(Input):
    to: OrderState
    version: int | None = None
    reason: str | None = Field(None, max_length=500)


class AuthorizationIn(Input):
    approved_job_ids: list[int] = []
    declined_job_ids: list[int] = []
    authorized_by: str = Field(min_length=1, max_length=120)
    method: Literal[v.AuthorizationMethod.values()]
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


class NotificationIn(Input):
    how: Literal[v.NotifyChannel.values()]
    version: int | None = None


class HandoverIn(Input):
    payment_method: Literal[v.PaymentMethod.values()]
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


class ComebackIn(Input):
    odometer_km: int = Field(ge=0, le=3_000_000)
    fuel_level: NumberIn
    concern: str = Field(min_length=1, max_length=4000)
    cause: Literal[v.ComebackCause.values()]


class JobQuery(PageQuery):
    assignee: Literal["me", "unassigned", "all"] = "me"
    status: Literal[v.JobStatus.values()] | None = None


class JobPatch(Input):
    technician_id: int | None
    version: int | None = None


class VersionIn(Input):
    version: int | None = None


class NoClockIn(Input):
    reason: str = Field(min_length=3, max_length=300)
    version: int | None = None


class FindingsIn(Input):
    findings: str = Field(max_length=4000)
    version: int | None = None


class PhotoOut(Output):
    id: int
    panel: str
    content_type: str
    size: int
    at: datetime


class PhotoUpload(Input):
    """The multipart body of a photo upload."""

    panel: PanelCode = Field(description="The body panel the photo shows")
    photo: bytes = Field(description="A JPEG or PNG image, at most 8 MB")


class PromiseOut(Output):
    at: datetime
    work_hours: NumberOut
    queue_hours: NumberOut
    technicians: int
    parts_missing: list[str]
    parts_lead_days: int


class CannedPart(Input):
    part_number: str = Field(min_length=1, max_length=40)
    quantity: NumberIn


class CannedJobIn(Input):
    title: str = Field(min_length=1, max_length=200)
    title_zh: str | None = Field(None, max_length=200, description="The title on Chinese papers")
    labor_hours: NumberIn
    category: CategoryCode
    parts: list[CannedPart] = []


class CannedJobOut(Output):
    id: int
    title: str
    title_zh: str | None
    labor_hours: NumberOut
    category: str
    parts: list[dict]
    active: bool


class CannedUse(Input):
    canned_job_id: int
    version: int | None = None


class DiscountIn(Input):
    kind: Literal[v.DiscountKind.values()]
    value: MoneyIn
    reason: str = Field(min_length=1, max_length=300)
    version: int | None = None


class PaymentIn(Input):
    payment_method: Literal[v.PaymentMethod.values()]
    amount: MoneyIn
    change_given: MoneyIn | None = Field(
        None, description="Change or refund given back when more than the amount due was paid"
    )
    payer: str | None = Field(None, max_length=120)


class PartRequestDecisionIn(Input):
    approve: bool = Field(description="True puts the line on the bill, false declines it")
    version: int | None = None


class ReturnIn(Input):
    quantity: NumberIn


class DocumentQuery(Input):
    copy_: Literal["customer", "shop"] | None = Field(None, alias="copy")
