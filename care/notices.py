"""Telling the customer about their car: the messages the workshop's steps imply, each with
a fresh link to the order, and the link the desk sends by hand when work waits for the
customer's decision.

``after_move`` is connected to the order's moves (``workorders.services.order_moved``) by
the app factory. It only queues: the worker sends, never a web request.
"""

from flask_babel import lazy_gettext as _l

from care import links, outbox
from care.models import CustomerLink, Message
from dealer.errors import RuleBroken
from dealer.models import User
from dealer.services import settings_for
from workorders import services as wo
from workorders.lifecycle import Status
from workorders.models import WorkOrder

ON_ARRIVAL = {
    Status.ESTIMATING.value: "order_received",
    Status.AWAITING_APPROVAL.value: "estimate_ready",
    Status.READY.value: "ready_for_pickup",
    Status.DELIVERED.value: "thank_you_survey",
}
"""The message each state's arrival sends."""
HOURS = {"thank_you_survey": links.SURVEY_HOURS}


def amount_for(order: WorkOrder, event: str):
    """The amount a message names: the estimate's, the extra work's, or what is due."""
    if event == "estimate_ready":
        return wo.total_if_all_approved(order)
    if event == "authorization_needed":
        return wo.order_proposed_totals(order).total
    if event == "ready_for_pickup":
        return wo.amount_due(order)
    return None


def send_link(
    actor: User | None,
    order: WorkOrder,
    event: str,
    *,
    channel: str | None = None,
    hours: int | None = None,
) -> tuple[Message, CustomerLink, str]:
    """A new link to the order, sent to its customer with the event's message (not
    committed); answers the message, the link and its address."""
    link, token = links.issue_link(
        actor, order, hours=hours or HOURS.get(event, links.DEFAULT_HOURS)
    )
    url = links.link_url(token)
    message = outbox.queue_message(
        order.customer,
        event,
        order=order,
        values={"link": url, "amount": amount_for(order, event)},
        actor=actor,
        channel=channel,
    )
    return message, link, url


def event_for(order: WorkOrder) -> str:
    """The message a link sent by hand goes with, by where the order is."""
    if links.customer_view(order).can_decide:
        return "authorization_needed" if order.authorized_amount > 0 else "estimate_ready"
    return {
        Status.READY.value: "ready_for_pickup",
        Status.DELIVERED.value: "thank_you_survey",
    }.get(order.status, "order_received")


def ask_for_decision(actor: User, order: WorkOrder, *, channel: str | None = None):
    """The desk sends the customer the work that waits for a decision: the estimate when
    nothing is authorized yet, else the extra work found."""
    view = links.customer_view(order)
    if not view.can_decide:
        raise RuleBroken(_l("No work waits for the customer's decision."))
    event = "authorization_needed" if order.authorized_amount > 0 else "estimate_ready"
    return send_link(actor, order, event, channel=channel)


def after_move(order: WorkOrder, *, source: str | None, target: str, actor: User | None) -> None:
    """Queue the message the order's new state implies, where the site sends them (the
    message is the workshop's, not the one who moved the order)."""
    event = ON_ARRIVAL.get(target)
    if event is None or source == target:
        return
    if not settings_for(order.site_id).order_messages:
        return
    if event == "estimate_ready" and not links.customer_view(order).can_decide:
        return
    send_link(None, order, event)


def after_release(inspection, *, actor: User | None) -> None:
    """The inspection is released: the customer gets the "inspection ready" message with a
    fresh link to the order, where it shows."""
    send_link(actor, inspection.work_order, "inspection_ready")
