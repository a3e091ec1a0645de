"""The stock ledger: every movement is a row, and the part's counters move with it.

Reserving is one conditional ``UPDATE ... WHERE on_hand - reserved >= quantity``:
of two desks reserving the last unit at the same moment exactly one
succeeds, on SQLite (one writer at a time) and on PostgreSQL (the row is
locked by the update), and a database CHECK keeps ``reserved <= on_hand``
whatever happens.
"""

import re
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import literal, select, update

from dealer.database import lock
from dealer.errors import DomainError, RuleBroken
from dealer.extensions import db
from dealer.hooks import Hook
from dealer.models import User
from dealer.money import round_money
from dealer.services import check_version, require_role
from dealer.types import FixedDecimal
from parts.models import PART_UNITS, Part, StockMovement

MAX_QUANTITY = Decimal("1000")
stock_arrived = Hook(
    "stock-arrived",
    "Called with the part and ``actor`` after parts come into stock, inside the receipt's "
    "transaction, so jobs waiting for the part take it (workorders connects this).",
)


def _quantity(value: Decimal):
    """A quantity bound in the column's stored units, also inside arithmetic and comparisons."""
    return literal(value, FixedDecimal(3))


def check_quantity(quantity: Decimal, field: str = "quantity") -> Decimal:
    """A positive quantity of at most 1000 with at most three decimals."""
    if not isinstance(quantity, Decimal) or not quantity.is_finite():
        raise DomainError(_l("Enter a number."), field)
    if quantity <= 0 or quantity > MAX_QUANTITY:
        raise DomainError(_l("A quantity is more than 0 and at most 1000."), field)
    if quantity.as_tuple().exponent < -3:
        raise DomainError(_l("At most 3 decimal places."), field)
    return quantity


def _moved(result, kind: str) -> None:
    """Refuse a movement the part's counters do not allow (never expected: the callers lock
    the parts line first; the condition keeps the ledger whole whatever happens)."""
    if result.rowcount != 1:
        raise RuleBroken(
            _l("The stock changed meanwhile: reload and try again (%(kind)s).", kind=kind)
        )


def _record(
    part: Part, kind: str, quantity: Decimal, actor: User | None, **fields
) -> StockMovement:
    movement = StockMovement(
        part_id=part.id, kind=kind, quantity=quantity, user_id=actor.id if actor else None, **fields
    )
    db.session.add(movement)
    return movement


def receive(
    actor: User | None,
    part: Part,
    quantity: Decimal,
    unit_cost: Decimal,
    note: str = "",
    supplier: str | None = None,
) -> None:
    """Take parts into stock at ``unit_cost`` from a supplier, moving the average cost."""
    check_quantity(quantity)
    if not isinstance(unit_cost, Decimal) or not 0 <= unit_cost <= Decimal("10000000"):
        raise DomainError(_l("An amount is between 0 and 10,000,000."), "unit_cost")
    lock(part, key_share=True)
    total_value = part.unit_cost * part.on_hand + unit_cost * quantity
    part.on_hand += quantity
    part.special_order = False
    part.unit_cost = round_money(total_value / part.on_hand)
    _record(
        part,
        "receipt",
        quantity,
        actor,
        unit_cost=unit_cost,
        note=note[:300] or None,
        supplier=(supplier or "").strip()[:120] or None,
    )
    db.session.flush()
    stock_arrived(part, actor=actor)


def reserve(
    actor: User | None,
    part: Part,
    quantity: Decimal,
    *,
    work_order_id: int | None = None,
    part_line_id: int | None = None,
    appointment_id: int | None = None,
) -> bool:
    """Reserve ``quantity`` for a parts line (or a booking) if it is available; returns
    whether it was."""
    result = db.session.execute(
        update(Part)
        .where(Part.id == part.id, Part.on_hand - Part.reserved >= _quantity(quantity))
        .values(reserved=Part.reserved + _quantity(quantity))
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.expire(part)
        return False
    db.session.expire(part)
    _record(
        part,
        "reservation",
        quantity,
        actor,
        work_order_id=work_order_id,
        part_line_id=part_line_id,
        appointment_id=appointment_id,
    )
    db.session.flush()
    return True


def release(
    actor: User | None,
    part: Part,
    quantity: Decimal,
    *,
    work_order_id: int | None = None,
    part_line_id: int | None = None,
    appointment_id: int | None = None,
) -> None:
    """Give back a reservation."""
    result = db.session.execute(
        update(Part)
        .where(Part.id == part.id, Part.reserved >= _quantity(quantity))
        .values(reserved=Part.reserved - _quantity(quantity))
        .execution_options(synchronize_session=False)
    )
    db.session.expire(part)
    _moved(result, "release")
    _record(
        part,
        "release",
        quantity,
        actor,
        work_order_id=work_order_id,
        part_line_id=part_line_id,
        appointment_id=appointment_id,
    )
    db.session.flush()


def issue(
    actor: User | None, part: Part, quantity: Decimal, *, work_order_id: int, part_line_id: int
) -> None:
    """Hand reserved parts out to a job: they leave stock and the reservation."""
    result = db.session.execute(
        update(Part)
        .where(
            Part.id == part.id,
            Part.reserved >= _quantity(quantity),
            Part.on_hand >= _quantity(quantity),
        )
        .values(
            reserved=Part.reserved - _quantity(quantity), on_hand=Part.on_hand - _quantity(quantity)
        )
        .execution_options(synchronize_session=False)
    )
    db.session.expire(part)
    _moved(result, "issue")
    _record(
        part,
        "issue",
        quantity,
        actor,
        unit_cost=part.unit_cost,
        work_order_id=work_order_id,
        part_line_id=part_line_id,
    )
    db.session.flush()


def part_number_key(text: str) -> str:
    """The form of a part number used to find it: upper case, no spaces, dashes or dots."""
    return re.sub(r"[\s\-./_]", "", text or "").upper()


def create_special_order(
    actor: User,
    site_id: int,
    *,
    part_number: str,
    name: str,
    unit_price: Decimal,
    supplier: str | None = None,
    genuine: bool = True,
) -> Part:
    """A part not in the catalogue, ordered for a customer's job: kept in the catalogue as a
    special order with nothing in stock, until its first receipt makes it an ordinary part.
    The desk orders it from the work order; the parts counter receives it."""
    require_role(actor, "advisor", "parts", "manager")
    supplier = (supplier or "").strip()
    if len(supplier) > 120:
        raise DomainError(_l("At most %(n)s characters.", n=120), "supplier")
    part = create_part(
        None, site_id, part_number=part_number, name=name, unit_price=unit_price, genuine=genuine
    )
    part.special_order = True
    part.supplier = supplier or None
    db.session.flush()
    return part


def create_part(
    actor: User | None,
    site_id: int,
    *,
    part_number: str,
    name: str,
    unit_price: Decimal,
    unit_cost: Decimal = Decimal("0"),
    genuine: bool = True,
    name_zh: str | None = None,
    brand: str | None = None,
    unit: str = "pcs",
    reorder_point: Decimal = Decimal("0"),
    reorder_quantity: Decimal = Decimal("0"),
    bin_location: str | None = None,
) -> Part:
    """Add a part to the catalogue."""

    require_role(actor, "parts", "manager")
    errors = []
    number = (part_number or "").strip()
    key = part_number_key(number)
    if not key or len(number) > 40:
        errors.append(("part_number", _l("Enter a part number of at most 40 characters.")))
    elif db.session.scalar(select(Part.id).where(Part.site_id == site_id, Part.number_key == key)):
        errors.append(("part_number", _l("This part number is in the catalogue already.")))
    name = (name or "").strip()
    if not name or len(name) > 200:
        errors.append(("name", _l("Enter the part's name (at most 200 characters).")))
    for field_name, amount in (("unit_price", unit_price), ("unit_cost", unit_cost)):
        if amount < 0 or amount > Decimal("10000000") or amount.as_tuple().exponent < -2:
            errors.append((field_name, _l("An amount is between 0 and 10,000,000.")))
    if unit not in PART_UNITS:
        errors.append(("unit", _l("The unit is pcs, L, kg or m.")))
    if reorder_point < 0 or reorder_point > Decimal("100000"):
        errors.append(("reorder_point", _l("The reorder point is between 0 and 100000.")))
    if reorder_quantity < 0 or reorder_quantity > Decimal("100000"):
        errors.append(("reorder_quantity", _l("The reorder quantity is between 0 and 100000.")))
    if errors:
        raise DomainError(errors)
    part = Part(
        site_id=site_id,
        part_number=number,
        number_key=key,
        name=name,
        name_zh=(name_zh or "").strip()[:200] or None,
        brand=(brand or "").strip()[:80] or None,
        genuine=genuine,
        unit=unit,
        unit_price=unit_price,
        unit_cost=unit_cost,
        reorder_point=reorder_point,
        reorder_quantity=reorder_quantity,
        bin_location=(bin_location or "").strip()[:40] or None,
    )
    db.session.add(part)
    db.session.flush()
    return part


def return_to_stock(
    actor: User | None, part: Part, quantity: Decimal, *, work_order_id: int, part_line_id: int
) -> None:
    """Take back parts issued to a job and not used."""
    db.session.execute(
        update(Part)
        .where(Part.id == part.id)
        .values(on_hand=Part.on_hand + _quantity(quantity))
        .execution_options(synchronize_session=False)
    )
    db.session.expire(part)
    _record(part, "return", quantity, actor, work_order_id=work_order_id, part_line_id=part_line_id)
    db.session.flush()


def adjust(
    actor: User | None, part: Part, change: Decimal, reason: str, *, write_off: bool = False
) -> None:
    """Correct the count after a stocktake, or write damaged parts off; never below the reserved."""
    require_role(actor, "parts", "manager")
    reason = (reason or "").strip()
    if not reason or len(reason) > 300:
        raise DomainError(_l("Give the reason (at most 300 characters)."), "reason")
    if not isinstance(change, Decimal) or change == 0 or abs(change) > MAX_QUANTITY * 100:
        raise DomainError(_l("Enter the change in stock, as 2 or -1."), "quantity")
    if change.as_tuple().exponent < -3:
        raise DomainError(_l("At most 3 decimal places."), "quantity")
    if write_off and change > 0:
        raise DomainError(_l("A write-off takes parts out of stock."), "quantity")
    result = db.session.execute(
        update(Part)
        .where(Part.id == part.id, Part.on_hand + _quantity(change) >= Part.reserved)
        .values(on_hand=Part.on_hand + _quantity(change))
        .execution_options(synchronize_session=False)
    )
    db.session.expire(part)
    if result.rowcount != 1:
        raise DomainError(_l("Stock cannot go below what is reserved for jobs."), "quantity")
    _record(part, "write_off" if write_off else "adjustment", change, actor, note=reason)
    db.session.flush()


def ledger_figures(part_id: int) -> tuple[Decimal, Decimal]:
    """On hand and reserved as the ledger alone says, to check the part's counters against."""
    on_hand = reserved = Decimal("0")
    for kind, quantity in db.session.execute(
        select(StockMovement.kind, StockMovement.quantity).where(StockMovement.part_id == part_id)
    ):
        if kind in ("receipt", "return", "adjustment", "write_off"):
            on_hand += quantity
        elif kind == "issue":
            on_hand -= quantity
            reserved -= quantity
        elif kind == "reservation":
            reserved += quantity
        elif kind == "release":
            reserved -= quantity
    return on_hand, reserved


def update_part(
    actor: User | None,
    part: Part,
    *,
    name: str,
    unit_price: Decimal,
    unit_cost: Decimal,
    genuine: bool,
    name_zh: str | None = None,
    brand: str | None = None,
    reorder_point: Decimal = Decimal("0"),
    reorder_quantity: Decimal = Decimal("0"),
    bin_location: str | None = None,
    active: bool = True,
    version: int | None = None,
) -> Part:
    """Change a catalogue part (its number and stock stay; stock moves only through the ledger)."""
    require_role(actor, "parts", "manager")
    check_version(part, version)
    errors = []
    name = (name or "").strip()
    if not name or len(name) > 200:
        errors.append(("name", _l("Enter the part's name (at most 200 characters).")))
    for field_name, amount in (("unit_price", unit_price), ("unit_cost", unit_cost)):
        if amount < 0 or amount > Decimal("10000000") or amount.as_tuple().exponent < -2:
            errors.append((field_name, _l("An amount is between 0 and 10,000,000.")))
    for field_name, amount in (
        ("reorder_point", reorder_point),
        ("reorder_quantity", reorder_quantity),
    ):
        if amount < 0 or amount > Decimal("100000"):
            errors.append((field_name, _l("Between 0 and 100000.")))
    if errors:
        raise DomainError(errors)
    part.name, part.unit_price, part.unit_cost, part.genuine = name, unit_price, unit_cost, genuine
    part.name_zh = (name_zh or "").strip()[:200] or None
    part.brand = (brand or "").strip()[:80] or None
    part.reorder_point, part.reorder_quantity = reorder_point, reorder_quantity
    part.bin_location = (bin_location or "").strip()[:40] or None
    part.active = active
    db.session.flush()
    return part
