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
from sqlalchemy import update

from dealer.errors import DomainError
from dealer.extensions import db
from dealer.models import Part, StockMovement, User
from dealer.money import round_money

MAX_QUANTITY = Decimal("1000")


def check_quantity(quantity: Decimal, field: str = "quantity") -> Decimal:
    """A positive quantity of at most 1000 with at most three decimals."""
    if not isinstance(quantity, Decimal) or not quantity.is_finite():
        raise DomainError(_l("Enter a number."), field)
    if quantity <= 0 or quantity > MAX_QUANTITY:
        raise DomainError(_l("A quantity is more than 0 and at most 1000."), field)
    if quantity.as_tuple().exponent < -3:
        raise DomainError(_l("At most 3 decimal places."), field)
    return quantity


def _record(
    part: Part, kind: str, quantity: Decimal, actor: User | None, **fields
) -> StockMovement:
    movement = StockMovement(
        part_id=part.id, kind=kind, quantity=quantity, user_id=actor.id if actor else None, **fields
    )
    db.session.add(movement)
    return movement


def receive(
    actor: User | None, part: Part, quantity: Decimal, unit_cost: Decimal, note: str = ""
) -> None:
    """Take parts into stock at ``unit_cost``, moving the average cost."""
    check_quantity(quantity)
    db.session.refresh(part, with_for_update=True)
    total_value = part.unit_cost * part.on_hand + unit_cost * quantity
    part.on_hand += quantity
    part.unit_cost = round_money(total_value / part.on_hand)
    _record(part, "receipt", quantity, actor, unit_cost=unit_cost, note=note[:300] or None)
    db.session.flush()


def reserve(
    actor: User | None, part: Part, quantity: Decimal, *, work_order_id: int, part_line_id: int
) -> bool:
    """Reserve ``quantity`` for a parts line if it is available; returns whether it was."""
    result = db.session.execute(
        update(Part)
        .where(Part.id == part.id, Part.on_hand - Part.reserved >= quantity)
        .values(reserved=Part.reserved + quantity)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.expire(part)
        return False
    db.session.expire(part)
    _record(
        part, "reservation", quantity, actor, work_order_id=work_order_id, part_line_id=part_line_id
    )
    db.session.flush()
    return True


def release(
    actor: User | None, part: Part, quantity: Decimal, *, work_order_id: int, part_line_id: int
) -> None:
    """Give back a reservation."""
    db.session.execute(
        update(Part)
        .where(Part.id == part.id)
        .values(reserved=Part.reserved - quantity)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(part)
    _record(
        part, "release", quantity, actor, work_order_id=work_order_id, part_line_id=part_line_id
    )
    db.session.flush()


def issue(
    actor: User | None, part: Part, quantity: Decimal, *, work_order_id: int, part_line_id: int
) -> None:
    """Hand reserved parts out to a job: they leave stock and the reservation."""
    db.session.execute(
        update(Part)
        .where(Part.id == part.id)
        .values(reserved=Part.reserved - quantity, on_hand=Part.on_hand - quantity)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(part)
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
) -> Part:
    """Add a part to the catalogue."""
    from sqlalchemy import select

    from dealer.models import PART_UNITS
    from dealer.services import require_role

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
    )
    db.session.add(part)
    db.session.flush()
    return part
