"""Parts on an order: lines, requests for parts outside the catalogue, reserving stock,
issuing and returning parts."""

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from dealer.errors import DomainError, Forbidden, RuleBroken
from dealer.extensions import db
from dealer.models import User
from dealer.roles import ADVISOR, MANAGER, TECHNICIAN
from dealer.services import check_version
from parts import stock
from parts.models import Part
from workorders.lifecycle import Action, JobStatus
from workorders.models import (
    CONDITIONS,
    Job,
    PartLine,
    WorkOrder,
)
from workorders.services.base import DESK, allow, lock_line, money_input, require
from workorders.services.reading import authorized_total, ceiling


def find_part(site_id: int, part_number: str) -> Part | None:
    """The active catalogue part with this number (any case or spacing)."""
    key = stock.part_number_key(part_number)
    return db.session.scalar(
        select(Part).where(Part.site_id == site_id, Part.number_key == key, Part.active.is_(True))
    )


def add_part_line(
    actor: User,
    order: WorkOrder,
    job: Job,
    *,
    part_number: str,
    quantity: Decimal,
    unit_price: Decimal | None = None,
    condition: str | None = None,
    version: int | None = None,
) -> PartLine:
    """Put a catalogue part on a job; on authorized work only within the authorized amount.

    A technician may request parts for a job of their own.
    """
    allow(actor, order, Action.ADD_PARTS, version=version)
    if not actor.has_role(ADVISOR, "parts", MANAGER) and job.technician_id != actor.id:
        raise Forbidden(_l("Request parts only for your own jobs."))
    if job.work_order_id != order.id:
        raise DomainError(_l("This job belongs to another order."), "job_id")
    if job.status in (JobStatus.DECLINED, JobStatus.DONE):
        raise RuleBroken(
            _l("Parts cannot be added to a job that is %(status)s.", status=job.status), "job_id"
        )
    part = find_part(order.site_id, part_number)
    errors = []
    if part is None:
        errors.append(("part_number", _l("No such part in the catalogue.")))
    try:
        stock.check_quantity(quantity)
    except DomainError as exc:
        errors.extend(exc.errors)
    try:
        money_input(unit_price, "unit_price")
    except DomainError as exc:
        errors.extend(exc.errors)
    if condition is not None and condition not in CONDITIONS:
        errors.append(
            ("condition", _l("Choose new genuine, new aftermarket, used or reconditioned."))
        )
    if errors:
        raise DomainError(errors)
    requested = not actor.has_role(ADVISOR, "parts", MANAGER) and job.status in (
        JobStatus.APPROVED,
        JobStatus.IN_PROGRESS,
    )
    line = PartLine(
        work_order=order,
        job=job,
        request_status="requested" if requested else None,
        requested_by_id=actor.id if requested else None,
        part_id=part.id,
        part_number=part.part_number,
        name=part.name,
        name_zh=part.name_zh,
        quantity=quantity,
        unit=part.unit,
        unit_price=unit_price if unit_price is not None else part.unit_price,
        unit_cost=part.unit_cost,
        condition=condition or ("new_genuine" if part.genuine else "new_aftermarket"),
    )
    db.session.add(line)
    db.session.flush()
    if not requested and job.status in (JobStatus.APPROVED, JobStatus.IN_PROGRESS):
        if authorized_total(order) > ceiling(order):
            raise RuleBroken(
                _l(
                    "This part takes the order above the amount the customer authorized. "
                    "Propose it as a new job for the customer's approval."
                ),
                "part_number",
            )
        reserve_line(actor, order, line)
    return line


def add_special_order_line(
    actor: User,
    order: WorkOrder,
    job: Job,
    *,
    part_number: str,
    name: str,
    unit_price: Decimal,
    quantity: Decimal,
    supplier: str | None = None,
    condition: str = "new_genuine",
    version: int | None = None,
) -> PartLine:
    """Put a part the catalogue does not hold on a job, as a special order: the part is
    kept in the catalogue as ordered for this job, the job waits for it, and receiving it
    at the parts counter reserves it for the job and makes it an ordinary catalogue part."""
    allow(actor, order, Action.ADD_PARTS, version=version)
    require(actor, ADVISOR, "parts", MANAGER)
    if find_part(order.site_id, part_number) is not None:
        raise DomainError(_l("This part is in the catalogue: add it by its number."), "part_number")
    stock.check_quantity(quantity)
    money_input(unit_price, "unit_price", allow_none=False)
    if condition not in CONDITIONS:
        raise DomainError(
            _l("Choose new genuine, new aftermarket, used or reconditioned."), "condition"
        )
    stock.create_special_order(
        actor,
        order.site_id,
        part_number=part_number,
        name=name,
        unit_price=unit_price,
        supplier=supplier,
        genuine=condition == "new_genuine",
    )
    return add_part_line(
        actor, order, job, part_number=part_number, quantity=quantity, condition=condition
    )


def decide_part_request(
    actor: User, line: PartLine, *, approve: bool, version: int | None = None
) -> PartLine:
    """The desk approves a technician's parts request within the authorization (it goes on
    the bill and is reserved), or declines it. Beyond the authorization the customer decides,
    with the job or in a new authorization."""
    require(actor, *DESK)
    order = line.work_order
    check_version(order, version)
    if line.request_status != "requested":
        raise RuleBroken(_l("This parts line is not a request waiting for a decision."))
    allow(actor, order, Action.DECIDE_PART_REQUEST)
    if not approve:
        line.request_status = "declined"
        db.session.flush()
        return line
    line.request_status = None
    if line.job.status in (JobStatus.APPROVED, JobStatus.IN_PROGRESS):
        if authorized_total(order) > ceiling(order):
            raise RuleBroken(
                _l(
                    "This part takes the order above the amount the customer authorized: "
                    "the customer must authorize it."
                ),
                "line_id",
            )
        reserve_line(actor, order, line)
    db.session.flush()
    return line


def _missing(line: PartLine) -> Decimal:
    return line.quantity - line.returned_quantity - line.reserved_quantity - line.issued_quantity


def reserve_line(actor: User | None, order: WorkOrder, line: PartLine) -> None:
    if not line.on_the_bill:
        return
    lock_line(line)
    missing = _missing(line)
    if missing > 0:
        if stock.reserve(actor, line.part, missing, work_order_id=order.id, part_line_id=line.id):
            line.reserved_quantity += missing
        else:
            line.job.waiting_for_parts = True
            return
    line.job.waiting_for_parts = any(
        _missing(other) > 0 for other in line.job.parts if other.on_the_bill
    )


def hold_booked_parts(
    actor: User | None, order: WorkOrder, line: PartLine, quantity: Decimal
) -> Decimal:
    """Reserve for ``line`` at once, before its job is approved, up to ``quantity`` of what
    a booking held for the car; answers how much it holds."""
    lock_line(line)
    wanted = min(quantity, _missing(line))
    if wanted > 0 and stock.reserve(
        actor, line.part, wanted, work_order_id=order.id, part_line_id=line.id
    ):
        line.reserved_quantity += wanted
        return wanted
    return Decimal("0")


def reserve_for_waiting_jobs(part: Part, actor: User | None = None) -> None:
    """When a part arrives, the oldest jobs waiting for it take it first."""
    lines = db.session.scalars(
        select(PartLine)
        .join(Job)
        .where(
            PartLine.part_id == part.id,
            PartLine.request_status.is_(None),
            Job.waiting_for_parts.is_(True),
            Job.status.in_([JobStatus.APPROVED.value, JobStatus.IN_PROGRESS.value]),
        )
        .order_by(Job.id, PartLine.id)
    ).all()
    for line in lines:
        if _missing(line) > 0:
            reserve_line(actor, line.work_order, line)
    db.session.flush()


def issue_parts(actor: User, line: PartLine) -> PartLine:
    """Hand a job's reserved parts over to the workshop before the job is done."""
    require(actor, "parts", MANAGER, TECHNICIAN)
    job = line.job
    if not actor.has_role("parts", MANAGER) and job.technician_id != actor.id:
        raise Forbidden(_l("Request parts only for your own jobs."))
    if job.status not in (JobStatus.APPROVED, JobStatus.IN_PROGRESS):
        raise RuleBroken(_l("Parts are issued only to authorized work."))
    lock_line(line)
    if not line.reserved_quantity:
        raise RuleBroken(_l("Nothing is reserved on this line to issue."))
    stock.issue(
        actor,
        line.part,
        line.reserved_quantity,
        work_order_id=line.work_order_id,
        part_line_id=line.id,
    )
    line.issued_quantity += line.reserved_quantity
    line.reserved_quantity = Decimal("0")
    db.session.flush()
    return line


def return_parts(actor: User, line: PartLine, quantity: Decimal) -> PartLine:
    """Take back issued parts the job did not use; the customer is not charged for them."""
    require(actor, "parts", MANAGER)
    stock.check_quantity(quantity)
    lock_line(line)
    if quantity > line.issued_quantity:
        raise DomainError(_l("At most the issued quantity can come back."), "quantity")
    allow(actor, line.work_order, Action.RETURN_PARTS)
    stock.return_to_stock(
        actor, line.part, quantity, work_order_id=line.work_order_id, part_line_id=line.id
    )
    line.issued_quantity -= quantity
    line.returned_quantity += quantity
    db.session.flush()
    return line
