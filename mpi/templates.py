"""The manager's inspection templates: kept whole (a template and its items change in one
go), checked item by item with errors naming the field, and one default per site. And the
rule a measurement follows by itself: past a threshold it suggests yellow or red."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from dealer.errors import DomainError
from dealer.extensions import db
from dealer.models import User
from dealer.roles import MANAGER
from dealer.services import check_version, require_role
from mpi.models import InspectionTemplate, TemplateItem
from mpi.vocabulary import Condition, ItemGroup, Worse

MAX_ITEMS = 80
MAX_MEASURE = Decimal("100000")
CODE = re.compile(r"^[a-z0-9_]{1,40}$")


@dataclass
class ItemInput:
    code: str
    group: str
    label: str
    label_zh: str
    unit: str | None = None
    worse: str | None = None
    yellow_at: Decimal | str | None = None
    red_at: Decimal | str | None = None


def suggest(item, measurement: Decimal | None) -> str | None:
    """The condition a measurement suggests by the item's thresholds (None: the item has no
    thresholds, or nothing was measured)."""
    if measurement is None or item.worse is None:
        return None
    lower = item.worse == Worse.LOWER.value

    def past(limit) -> bool:
        return limit is not None and (measurement <= limit if lower else measurement >= limit)

    if past(item.red_at):
        return Condition.RED.value
    if past(item.yellow_at):
        return Condition.YELLOW.value
    return Condition.GREEN.value


def _measure(value, field_name: str, errors: list) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        errors.append((field_name, _l("Enter a number.")))
        return None
    if not number.is_finite() or not 0 <= number <= MAX_MEASURE:
        errors.append((field_name, _l("A measurement is between 0 and 100,000.")))
        return None
    if number.as_tuple().exponent < -2:
        errors.append((field_name, _l("At most 2 decimal places.")))
        return None
    return number


def _text(value, field_name: str, limit: int, errors: list, *, required: bool = True):
    text = (value or "").strip()
    if required and not text:
        errors.append((field_name, _l("Fill this in.")))
    elif len(text) > limit:
        errors.append((field_name, _l("At most %(n)s characters.", n=limit)))
    return text or None


def _items(inputs: list[ItemInput]) -> list[TemplateItem]:
    if not inputs:
        raise DomainError(_l("A template has at least one item."), "items")
    if len(inputs) > MAX_ITEMS:
        raise DomainError(_l("At most %(n)s items.", n=MAX_ITEMS), "items")
    errors: list = []
    made, seen = [], set()
    for index, given in enumerate(inputs):
        where = f"items.{index}"
        code = (given.code or "").strip()
        if not CODE.match(code):
            errors.append((f"{where}.code", _l("A code of small letters, digits and _.")))
        elif code in seen:
            errors.append((f"{where}.code", _l("Each item has its own code.")))
        seen.add(code)
        if given.group not in ItemGroup.values():
            errors.append((f"{where}.group", _l("Choose the system the item belongs to.")))
        label = _text(given.label, f"{where}.label", 200, errors)
        label_zh = _text(given.label_zh, f"{where}.label_zh", 200, errors)
        unit = _text(given.unit, f"{where}.unit", 12, errors, required=False)
        yellow = _measure(given.yellow_at, f"{where}.yellow_at", errors)
        red = _measure(given.red_at, f"{where}.red_at", errors)
        worse = given.worse or None
        if worse is not None and worse not in Worse.values():
            errors.append((f"{where}.worse", _l("Choose whether lower or higher is worse.")))
        if (yellow is not None or red is not None) and (worse is None or unit is None):
            errors.append(
                (f"{where}.worse", _l("A threshold needs the unit and which way is worse."))
            )
        if yellow is not None and red is not None and worse in Worse.values():
            further = red < yellow if worse == Worse.LOWER.value else red > yellow
            if not further:
                errors.append((f"{where}.red_at", _l("Red lies beyond yellow.")))
        made.append(
            TemplateItem(
                position=index,
                code=code,
                item_group=given.group,
                label=label or "",
                label_zh=label_zh or "",
                unit=unit,
                worse=worse if (yellow is not None or red is not None) else None,
                yellow_at=yellow,
                red_at=red,
            )
        )
    if errors:
        raise DomainError(errors)
    return made


def save_template(
    actor: User,
    site_id: int,
    *,
    name: str,
    items: list[ItemInput],
    name_zh: str | None = None,
    is_default: bool = False,
    template: InspectionTemplate | None = None,
    version: int | None = None,
) -> InspectionTemplate:
    """Keep a new template, or change one (its items replaced whole), not committed. The
    default template is the one an inspection starts from when none is named."""
    require_role(actor, MANAGER)
    if template is not None:
        check_version(template, version)
    errors: list = []
    name = _text(name, "name", 120, errors) or ""
    name_zh = _text(name_zh, "name_zh", 120, errors, required=False)
    taken = db.session.scalar(
        select(InspectionTemplate.id).where(
            InspectionTemplate.site_id == site_id,
            InspectionTemplate.name == name,
            InspectionTemplate.id != (template.id if template is not None else 0),
        )
    )
    if taken is not None:
        errors.append(("name", _l("Another template has this name.")))
    try:
        made = _items(items)
    except DomainError as exc:
        errors.extend(exc.errors)
    if errors:
        raise DomainError(errors)
    if template is None:
        template = InspectionTemplate(site_id=site_id)
        db.session.add(template)
    else:
        template.items.clear()
        db.session.flush()
    template.name, template.name_zh = name, name_zh
    template.items.extend(made)
    template.updated_by_id = actor.id
    if is_default:
        db.session.flush()
        db.session.execute(
            update(InspectionTemplate)
            .where(InspectionTemplate.site_id == site_id, InspectionTemplate.id != template.id)
            .values(is_default=False)
            .execution_options(synchronize_session="fetch")
        )
    template.is_default = bool(is_default)
    db.session.flush()
    return template


def templates_of(site_id: int) -> list[InspectionTemplate]:
    """The site's templates, the default first."""
    return list(
        db.session.scalars(
            select(InspectionTemplate)
            .where(InspectionTemplate.site_id == site_id, InspectionTemplate.active.is_(True))
            .order_by(InspectionTemplate.is_default.desc(), InspectionTemplate.name)
        )
    )


def default_template(site_id: int) -> InspectionTemplate | None:
    """The template an inspection starts from when none is named."""
    found = templates_of(site_id)
    return found[0] if found else None
