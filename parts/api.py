"""JSON API of the parts counter: the catalogue, receipts, adjustments and the ledger."""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from flask import Blueprint, g
from pydantic import Field
from sqlalchemy import func, or_, select

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
from dealer.errors import NotFound
from dealer.extensions import db
from dealer.roles import ADVISOR, MANAGER, PARTS, TECHNICIAN
from parts.models import Part, StockMovement
from parts.stock import adjust, create_part, part_number_key, receive
from parts.vocabulary import Unit

bp = Blueprint("parts_api", __name__, url_prefix=API_PREFIX)

PARTS_READ = (PARTS, MANAGER, ADVISOR, TECHNICIAN)
PARTS_WRITE = (PARTS, MANAGER)


class PartQuery(PageQuery):
    q: str = Field("", max_length=60)


class PartCreate(Input):
    part_number: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    name_zh: str | None = Field(None, max_length=200)
    brand: str | None = Field(None, max_length=80)
    genuine: bool = True
    unit: Literal[Unit.values()] = Unit.PCS.value
    unit_cost: MoneyIn = Decimal("0")
    unit_price: MoneyIn
    reorder_point: NumberIn = Decimal("0")
    reorder_quantity: NumberIn = Decimal("0")
    bin_location: str | None = Field(None, max_length=40)


class PartOut(Output):
    id: int
    part_number: str
    name: str
    name_zh: str | None
    brand: str | None
    genuine: bool
    unit: str
    unit_cost: MoneyOut
    unit_price: MoneyOut
    on_hand: NumberOut
    reserved: NumberOut
    available: NumberOut
    reorder_point: NumberOut
    reorder_quantity: NumberOut
    bin_location: str | None
    active: bool


class ReceiptIn(Input):
    quantity: NumberIn
    unit_cost: MoneyIn
    supplier: str | None = Field(None, max_length=120)
    note: str = Field("", max_length=300)


PARTS_READ = (PARTS, MANAGER, ADVISOR, TECHNICIAN)
PARTS_WRITE = (PARTS, MANAGER)


def _part(part_id: int) -> Part:
    part = db.session.get(Part, part_id)
    if part is None or part.site_id != g.actor.site_id:
        raise NotFound("No such part.")
    return part


@endpoint(
    bp,
    "/parts",
    roles=PARTS_READ,
    summary="Find parts by number or name",
    query=PartQuery,
    response=PartOut,
    paged=True,
)
def list_parts(query: PartQuery):
    stmt = select(Part).where(Part.site_id == g.actor.site_id)
    if query.q:
        text_ = query.q.strip()
        stmt = stmt.where(
            or_(
                Part.number_key.contains(part_number_key(text_), autoescape=True),
                func.lower(Part.name).contains(text_.lower(), autoescape=True),
                Part.name_zh.contains(text_, autoescape=True),
            )
        )
    return page_of(stmt.order_by(Part.number_key), query, PartOut)


@endpoint(
    bp, "/parts/<int:part_id>", roles=PARTS_READ, summary="A part with its stock", response=PartOut
)
def get_part(part_id: int):
    return PartOut.model_validate(_part(part_id))


@endpoint(
    bp,
    "/parts",
    method="POST",
    roles=PARTS_WRITE,
    summary="Add a part to the catalogue",
    body=PartCreate,
    response=PartOut,
    status=201,
    idempotent=True,
)
def post_part(body: PartCreate):
    part = create_part(g.actor, g.actor.site_id, **body.model_dump())
    return PartOut.model_validate(part)


@endpoint(
    bp,
    "/parts/<int:part_id>/receipts",
    method="POST",
    roles=PARTS_WRITE,
    summary="Receive parts into stock",
    body=ReceiptIn,
    response=PartOut,
    status=201,
    idempotent=True,
)
def post_receipt(part_id: int, body: ReceiptIn):
    part = _part(part_id)
    receive(g.actor, part, body.quantity, body.unit_cost, body.note, supplier=body.supplier)
    return PartOut.model_validate(part)


class AdjustmentIn(Input):
    quantity: NumberIn = Field(description="The change in stock: positive adds, negative takes out")
    reason: str = Field(min_length=1, max_length=300)
    write_off: bool = False


@endpoint(
    bp,
    "/parts/<int:part_id>/adjustments",
    method="POST",
    roles=PARTS_WRITE,
    summary="Correct stock after a stocktake, or write parts off",
    body=AdjustmentIn,
    response=PartOut,
    status=201,
    idempotent=True,
)
def post_adjustment(part_id: int, body: AdjustmentIn):
    part = _part(part_id)
    adjust(g.actor, part, body.quantity, body.reason, write_off=body.write_off)
    return PartOut.model_validate(part)


class MovementOut(Output):
    id: int
    kind: str
    quantity: NumberOut
    unit_cost: MoneyOut | None
    work_order_id: int | None
    supplier: str | None
    note: str | None
    at: datetime


@endpoint(
    bp,
    "/parts/<int:part_id>/movements",
    roles=PARTS_READ,
    summary="A part's stock ledger",
    query=PageQuery,
    response=MovementOut,
    paged=True,
)
def list_movements(part_id: int, query: PageQuery):
    part = _part(part_id)
    stmt = (
        select(StockMovement)
        .where(StockMovement.part_id == part.id)
        .order_by(StockMovement.id.desc())
    )
    return page_of(stmt, query, MovementOut)
