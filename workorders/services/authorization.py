"""The customer's authorization of the estimate, and approving within it."""

from decimal import Decimal

from flask_babel import lazy_gettext as _l

from dealer.errors import DomainError, RuleBroken
from dealer.extensions import db
from dealer.models import User
from dealer.phones import normalize_phone
from dealer.services import check_version
from workorders.lifecycle import Action, JobStatus, Status
from workorders.models import (
    Authorization,
    Job,
    WorkOrder,
)
from workorders.services.base import (
    DESK,
    allow,
    money_input,
    move_job,
    move_order,
    order_settings,
    release_lines,
    require,
    store_image,
)
from workorders.services.part_lines import reserve_line
from workorders.services.reading import authorized_total, ceiling, total_with


def authorize_jobs(
    actor: User | None,
    order: WorkOrder,
    *,
    approved_job_ids: list[int],
    declined_job_ids: list[int],
    authorized_by: str,
    method: str,
    amount: Decimal | None,
    phone: str | None = None,
    signature: bytes | None = None,
    return_old_parts: bool | None = None,
    approved_part_line_ids: list[int] | None = None,
    version: int | None = None,
    address: str | None = None,
    user_agent: str | None = None,
) -> Authorization:
    """Record the customer's decision on pending and proposed jobs, and the new authorized total.

    The total counts the approved work (``None``: exactly that), and may reach up to the
    order's not-to-exceed ceiling; declined work never raises it. In person the customer
    signs; by phone the number called is kept. With no ``actor`` the customer decides on
    their own link (method ``link``): they sign, and the address and browser are kept."""
    allow(actor, order, Action.AUTHORIZE, version=version)
    errors = []
    jobs = {job.id: job for job in order.jobs}
    approved, declined = set(approved_job_ids), set(declined_job_ids)
    requests = {line.id: line for line in order.parts if line.request_status == "requested"}
    approved_parts = set(approved_part_line_ids or ())
    if not approved and not declined and not approved_parts:
        errors.append(("approved_job_ids", _l("Approve or decline at least one job.")))
    if approved_parts - set(requests):
        errors.append(
            (
                "approved_part_line_ids",
                _l("Only parts requests waiting for a decision can be approved."),
            )
        )
    if approved & declined:
        errors.append(("declined_job_ids", _l("A job cannot be both approved and declined.")))
    for job_id in sorted(approved | declined):
        job = jobs.get(job_id)
        if job is None:
            errors.append(("approved_job_ids", _l("Job %(id)s is not on this order.", id=job_id)))
        elif job.status not in (JobStatus.PENDING, JobStatus.PROPOSED):
            errors.append(("approved_job_ids", _l("Job %(id)s was decided already.", id=job_id)))
    authorized_by = (authorized_by or "").strip()
    if not authorized_by:
        errors.append(
            (
                "authorized_by",
                _l("Who authorized? Name the customer or the person they designated."),
            )
        )
    elif len(authorized_by) > 120:
        errors.append(("authorized_by", _l("At most %(n)s characters.", n=120)))
    if actor is None and method != "link":
        errors.append(("method", _l("Without a member of staff, only the link decides.")))
    elif actor is not None and method not in ("in_person", "phone"):
        errors.append(("method", _l("Choose in person or by phone.")))
    if method == "in_person" and not signature:
        errors.append(
            ("signature", _l("An authorization in person needs the customer's signature."))
        )
    if method == "link" and not signature:
        errors.append(("signature", _l("Sign with your finger in the box.")))
    normalized_phone = None
    if method == "phone":
        try:
            normalized_phone = normalize_phone(
                phone or "", order_settings(order).phone_region, field="phone"
            )
        except DomainError as exc:
            errors.extend(exc.errors)
    try:
        money_input(amount, "amount")
    except DomainError as exc:
        errors.extend(exc.errors)
    if errors:
        raise DomainError(errors)
    for job_id in approved:
        move_job(jobs[job_id], JobStatus.APPROVED)
    for job_id in declined:
        move_job(jobs[job_id], JobStatus.DECLINED)
    release_lines(actor, order, [line for job_id in declined for line in jobs[job_id].parts])
    for line_id in approved_parts:
        requests[line_id].request_status = None
    needed = authorized_total(order)
    if amount is None:
        amount = needed
    if amount < needed:
        raise DomainError(
            _l(
                "The authorized amount must cover the approved work: at least %(total)s.",
                total=needed,
            ),
            "amount",
        )
    most = max(needed, order.not_to_exceed or needed)
    if amount > most:
        raise DomainError(
            _l(
                "The authorized amount counts approved work only (and the not-to-exceed "
                "ceiling): at most %(total)s.",
                total=most,
            ),
            "amount",
        )
    authorization = Authorization(
        authorized_by=authorized_by,
        method=method,
        phone=normalized_phone,
        amount=amount,
        amount_added=amount - order.authorized_amount,
        approved_job_ids=sorted(approved),
        declined_job_ids=sorted(declined),
        return_old_parts=return_old_parts,
        supplementary=order.authorized_amount > 0,
        recorded_by_id=actor.id if actor is not None else None,
        address=(address or "")[:64] or None,
        user_agent=(user_agent or "")[:300] or None,
    )
    if signature:
        authorization.signature_file = store_image(signature, f"signatures/{order.id}", "signature")
    order.authorizations.append(authorization)
    db.session.flush()
    for job_id in approved | declined:
        jobs[job_id].decided_by_authorization_id = authorization.id
    order.authorized_amount = amount
    if return_old_parts is not None:
        order.return_old_parts = return_old_parts
    for job_id in sorted(approved):
        for line in jobs[job_id].parts:
            reserve_line(actor, order, line)
    for line_id in sorted(approved_parts):
        if requests[line_id].job.status in (JobStatus.APPROVED, JobStatus.IN_PROGRESS):
            reserve_line(actor, order, requests[line_id])
    if approved and order.status in (Status.ESTIMATING, Status.AWAITING_APPROVAL):
        move_order(actor, order, Status.IN_PROGRESS)
    db.session.flush()
    return authorization


def approve_within_authorization(
    actor: User, order: WorkOrder, job: Job, *, version: int | None = None
) -> Job:
    """Approve a proposed job without asking again, if the total stays within the authorization."""
    require(actor, *DESK)
    check_version(job, version)
    if job.status != JobStatus.PROPOSED:
        raise RuleBroken(_l("Only a proposed job can be approved this way."))
    limit = ceiling(order) if job.is_diagnosis else order.authorized_amount
    if total_with(order, job) > limit:
        raise RuleBroken(
            _l(
                "This job takes the order above the authorized amount: "
                "the customer must authorize it."
            ),
            "job_id",
        )
    move_job(job, JobStatus.APPROVED)
    for line in job.parts:
        reserve_line(actor, order, line)
    db.session.flush()
    return job
