"""JSON API for callbacks, attempts, complaints and the VIP archive (``/api/v1``)."""

from datetime import datetime
from typing import Literal

from flask import Blueprint, g
from pydantic import Field

from care import callbacks as calls
from care import complaints as care
from care import vip, vocabulary
from care.models import Callback, Complaint
from customers.models import Customer
from dealer.apikit import (
    API_PREFIX,
    Input,
    MoneyOut,
    Output,
    PageQuery,
    endpoint,
    page_of,
    site_record,
)
from dealer.extensions import db
from dealer.i18n import current_settings
from dealer.models import User
from dealer.phones import display_phone
from dealer.roles import ADVISOR, CALLBACK, MANAGER
from dealer.types import utcnow

bp = Blueprint("care_api", __name__, url_prefix=API_PREFIX)

AGENTS = (CALLBACK, MANAGER)
HANDLERS = (ADVISOR, CALLBACK, MANAGER)
Outcome = Literal[vocabulary.Outcome.values()]


class PersonOut(Output):
    id: int
    username: str
    name: str


def person(user: User | None) -> PersonOut | None:
    if user is None:
        return None
    return PersonOut(id=user.id, username=user.username, name=user.full_name)


class CallCustomer(Output):
    id: int
    name: str
    phone: str
    vip_tier: str | None
    last_visit_at: datetime | None


class AttemptOut(Output):
    id: int
    outcome: str
    satisfaction: int | None
    answers: dict
    notes: str | None
    at: datetime
    user: PersonOut | None = None
    via: str = "call"


class CallbackOut(Output):
    id: int
    kind: str
    status: str
    due_at: datetime
    overdue: bool
    priority: int
    customer: CallCustomer
    vehicle_id: int | None
    work_order_id: int | None
    assignee: PersonOut | None
    attempts: list[AttemptOut]
    outcome: str | None


def callback_out(callback: Callback) -> CallbackOut:
    settings = current_settings()
    customer = callback.customer
    return CallbackOut(
        id=callback.id,
        kind=callback.kind,
        status=callback.status,
        due_at=callback.due_at,
        overdue=calls.is_overdue(callback, utcnow(), settings.time_zone),
        priority=callback.priority,
        customer=CallCustomer(
            id=customer.id,
            name=customer.name,
            phone=display_phone(customer.phone, settings.phone_region) if customer.phone else "",
            vip_tier=customer.vip_tier,
            last_visit_at=customer.last_visit_at,
        ),
        vehicle_id=callback.vehicle_id,
        work_order_id=callback.work_order_id,
        assignee=person(callback.assignee),
        attempts=[
            AttemptOut(
                id=a.id,
                outcome=a.outcome,
                satisfaction=a.satisfaction,
                answers=a.answers or {},
                notes=a.notes,
                at=a.at,
                user=person(a.user),
                via=a.via,
            )
            for a in callback.history
        ],
        outcome=callback.outcome,
    )


class CallbackQuery(PageQuery):
    due: Literal["today"] | None = None
    assignee: Literal["me", "unassigned", "all"] = "me"


@endpoint(
    bp,
    "/callbacks",
    roles=AGENTS,
    summary="The call list: due today and overdue, complaints first, then overdue, VIP, due time",
    query=CallbackQuery,
    response=CallbackOut,
    paged=True,
)
def list_callbacks(query: CallbackQuery):
    settings = current_settings()
    scope = {"me": "mine", "unassigned": "pool", "all": "all"}[query.assignee]
    if query.due == "today":
        stmt = calls.call_list(g.actor.site_id, g.actor, scope=scope, time_zone=settings.time_zone)
    else:
        stmt = calls.all_open(g.actor.site_id)
        if scope == "mine":
            stmt = stmt.where(Callback.assignee_id == g.actor.id)
        elif scope == "pool":
            stmt = stmt.where(Callback.assignee_id.is_(None))
    return page_of(stmt, query, CallbackOut, callback_out)


def _callback(callback_id: int) -> Callback:
    return site_record(Callback, callback_id, "callback")


class AttemptIn(Input):
    outcome: Outcome
    satisfaction: int | None = Field(None, ge=1, le=5)
    answers: dict[Literal[vocabulary.Question.values()], int] = Field(default_factory=dict)
    notes: str | None = Field(None, max_length=4000)
    complaint: str | None = Field(None, max_length=4000)


@endpoint(
    bp,
    "/callbacks/<int:callback_id>/attempts",
    method="POST",
    roles=AGENTS,
    summary="Record a try at a callback; it is rescheduled or closed",
    body=AttemptIn,
    response=CallbackOut,
    status=201,
)
def post_attempt(callback_id: int, body: AttemptIn):
    callback = _callback(callback_id)
    calls.record_attempt(
        g.actor,
        callback,
        outcome=body.outcome,
        satisfaction=body.satisfaction,
        answers=body.answers,
        notes=body.notes,
        complaint=body.complaint,
    )
    return callback_out(callback)


@endpoint(
    bp,
    "/callbacks/<int:callback_id>/take",
    method="POST",
    roles=AGENTS,
    summary="Take a callback from the shared pool",
    response=CallbackOut,
)
def post_take(callback_id: int):
    return callback_out(calls.take(g.actor, _callback(callback_id)))


class ComplaintOut(Output):
    id: int
    customer_id: int
    customer_name: str
    description: str
    channel: str
    status: str
    received_at: datetime
    owner: PersonOut
    first_reply_due: datetime
    first_reply_at: datetime | None
    overdue: bool
    root_cause: str | None
    resolution: str | None
    resolved_at: datetime | None


def complaint_out(complaint: Complaint) -> ComplaintOut:
    return ComplaintOut(
        id=complaint.id,
        customer_id=complaint.customer_id,
        customer_name=complaint.customer.name,
        description=complaint.description,
        channel=complaint.channel,
        status=complaint.status,
        received_at=complaint.received_at,
        owner=person(complaint.owner),
        first_reply_due=complaint.first_reply_due,
        first_reply_at=complaint.first_reply_at,
        overdue=care.is_overdue(complaint, utcnow()),
        root_cause=complaint.root_cause,
        resolution=complaint.resolution,
        resolved_at=complaint.resolved_at,
    )


class ComplaintQuery(PageQuery):
    open: Literal["0", "1"] = "1"
    mine: Literal["0", "1"] = "0"


@endpoint(
    bp,
    "/complaints",
    roles=HANDLERS,
    summary="Complaints, overdue first",
    query=ComplaintQuery,
    response=ComplaintOut,
    paged=True,
)
def list_complaints(query: ComplaintQuery):
    stmt = care.complaint_list(
        g.actor.site_id,
        open_only=query.open == "1",
        owner_id=g.actor.id if query.mine == "1" else None,
    )
    return page_of(stmt, query, ComplaintOut, complaint_out)


class ComplaintIn(Input):
    customer_id: int
    description: str = Field(min_length=1, max_length=4000)
    channel: Literal[tuple(c for c in vocabulary.ComplaintChannel.values() if c != "call")] = "desk"
    work_order_id: int | None = None


def _customer(customer_id: int) -> Customer:
    return site_record(Customer, customer_id, "customer")


@endpoint(
    bp,
    "/complaints",
    method="POST",
    roles=HANDLERS,
    summary="Record a complaint; the caller owns it",
    body=ComplaintIn,
    response=ComplaintOut,
    status=201,
    idempotent=True,
)
def post_complaint(body: ComplaintIn):
    complaint = care.raise_complaint(
        g.actor, _customer(body.customer_id), body.description, channel=body.channel
    )
    return complaint_out(complaint)


def _complaint(complaint_id: int) -> Complaint:
    return site_record(Complaint, complaint_id, "complaint")


@endpoint(
    bp,
    "/complaints/<int:complaint_id>",
    roles=HANDLERS,
    summary="A complaint",
    response=ComplaintOut,
)
def get_complaint(complaint_id: int):
    return complaint_out(_complaint(complaint_id))


class ReplyIn(Input):
    text: str = Field(min_length=1, max_length=4000)


@endpoint(
    bp,
    "/complaints/<int:complaint_id>/replies",
    method="POST",
    roles=HANDLERS,
    summary="Record a reply to the customer",
    body=ReplyIn,
    response=ComplaintOut,
    status=201,
)
def post_reply(complaint_id: int, body: ReplyIn):
    complaint = _complaint(complaint_id)
    care.reply(g.actor, complaint, body.text)
    return complaint_out(complaint)


class ComplaintHandoverIn(Input):
    owner_id: int
    reason: str = Field(min_length=1, max_length=4000)


@endpoint(
    bp,
    "/complaints/<int:complaint_id>/handover",
    method="POST",
    roles=HANDLERS,
    summary="Hand a complaint over to another owner, with the reason",
    body=ComplaintHandoverIn,
    response=ComplaintOut,
)
def post_handover(complaint_id: int, body: ComplaintHandoverIn):
    complaint = _complaint(complaint_id)
    care.hand_over(g.actor, complaint, db.session.get(User, body.owner_id), body.reason)
    return complaint_out(complaint)


class ResolveIn(Input):
    root_cause: Literal[
        "workmanship", "part", "customer_use", "staff_attitude", "waiting_time", "price"
    ]
    resolution: str = Field(min_length=1, max_length=4000)


@endpoint(
    bp,
    "/complaints/<int:complaint_id>/resolve",
    method="POST",
    roles=HANDLERS,
    summary="Resolve a complaint; a follow-up callback is planned",
    body=ResolveIn,
    response=ComplaintOut,
)
def post_resolve(complaint_id: int, body: ResolveIn):
    complaint = _complaint(complaint_id)
    care.resolve(g.actor, complaint, root_cause=body.root_cause, resolution=body.resolution)
    return complaint_out(complaint)


class VipOut(Output):
    id: int
    name: str
    vip_tier: str
    granted_by_manager: bool
    spend_12m: MoneyOut
    visits_12m: int
    lifetime_spend: MoneyOut
    last_visit_at: datetime | None
    advisor: PersonOut | None


def vip_out(customer: Customer) -> VipOut:
    return VipOut(
        id=customer.id,
        name=customer.name,
        vip_tier=customer.vip_tier or "",
        granted_by_manager=bool(customer.vip_manual),
        spend_12m=customer.spend_12m,
        visits_12m=customer.visits_12m,
        lifetime_spend=customer.lifetime_spend,
        last_visit_at=customer.last_visit_at,
        advisor=person(customer.advisor),
    )


class VipQuery(PageQuery):
    q: str = Field("", max_length=100)


@endpoint(
    bp,
    "/vip",
    roles=HANDLERS,
    summary="The VIP archive: tier, spend, last visit, dedicated advisor",
    query=VipQuery,
    response=VipOut,
    paged=True,
)
def list_vip(query: VipQuery):
    rules = vip.tiers(current_settings())
    return page_of(vip.archive(g.actor.site_id, rules, query.q), query, VipOut, vip_out)


class VisitBrief(Output):
    id: int
    number: str
    status: str
    received_at: datetime
    final_total: MoneyOut | None


class DossierOut(VipOut):
    vehicles: list[dict]
    visits: list[VisitBrief]
    callbacks: list[CallbackOut]
    complaints: list[ComplaintOut]
    notes: str | None
    preferred_channel: str
    preferred_time: str | None


@endpoint(
    bp,
    "/vip/<int:customer_id>",
    roles=HANDLERS,
    summary="A customer's dossier: vehicles, visits with amounts, callbacks, complaints",
    response=DossierOut,
)
def get_dossier(customer_id: int):
    customer = _customer(customer_id)
    found = vip.dossier(customer)
    base = vip_out(customer).model_dump()
    return DossierOut(
        **base,
        vehicles=[
            {"id": v.id, "plate": v.plate, "vin": v.vin, "make": v.make, "model": v.model}
            for v in customer.vehicles
        ],
        visits=[VisitBrief.model_validate(o, from_attributes=True) for o in customer.visits[:100]],
        callbacks=[callback_out(c) for c in found.callbacks],
        complaints=[complaint_out(c) for c in found.complaints],
        notes=customer.notes,
        preferred_channel=customer.preferred_channel,
        preferred_time=customer.preferred_time,
    )
