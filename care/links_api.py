"""JSON API of the customer's link: the desk makes and revokes links; the customer, with
only the token, reads the order as the link shows it and sends a decision."""

from datetime import datetime
from typing import Literal

from flask import g, request
from pydantic import Field
from werkzeug.exceptions import NotFound

from care import links, notices
from care.api import bp
from care.public import guard
from care.vocabulary import MessageChannel
from dealer.apikit import Input, MoneyOut, Output, endpoint
from dealer.roles import ADVISOR, MANAGER
from workorders.api import load_order
from workorders.schemas import AuthorizationOut, TotalsOut

DESK = (ADVISOR, MANAGER)


class LinkIn(Input):
    channel: Literal[MessageChannel.values()] | None = None
    expires_in_hours: int = Field(default=links.DEFAULT_HOURS, ge=1, le=links.MAX_HOURS)


class LinkOut(Output):
    id: int
    url: str
    expires_at: datetime
    message_id: int | None = None


class RevokedOut(Output):
    revoked: int


class LinkVehicle(Output):
    plate: str
    model: str


class LinkJobTotals(Output):
    labor: MoneyOut
    parts: MoneyOut
    tax: MoneyOut
    total: MoneyOut


class LinkJob(Output):
    id: int
    title: str
    status: str
    pay_type: str
    totals: LinkJobTotals
    decision_needed: bool


class LinkStep(Output):
    status: str
    at: datetime | None
    done: bool
    current: bool


class LinkPhoto(Output):
    id: int
    panel: str
    url: str


class LinkOrderOut(Output):
    number: str
    status: str
    vehicle: LinkVehicle
    timeline: list[LinkStep]
    jobs: list[LinkJob]
    totals: TotalsOut
    photos: list[LinkPhoto]
    inspection: dict | None = None


class DecisionIn(Input):
    approve: list[int] = Field(default_factory=list, max_length=200)
    decline: list[int] = Field(default_factory=list, max_length=200)
    name: str = Field(max_length=120)
    signature: str | None = Field(default=None, max_length=800_000)


@endpoint(
    bp,
    "/work-orders/<int:order_id>/links",
    roles=DESK,
    method="POST",
    status=201,
    summary="A new link for the customer to follow the order and decide on its work",
    body=LinkIn,
    response=LinkOut,
)
def post_link(order_id: int, body: LinkIn):
    order = load_order(order_id)
    message = None
    if body.channel is not None:
        message, link, url = notices.send_link(
            g.actor,
            order,
            notices.event_for(order),
            channel=body.channel,
            hours=body.expires_in_hours,
        )
    else:
        link, token = links.issue_link(g.actor, order, hours=body.expires_in_hours)
        url = links.link_url(token)
    return LinkOut(
        id=link.id,
        url=url,
        expires_at=link.expires_at,
        message_id=message.id if message is not None else None,
    )


@endpoint(
    bp,
    "/work-orders/<int:order_id>/links/revoke",
    roles=DESK,
    method="POST",
    summary="Stop every link of the order",
    response=RevokedOut,
)
def post_revoke_links(order_id: int):
    order = load_order(order_id)
    return RevokedOut(revoked=links.revoke_links(g.actor, order))


def order_for_link(token: str):
    guard(token)
    link = links.find_link(token)
    if link is None:
        raise NotFound("No such link.")
    return link


def link_order_out(link, token: str) -> LinkOrderOut:
    view = links.customer_view(link.work_order)
    order = view.order
    return LinkOrderOut(
        number=order.number,
        status=order.status,
        vehicle=LinkVehicle(plate=order.vehicle.plate, model=order.vehicle.model or ""),
        timeline=[LinkStep(**step.__dict__) for step in view.steps],
        jobs=[
            LinkJob(
                id=line.id,
                title=line.title,
                status=line.status,
                pay_type=line.pay_type,
                totals=LinkJobTotals(
                    labor=line.labor, parts=line.parts, tax=line.tax, total=line.total
                ),
                decision_needed=line.decision_needed,
            )
            for line in view.jobs
        ],
        totals=TotalsOut.model_validate(view.totals.__dict__),
        photos=[
            LinkPhoto(
                id=photo.id,
                panel=photo.panel,
                url=request.host_url.rstrip("/") + links.photo_path(token, photo.id),
            )
            for photo in order.photos
        ],
    )


@endpoint(
    bp,
    "/links/<token>",
    roles=(),
    public=True,
    summary="The order as the customer's link shows it (the token is the credential)",
    response=LinkOrderOut,
)
def get_link(token: str):
    return link_order_out(order_for_link(token), token)


@endpoint(
    bp,
    "/links/<token>/decision",
    roles=(),
    public=True,
    method="POST",
    status=201,
    summary="The customer approves and declines the work waiting, and signs",
    body=DecisionIn,
    response=AuthorizationOut,
)
def post_link_decision(token: str, body: DecisionIn):
    link = order_for_link(token)
    return links.decide(
        link,
        approve=body.approve,
        decline=body.decline,
        name=body.name,
        signature=body.signature,
        address=request.remote_addr,
        user_agent=request.headers.get("User-Agent"),
    )
