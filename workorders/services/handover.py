"""Ready and handover: telling the customer, payments, warranty, and the delivered order's
figures."""

from datetime import date, timedelta
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from customers.services import record_odometer
from dealer.errors import DomainError
from dealer.extensions import db
from dealer.hooks import Hook
from dealer.models import DealerSettings, User
from dealer.timeutil import local_time
from dealer.types import utcnow
from workorders.lifecycle import Action, JobStatus, Status
from workorders.models import (
    PAYMENT_METHODS,
    Payment,
    TimeClock,
    WorkOrder,
)
from workorders.services.base import (
    allow,
    money_input,
    move_order,
    order_settings,
    store_image,
)
from workorders.services.documents import issue_documents
from workorders.services.reading import amount_due, job_amount, line_amount, order_totals
from workorders.totals import (
    PartAmount,
)
from workorders.vocabulary import NotifyChannel

NOTIFY_CHANNELS = NotifyChannel.values()


order_delivered = Hook(
    "order-delivered",
    "Called with the delivered order, ``actor`` and the moment, inside the handover's "
    "transaction, before the papers are issued: after-sales care connects here to refresh the "
    "customer's VIP figures and plan the callbacks.",
)


def record_notification(
    actor: User, order: WorkOrder, how: str, *, version: int | None = None
) -> WorkOrder:
    """Record that the customer was told the car is ready: how, when, by whom."""
    allow(actor, order, Action.NOTIFY, version=version)
    if how not in NOTIFY_CHANNELS:
        raise DomainError(_l("Choose how the customer was told."), "how")
    order.notified_at, order.notified_by_id, order.notified_how = utcnow(), actor.id, how
    db.session.flush()
    return order


def warranty_end(
    settings: DealerSettings, category: str, vehicle_class: str, delivered: date, odometer: int
) -> tuple[date, int]:
    """Until when and until which odometer reading a job's warranty runs, whichever comes first."""
    kilometres, days = settings.warranty_rules[category][vehicle_class]
    return delivered + timedelta(days=days), odometer + kilometres


def hand_over(
    actor: User,
    order: WorkOrder,
    *,
    payment_method: str,
    amount_paid: Decimal,
    received_by: str,
    payer: str | None = None,
    change_given: Decimal | None = None,
    old_parts_returned: bool | None = None,
    signature: bytes | None = None,
    odometer_out: int | None = None,
    version: int | None = None,
) -> WorkOrder:
    """Give the car back: payment, signature, warranty per job, and the callbacks that follow."""
    allow(actor, order, Action.HAND_OVER, version=version)
    errors = []
    if payment_method not in PAYMENT_METHODS:
        errors.append(("payment_method", _l("Choose how the customer paid.")))
    try:
        money_input(amount_paid, "amount_paid", allow_none=False)
    except DomainError as exc:
        errors.extend(exc.errors)
    received_by = (received_by or "").strip()
    if not received_by:
        errors.append(("received_by", _l("Who takes the car? Enter the name.")))
    if odometer_out is not None and odometer_out < order.odometer_in:
        errors.append(("odometer_out", _l("The odometer cannot read less than at intake.")))
    if errors:
        raise DomainError(errors)
    if amount_paid:
        record_payment(
            actor,
            order,
            method=payment_method,
            amount=amount_paid,
            payer=payer or received_by,
            change_given=change_given,
            field_name="amount_paid",
        )
    settings = order_settings(order)
    now = utcnow()
    order.received_by = received_by[:120]
    order.old_parts_returned = old_parts_returned
    order.odometer_out = odometer_out or order.odometer_in
    order.delivered_at = now
    if signature:
        order.handover_signature = store_image(signature, f"signatures/{order.id}", "signature")
    delivered_on = local_time(now, settings.time_zone).date()
    for job in order.jobs:
        if job.status == JobStatus.DONE:
            job.warranty_until, job.warranty_until_km = warranty_end(
                settings,
                job.category,
                order.vehicle.vehicle_class,
                delivered_on,
                order.odometer_out,
            )
    order.final_total = order_totals(order).total
    settle_figures(order)
    move_order(actor, order, Status.DELIVERED)
    if order.odometer_out > order.vehicle.odometer_km:
        record_odometer(actor, order.vehicle, order.odometer_out, source="work_order")
    if any(job.status == JobStatus.DONE and job.pay_type != "internal" for job in order.jobs):
        order.vehicle.last_service_at = now
        order.vehicle.last_service_km = order.odometer_out
    db.session.flush()
    order_delivered(order, actor=actor, now=now)
    db.session.flush()
    issue_documents(order, actor)
    return order


def settle_figures(order: WorkOrder) -> WorkOrder:
    """Keep the delivered order's figures on it, so a period's reports are one aggregate
    over work orders: hours sold and clocked, parts sales and cost (rounded per line, as
    invoiced), the value of declined work, the first approved amount, extra work decided."""
    done = [j for j in order.jobs if j.status == JobStatus.DONE]
    declined = [j for j in order.jobs if j.status == JobStatus.DECLINED]
    order.hours_sold = sum((j.labor_hours for j in done), Decimal("0"))
    clocks = db.session.scalars(
        select(TimeClock).where(
            TimeClock.work_order_id == order.id, TimeClock.ended_at.is_not(None)
        )
    ).all()
    order.clocked_seconds = int(sum((c.ended_at - c.started_at).total_seconds() for c in clocks))
    lines = [line for j in done for line in j.parts]
    order.parts_sales = sum((line_amount(line) for line in lines), Decimal("0.00"))
    order.parts_cost = sum(
        (PartAmount(line.charged_quantity, line.unit_cost).amount for line in lines),
        Decimal("0.00"),
    )
    order.declined_value = sum((job_amount(j).amount for j in declined), Decimal("0.00"))
    order.first_approved = order.authorizations[0].amount if order.authorizations else None
    proposed = [j for j in order.jobs if j.proposed_by_id is not None]
    order.proposed_approved = sum(
        j.status in (JobStatus.APPROVED, JobStatus.IN_PROGRESS, JobStatus.DONE) for j in proposed
    )
    order.proposed_decided = order.proposed_approved + sum(
        j.status == JobStatus.DECLINED for j in proposed
    )
    return order


def record_payment(
    actor: User,
    order: WorkOrder,
    *,
    method: str,
    amount: Decimal,
    payer: str | None = None,
    change_given: Decimal | None = None,
    field_name: str = "amount",
) -> Payment:
    """Record a payment towards an order (a deposit, or one of several payers).

    More than is due is taken only with the change (or refund) given back recorded, so that
    what the dealer keeps never passes what the customer owes."""
    allow(actor, order, Action.RECORD_PAYMENT)
    errors = []
    if method not in PAYMENT_METHODS:
        errors.append(("payment_method", _l("Choose how the customer paid.")))
    for name, value, allow_none in (
        (field_name, amount, False),
        ("change_given", change_given, True),
    ):
        try:
            money_input(value, name, allow_none=allow_none)
        except DomainError as exc:
            errors.extend(exc.errors)
    if isinstance(amount, Decimal) and amount <= 0:
        errors.append((field_name, _l("Enter an amount.")))
    if errors:
        raise DomainError(errors)
    change = change_given or Decimal("0.00")
    due = amount_due(order)
    if change > amount:
        raise DomainError(_l("The change cannot be more than the amount paid."), "change_given")
    if amount - change > due:
        if change_given is None:
            raise DomainError(
                _l(
                    "This is %(over)s more than the %(due)s due. Take the amount due, or "
                    "record the change or refund given back.",
                    over=amount - due,
                    due=due,
                ),
                field_name,
            )
        raise DomainError(
            _l(
                "After the change given back, %(kept)s would be kept, more than the %(due)s due.",
                kept=amount - change,
                due=due,
            ),
            "change_given",
        )
    payment = Payment(
        method=method,
        amount=amount,
        change_given=change_given if change else None,
        payer=(payer or "").strip()[:120] or None,
        recorded_by_id=actor.id,
    )
    order.payments.append(payment)
    db.session.flush()
    return payment
