"""A site's warranty terms: read with their defaults, changed by the warranty administrator
or the manager with each value checked and named when it is wrong."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask import g, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from dealer.errors import DomainError
from dealer.extensions import db
from dealer.models import User
from dealer.services import check_version, require_role, settings_for
from dealer.timeutil import zone
from dealer.types import utcnow
from warranty.models import WarrantySettings

WRITE = ("warranty", "manager")


def in_range(
    value, low: Decimal, high: Decimal | None, places: int, *, above: bool = False
) -> bool:
    """Whether ``value`` is a finite decimal from ``low`` (or ``above`` it) to ``high``, with
    at most ``places`` decimal places."""
    if not isinstance(value, Decimal) or not value.is_finite():
        return False
    if value < low or (above and value == low) or (high is not None and value > high):
        return False
    return value.as_tuple().exponent >= -places


def site_today(site_id: int) -> date:
    """Today's date where the site is."""
    return utcnow().astimezone(zone(settings_for(site_id).time_zone)).date()


def terms(site_id: int) -> WarrantySettings:
    """The site's terms, read once per request; a site that never saved any gets the
    defaults (not written)."""
    known = g.setdefault("warranty_terms", {}) if has_app_context() else {}
    found = known.get(site_id)
    if found is not None:
        return found
    found = db.session.scalar(select(WarrantySettings).where(WarrantySettings.site_id == site_id))
    if found is None:
        found = WarrantySettings(site_id=site_id)
        for column in WarrantySettings.__table__.columns:
            if column.default is not None and getattr(found, column.key) is None:
                setattr(found, column.key, column.default.arg)
    known[site_id] = found
    return found


@dataclass
class TermsInput:
    """The terms as entered (``parts_handling`` as a share: 0.15 for 15 %)."""

    labor_rate: Decimal
    parts_handling: Decimal
    keep_days: int
    period_years: int
    period_km: int
    repair_years: int
    repair_km: int
    same_fault_limit: int
    repair_days_limit: int
    warn_days: int


LIMITS = {
    "keep_days": (1, 3650),
    "period_years": (1, 20),
    "period_km": (1000, 1_000_000),
    "repair_years": (1, 20),
    "repair_km": (1000, 1_000_000),
    "same_fault_limit": (1, 20),
    "repair_days_limit": (1, 365),
    "warn_days": (0, 365),
}


def save_terms(
    actor: User | None, site_id: int, data: TermsInput, *, version: int | None = None
) -> WarrantySettings:
    """Check and save the site's terms."""
    require_role(actor, *WRITE)
    errors = []
    if data.labor_rate is None or not Decimal("0") <= data.labor_rate <= Decimal("100000"):
        errors.append(("labor_rate", _l("An amount between 0 and 100,000.")))
    if data.parts_handling is None or not Decimal("0") <= data.parts_handling <= Decimal("1"):
        errors.append(("parts_handling", _l("A percentage between 0 and 100.")))
    for name, (low, high) in LIMITS.items():
        value = getattr(data, name)
        if value is None or not low <= value <= high:
            errors.append(
                (name, _l("A whole number from %(low)s to %(high)s.", low=low, high=high))
            )
    if not errors and data.repair_years > data.period_years:
        errors.append(("repair_years", _l("The repair period cannot be longer than the period.")))
    if not errors and data.repair_km > data.period_km:
        errors.append(("repair_km", _l("The repair period cannot be longer than the period.")))
    if errors:
        raise DomainError(errors)
    found = terms(site_id)
    if found.id is not None:
        check_version(found, version)
    for name in TermsInput.__dataclass_fields__:
        value = getattr(data, name)
        if name in ("labor_rate",):
            value = value.quantize(Decimal("0.01"))
        if name == "parts_handling":
            value = value.quantize(Decimal("0.0001"))
        setattr(found, name, value)
    found.updated_by_id = actor.id if actor else None
    if found not in db.session:
        db.session.add(found)
    db.session.flush()
    return found
