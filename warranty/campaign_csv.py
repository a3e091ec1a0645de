"""The manufacturer's campaign file: one row per car named, the campaign's facts repeated on
each row (code, kind, titles, labor operation, hours, parts, end date) and the VIN.

The file is read whole and checked row by row first, as the parts catalogue is: a row whose
campaign facts differ from the first row of the same code, a bad VIN or a part the catalogue
does not know is named with its row and column, and nothing is written while any row has an
error. A code the site knows already gets the new VINs; its facts stay as entered. Written,
the VINs go in chunks of plain inserts, so 100,000 load in seconds."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from customers.vin import check_vin
from dealer.errors import DomainError
from dealer.extensions import db
from dealer.models import User
from dealer.services import require_role
from dealer.spreadsheet import unquote_cell
from parts.catalogue_csv import RowError
from warranty import campaigns
from warranty.campaigns import CampaignInput
from warranty.models import Campaign

COLUMNS = (
    "code",
    "kind",
    "title",
    "title_zh",
    "labor_op",
    "labor_hours",
    "parts",
    "ends_on",
    "vin",
)
REQUIRED = ("code", "kind", "title", "labor_hours", "vin")
FACTS = ("kind", "title", "title_zh", "labor_op", "labor_hours", "parts", "ends_on")
MAX_ROWS = 200_000
MAX_ERRORS = 1000
KINDS = {
    "recall": "recall",
    "召回": "recall",
    "service_campaign": "service_campaign",
    "campaign": "service_campaign",
    "服务活动": "service_campaign",
}


@dataclass
class CampaignPlan:
    """What an import would do: the campaigns it names (new or known) and their VINs."""

    campaigns: dict[str, CampaignInput] = field(default_factory=dict)
    known: dict[str, int] = field(default_factory=dict)
    vins: dict[str, list[str]] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and self.rows > 0

    @property
    def new_campaigns(self) -> int:
        return sum(1 for code in self.campaigns if code not in self.known)

    @property
    def vin_count(self) -> int:
        return sum(len(v) for v in self.vins.values())


def parse_parts(text: str) -> list[tuple[str, Decimal]]:
    """``P1:2;P2`` as [(P1, 2), (P2, 1)]."""
    found = []
    for piece in (text or "").replace("；", ";").split(";"):
        piece = piece.strip()
        if not piece:
            continue
        number, _sep, quantity = piece.partition(":")
        found.append((number.strip().upper(), Decimal(quantity.strip() or "1")))
    return found


def _facts(site_id: int, raw: dict, number: int, plan: CampaignPlan) -> CampaignInput | None:
    errors = []
    kind = KINDS.get(raw["kind"].strip().lower())
    if kind is None:
        errors.append(("kind", _l("Write recall or service_campaign.")))
    try:
        hours = Decimal(raw["labor_hours"].strip())
    except InvalidOperation:
        hours = None
    try:
        parts = parse_parts(raw["parts"])
    except InvalidOperation:
        parts = []
        errors.append(("parts", _l("Write parts as number:quantity, separated by ;.")))
    ends_on = None
    if raw["ends_on"].strip():
        try:
            ends_on = date.fromisoformat(raw["ends_on"].strip())
        except ValueError:
            errors.append(("ends_on", _l("A date as 2027-06-30.")))
    data = CampaignInput(
        code=raw["code"].strip().upper(),
        kind=kind or "",
        title=raw["title"].strip(),
        title_zh=raw["title_zh"].strip() or None,
        labor_op=raw["labor_op"].strip() or None,
        labor_hours=hours,
        ends_on=ends_on,
        parts=parts,
    )
    if kind is not None:
        errors.extend(
            (name, message)
            for name, message in campaigns.check_campaign(site_id, data)
            if name not in ("kind",)
        )
    plan.errors.extend(RowError(number, name, str(message)) for name, message in errors)
    return None if errors else data


def plan_import(site_id: int, text: str) -> CampaignPlan:
    """Read a campaign file (UTF-8 CSV with a header row) and check every row; nothing is
    written."""
    plan = CampaignPlan()
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    headers = [h.strip().lower() for h in next(reader, [])]
    missing = [c for c in REQUIRED if c not in headers]
    unknown = [h for h in headers if h not in COLUMNS]
    if missing:
        plan.errors.append(RowError(1, ", ".join(missing), str(_l("Missing column."))))
    if unknown:
        plan.errors.append(RowError(1, ", ".join(unknown), str(_l("Unknown column."))))
    if plan.errors:
        return plan
    where = {name: headers.index(name) for name in COLUMNS if name in headers}
    first_row: dict[str, tuple[int, tuple]] = {}
    seen: dict[tuple[str, str], int] = {}
    known = dict(db_codes(site_id))
    for number, cells in enumerate(reader, start=2):
        if number > MAX_ROWS + 1:
            plan.errors.append(RowError(number, "", str(_l("At most 200,000 rows in one file."))))
            break
        if len(plan.errors) >= MAX_ERRORS:
            plan.errors.append(RowError(number, "", str(_l("Too many errors; checking stopped."))))
            break
        if not any(cell.strip() for cell in cells):
            continue
        raw = {name: unquote_cell(cells[i]) if i < len(cells) else "" for name, i in where.items()}
        for name in COLUMNS:
            raw.setdefault(name, "")
        plan.rows += 1
        code = raw["code"].strip().upper()
        if not code or len(code) > 40:
            plan.errors.append(
                RowError(
                    number, "code", str(_l("Enter the campaign's code (at most 40 characters)."))
                )
            )
            continue
        facts = tuple(raw[name].strip() for name in FACTS)
        if code not in first_row:
            first_row[code] = (number, facts)
            if code in known:
                plan.known[code] = known[code]
                plan.campaigns[code] = CampaignInput(code=code, kind="", title="", labor_hours=None)
                plan.vins[code] = []
            else:
                data = _facts(site_id, raw, number, plan)
                if data is not None:
                    plan.campaigns[code] = data
                    plan.vins[code] = []
        elif facts != first_row[code][1] and code not in known:
            plan.errors.append(
                RowError(
                    number,
                    "code",
                    str(
                        _l(
                            "The campaign's facts differ from its first row (%(row)s).",
                            row=first_row[code][0],
                        )
                    ),
                )
            )
            continue
        verdict = check_vin(raw["vin"])
        if verdict.error:
            plan.errors.append(RowError(number, "vin", str(_l("Not a valid VIN."))))
            continue
        if (code, verdict.vin) in seen:
            plan.errors.append(
                RowError(
                    number,
                    "vin",
                    str(_l("The same VIN is on row %(row)s too.", row=seen[(code, verdict.vin)])),
                )
            )
            continue
        seen[(code, verdict.vin)] = number
        if code in plan.vins:
            plan.vins[code].append(verdict.vin)
    if not plan.rows and not plan.errors:
        plan.errors.append(RowError(2, "", str(_l("The file has no rows."))))
    return plan


def db_codes(site_id: int):
    """The site's campaign codes with their ids."""
    return db.session.execute(
        select(Campaign.code, Campaign.id).where(Campaign.site_id == site_id)
    ).all()


@dataclass
class ImportResult:
    """What an import did."""

    campaigns: int = 0
    added: int = 0
    already: int = 0


def apply_import(actor: User | None, site_id: int, plan: CampaignPlan) -> ImportResult:
    """Write a checked plan: all of it, or nothing when any row has an error."""
    require_role(actor, *campaigns.WRITE)
    if plan.errors:
        raise DomainError(_l("Fix the rows with errors first; nothing was imported."), "file")
    result = ImportResult()
    for code, data in plan.campaigns.items():
        if code in plan.known:
            campaign = db.session.get(Campaign, plan.known[code])
        else:
            campaign = campaigns.create_campaign(actor, site_id, data)
            result.campaigns += 1
        added = campaigns.add_vins(actor, campaign, plan.vins[code], checked=True)
        result.added += added.added
        result.already += added.already
    return result
