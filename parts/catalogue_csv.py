"""The parts catalogue in and out of CSV.

An import is read whole and checked row by row first; it is applied only
when no row has an error, in one transaction, so a file with a broken
row changes nothing. Known part numbers are updated, new ones added;
stock figures never come from a catalogue file (they move only through
the ledger).
"""

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import partial

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from dealer.errors import DomainError
from dealer.extensions import db
from dealer.models import User
from dealer.services import require_role
from dealer.spreadsheet import SafeWriter, unquote_cell
from parts.models import PART_UNITS, Part
from parts.stock import part_number_key

COLUMNS = (
    "part_number",
    "name",
    "name_zh",
    "brand",
    "genuine",
    "unit",
    "unit_cost",
    "unit_price",
    "reorder_point",
    "reorder_quantity",
    "bin_location",
    "active",
)
REQUIRED = ("part_number", "name", "unit_price")
STOCK_COLUMNS = ("on_hand", "reserved", "available")
"""Written by the export, ignored by the import: stock moves only through the ledger."""
YES = {"1", "yes", "y", "true", "genuine", "是", "原厂"}
NO = {"0", "no", "n", "false", "aftermarket", "否", "副厂"}
MAX_ROWS = 100_000


@dataclass
class RowError:
    """What is wrong with one row (numbered as in the file, header = 1)."""

    row: int
    field: str
    message: str


@dataclass
class ImportPlan:
    """What an import would do."""

    rows: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    new: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def _note(problems: list[tuple[str, str]], name: str, message) -> None:
    problems.append((name, str(message)))


def _decimal(text: str, places: int, low: Decimal, high: Decimal) -> Decimal:
    value = Decimal(text.replace(",", "").strip())
    if not value.is_finite() or value.as_tuple().exponent < -places or not low <= value <= high:
        raise InvalidOperation
    return value


def _flag(text: str, default: bool) -> bool:
    text = text.strip().lower()
    if not text:
        return default
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError


def plan_import(site_id: int, text: str) -> ImportPlan:
    """Read a CSV (UTF-8, header row) and check every row; nothing is written."""
    plan = ImportPlan()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    headers = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in headers]
    unknown = [h for h in headers if h not in COLUMNS and h not in STOCK_COLUMNS]
    if missing:
        plan.errors.append(RowError(1, ", ".join(missing), str(_l("Missing column."))))
    if unknown:
        plan.errors.append(RowError(1, ", ".join(unknown), str(_l("Unknown column."))))
    if plan.errors:
        return plan
    existing = {
        key: part_id
        for key, part_id in db.session.execute(
            select(Part.number_key, Part.id).where(Part.site_id == site_id)
        )
    }
    seen: dict[str, int] = {}
    for number, raw in enumerate(reader, start=2):
        if number > MAX_ROWS + 1:
            plan.errors.append(RowError(number, "", str(_l("At most 100,000 rows in one file."))))
            break
        row = {
            k.strip(): unquote_cell((v or "").strip())
            for k, v in raw.items()
            if k and k.strip() not in STOCK_COLUMNS
        }
        if not any(row.values()):
            continue
        problems: list[tuple[str, str]] = []
        fail = partial(_note, problems)

        key = part_number_key(row.get("part_number", ""))
        if not key or len(row["part_number"]) > 40:
            fail("part_number", _l("Enter a part number of at most 40 characters."))
        elif key in seen:
            fail("part_number", _l("The same part number is on row %(row)s too.", row=seen[key]))
        else:
            seen[key] = number
        if not row.get("name") or len(row["name"]) > 200:
            fail("name", _l("Enter the part's name (at most 200 characters)."))
        clean = {
            "part_number": row.get("part_number", ""),
            "number_key": key,
            "name": row.get("name", ""),
        }
        for name, places, high in (
            ("unit_price", 2, Decimal("10000000")),
            ("unit_cost", 2, Decimal("10000000")),
            ("reorder_point", 3, Decimal("100000")),
            ("reorder_quantity", 3, Decimal("100000")),
        ):
            text_value = row.get(name, "")
            if not text_value:
                if name == "unit_price":
                    fail(name, _l("Enter an amount."))
                continue
            try:
                clean[name] = _decimal(text_value, places, Decimal("0"), high)
            except (InvalidOperation, ValueError):
                fail(name, _l("Not a number in range, or too many decimal places."))
        for name, default in (("genuine", True), ("active", True)):
            try:
                clean[name] = _flag(row.get(name, ""), default)
            except ValueError:
                fail(name, _l("Write yes or no."))
        unit = row.get("unit", "") or "pcs"
        if unit not in PART_UNITS:
            fail("unit", _l("The unit is pcs, L, kg or m."))
        clean["unit"] = unit
        for name, limit in (("name_zh", 200), ("brand", 80), ("bin_location", 40)):
            value = row.get(name, "")
            if len(value) > limit:
                fail(name, _l("At most %(n)s characters.", n=limit))
            clean[name] = value or None
        plan.errors.extend(RowError(number, name, message) for name, message in problems)
        if not problems:
            clean["id"] = existing.get(key)
            plan.rows.append(clean)
            if clean["id"]:
                plan.updated += 1
            else:
                plan.new += 1
    return plan


def apply_import(
    actor: User | None,
    site_id: int,
    plan: ImportPlan,
    progress: Callable[[int], None] | None = None,
) -> ImportPlan:
    """Write a checked plan: all of it, or nothing when any row has an error."""
    require_role(actor, "parts", "manager")
    if plan.errors:
        raise DomainError(_l("Fix the rows with errors first; nothing was imported."), "file")
    for index, row in enumerate(plan.rows, start=1):
        part = db.session.get(Part, row["id"]) if row["id"] else Part(site_id=site_id)
        for name, value in row.items():
            if name != "id":
                setattr(part, name, value)
        db.session.add(part)
        if index % 500 == 0:
            db.session.flush()
            if progress:
                progress(500)
    db.session.flush()
    if progress:
        progress(len(plan.rows) % 500)
    return plan


def export_rows(site_id: int) -> Iterable[list[str]]:
    """The catalogue with its stock, as CSV rows (header first)."""
    yield [*COLUMNS, *STOCK_COLUMNS]
    for part in db.session.scalars(
        select(Part).where(Part.site_id == site_id).order_by(Part.number_key)
    ):
        yield [
            part.part_number,
            part.name,
            part.name_zh or "",
            part.brand or "",
            "yes" if part.genuine else "no",
            part.unit,
            str(part.unit_cost),
            str(part.unit_price),
            str(part.reorder_point.normalize()),
            str(part.reorder_quantity.normalize()),
            part.bin_location or "",
            "yes" if part.active else "no",
            str(part.on_hand.normalize()),
            str(part.reserved.normalize()),
            str(part.available.normalize()),
        ]


def export_csv(site_id: int) -> str:
    """The catalogue as CSV text (UTF-8 with a BOM, so spreadsheets read Chinese right)."""
    out = io.StringIO()
    out.write("\ufeff")
    SafeWriter(out).writerows(export_rows(site_id))
    return out.getvalue()
