"""The ground the operations stand on: roles, the order's settings and history, moving an
order through its states, money and signatures as they come in."""

import base64
import binascii
import uuid
from decimal import Decimal
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from dealer import images
from dealer.database import lock
from dealer.errors import DomainError, Forbidden, RuleBroken
from dealer.extensions import db
from dealer.hooks import Hook
from dealer.models import DealerSettings, User
from dealer.roles import ADVISOR, MANAGER
from dealer.services import check_version, require_role, settings_for
from parts import stock
from workorders import lifecycle
from workorders.lifecycle import Action, JobStatus, Status
from workorders.models import (
    Job,
    PartLine,
    StatusChange,
    WorkOrder,
)
from workorders.services.reading import order_facts

DESK = (ADVISOR, MANAGER)


MAX_HOURS = Decimal("200")


MAX_PRICE = Decimal("10000000")


MAX_SIGNATURE_BYTES = 512 * 1024


def require(actor: User, *roles: str) -> None:
    """Refuse an actor holding none of ``roles``."""
    require_role(actor, *roles)


def allow(
    actor: User | None, order: WorkOrder, action: Action, *, version: int | None = None
) -> None:
    """Refuse ``action`` unless the lifecycle's table of actions allows it: an actor outside
    the action's roles is forbidden, a stale ``version`` is refused, and an order in a state
    the action does not run in breaks the rule (with the table's reason)."""
    rule = lifecycle.ACTIONS[action]
    if actor is not None:
        require_role(actor, *rule.roles)
    check_version(order, version)
    if Status(order.status) not in rule.states:
        raise RuleBroken(_l(rule.refusal))


def move_job(job: Job, target: JobStatus) -> Job:
    """Move a job to ``target`` if the job table allows the move (the only writer of a job's
    status)."""
    ok, why = lifecycle.check_job_move(JobStatus(job.status), target)
    if not ok:
        raise RuleBroken(_l(why))
    job.status = target.value
    return job


def order_settings(order: WorkOrder) -> DealerSettings:
    return settings_for(order.site_id)


def record_history(
    order: WorkOrder, actor: User | None, source: str | None, reason: str | None = None
):
    db.session.add(
        StatusChange(
            work_order_id=order.id,
            from_status=source,
            to_status=order.status,
            user_id=actor.id if actor else None,
            reason=reason,
        )
    )


order_moved = Hook(
    "order-moved",
    "Called with the order, ``source`` and ``target`` states and ``actor`` after each move, "
    "inside the move's transaction: after-sales care connects here to tell the customer.",
)


def move_order(
    actor: User | None,
    order: WorkOrder,
    target: Status | str,
    *,
    reason: str | None = None,
    version: int | None = None,
) -> WorkOrder:
    """Move an order to ``target`` if the lifecycle table allows it for this actor now."""
    check_version(order, version)
    try:
        target = Status(target)
    except ValueError:
        raise DomainError(_l("Unknown status."), "to") from None
    roles = actor.roles if actor is not None else frozenset({MANAGER})
    transition = lifecycle.TRANSITIONS.get((Status(order.status), target))
    if transition is not None and transition.roles.isdisjoint(roles):
        raise Forbidden(_l("Your roles do not allow this."))
    ok, why = lifecycle.check_move(
        Status(order.status), target, roles, order_facts(order, reason=reason)
    )
    if not ok:
        raise RuleBroken(_l(why), "to")
    source = order.status
    order.status = target.value
    if target is Status.CANCELLED:
        order.cancel_reason = reason.strip()[:500]
        _release_all(actor, order)
    record_history(order, actor, source, (reason or "").strip()[:500] or None)
    db.session.flush()
    order_moved(order, source=source, target=target.value, actor=actor)
    return order


def lock_line(line: PartLine) -> None:
    """Read a parts line and its part afresh under their row locks, the part's first (every
    ledger operation takes them in this order, so two never wait for each other)."""
    lock(line.part, key_share=True)
    lock(line)


def release_lines(actor: User | None, order: WorkOrder, lines) -> None:
    """Give back what ``lines`` hold reserved (parts first, then lines, by id)."""
    for line in sorted(lines, key=lambda line: (line.part_id, line.id)):
        lock_line(line)
        if line.reserved_quantity:
            stock.release(
                actor,
                line.part,
                line.reserved_quantity,
                work_order_id=order.id,
                part_line_id=line.id,
            )
            line.reserved_quantity = Decimal("0")


def _release_all(actor: User | None, order: WorkOrder) -> None:
    release_lines(actor, order, order.parts)


def money_input(
    value: Decimal | None, field_name: str, *, allow_none: bool = True
) -> Decimal | None:
    if value is None:
        if allow_none:
            return None
        raise DomainError(_l("Enter an amount."), field_name)
    if not isinstance(value, Decimal) or not value.is_finite():
        raise DomainError(_l("Enter an amount."), field_name)
    if value < 0 or value > MAX_PRICE:
        raise DomainError(_l("An amount is between 0 and 10,000,000."), field_name)
    if value.as_tuple().exponent < -2:
        raise DomainError(_l("At most 2 decimal places."), field_name)
    return value


def decode_signature(data: str | None, field_name: str = "signature") -> bytes | None:
    """A drawn signature sent as a PNG data URL (signature_pad's ``toDataURL``)."""
    if not data:
        return None
    prefix = "data:image/png;base64,"
    if not data.startswith(prefix):
        raise DomainError(_l("The signature must be a PNG image."), field_name)
    try:
        raw = base64.b64decode(data[len(prefix) :], validate=True)
    except (binascii.Error, ValueError):
        raise DomainError(_l("The signature image is damaged."), field_name) from None
    return raw


def store_image(raw: bytes, folder: str, field_name: str) -> str:
    """Keep a signature (a PNG, written again from its pixels) under the storage folder;
    returns its path relative to that folder."""
    if len(raw) > MAX_SIGNATURE_BYTES:
        raise DomainError(_l("The signature image is too large."), field_name)
    data = images.clean_signature(raw, field_name)
    relative = Path(folder) / f"{uuid.uuid4().hex}.png"
    target = Path(current_app.config["STORAGE_DIR"]) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return str(relative)
