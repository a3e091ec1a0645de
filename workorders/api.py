"""JSON API for work orders and jobs (``/api/v1``); its models are in ``workorders.schemas``."""

from flask import Blueprint, g, request
from sqlalchemy import select

from customers.models import Vehicle
from dealer.apikit import (
    API_PREFIX,
    PageQuery,
    endpoint,
    page_of,
)
from dealer.errors import DomainError, NotFound
from dealer.extensions import db
from dealer.roles import ADVISOR, ALL_STAFF, INSPECTOR, MANAGER, PARTS, TECHNICIAN
from dealer.web import pdf_response, stored_file
from workorders import queries
from workorders import services as wo
from workorders.models import CannedJob, InspectionPhoto, Job, WorkOrder
from workorders.schemas import (
    AuthorizationIn,
    AuthorizationOut,
    CannedJobIn,
    CannedJobOut,
    CannedUse,
    ComebackIn,
    DiscountIn,
    DocumentQuery,
    HandoverIn,
    InspectionIn,
    JobCreate,
    JobOut,
    NotificationIn,
    OrderCreate,
    OrderDetail,
    OrderOut,
    OrderPatch,
    OrderQuery,
    PartLineCreate,
    PartLineOut,
    PaymentIn,
    PaymentOut,
    PhotoOut,
    PhotoUpload,
    PromiseOut,
    QualityCheckIn,
    QualityCheckOut,
    SpecialOrderIn,
    TransitionIn,
    job_out,
    order_out,
)
from workorders.services import documents

bp = Blueprint("workorders_api", __name__, url_prefix=API_PREFIX)


DESK = (ADVISOR, MANAGER)


def load_order(order_id: int) -> WorkOrder:
    """The order, if the actor may see it; else 404."""
    order = db.session.get(WorkOrder, order_id)
    if order is None or not queries.visible_to(g.actor, order):
        raise NotFound("No such work order.")
    return order


def load_job(job_id: int) -> Job:
    """A job of an order the actor may see (404 otherwise); whether the actor may act on it
    is the operation's rule (409)."""
    job = db.session.get(Job, job_id)
    if job is None or not queries.visible_to(g.actor, job.work_order):
        raise NotFound("No such job.")
    return job


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
    stmt = queries.orders_visible_to(g.actor)
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
    job = job_on(order, body.job_id)
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
    return part_line_created(job, line)


def job_on(order: WorkOrder, job_id: int) -> Job:
    """The job ``job_id`` of this order, or a 422 naming the field."""
    job = db.session.get(Job, job_id)
    if job is None or job.work_order_id != order.id:
        raise DomainError("This job is not on the order.", "job_id")
    return job


def part_line_created(job: Job, line) -> PartLineOut:
    amount = wo.job_amount(job).parts[job.parts.index(line)].amount
    return PartLineOut.model_validate(
        {
            **{k: getattr(line, k) for k in PartLineOut.model_fields if k != "amount"},
            "amount": amount,
        }
    )


@endpoint(
    bp,
    "/work-orders/<int:order_id>/special-parts",
    method="POST",
    roles=(ADVISOR, PARTS, MANAGER),
    summary="Order a part the catalogue does not hold for a job; receiving it stocks it",
    body=SpecialOrderIn,
    response=PartLineOut,
    status=201,
    idempotent=True,
)
def create_special_order_line(order_id: int, body: SpecialOrderIn):
    order = load_order(order_id)
    job = job_on(order, body.job_id)
    line = wo.add_special_order_line(
        g.actor,
        order,
        job,
        part_number=body.part_number,
        name=body.name,
        quantity=body.quantity,
        unit_price=body.unit_price,
        supplier=body.supplier,
        condition=body.condition,
        version=body.version,
    )
    return part_line_created(job, line)


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


@endpoint(
    bp,
    "/work-orders/<int:order_id>/promise-suggestion",
    roles=DESK,
    summary="A suggested promised time and what made it later",
    response=PromiseOut,
)
def get_promise(order_id: int):
    return PromiseOut.model_validate(wo.suggest_promise(load_order(order_id)))


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


DOCUMENT_RULE = "any('work-order', 'estimate', 'invoice', 'certificate', 'qc')"


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
