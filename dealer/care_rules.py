"""The site's callback rules and VIP tiers, as a manager sets them: each rule's numbers
within bounds, holiday dates well formed, tiers with a spend and a number of visits."""

import re
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from dealer.errors import DomainError
from dealer.extensions import db
from dealer.models import DealerSettings, User
from dealer.services import require_manager

HOLIDAY_DATE = re.compile(r"^(\d{4}-)?\d{2}-\d{2}$")
RULE_LIMITS = {
    "satisfaction": {"days": (0, 60)},
    "declined_work": {"days": (0, 365)},
    "service_reminder": {"months": (1, 36), "km": (500, 100_000), "days_ahead": (0, 90)},
    "vip_care": {"days_ahead": (0, 30)},
    "complaint_follow_up": {"days": (0, 60)},
}


def _holiday_dates(name: str, dates) -> list[str]:
    cleaned = []
    for text in dates if isinstance(dates, list) else []:
        text = str(text).strip()
        try:
            if not HOLIDAY_DATE.match(text):
                raise ValueError
            date.fromisoformat(text if len(text) == 10 else f"2000-{text}")
        except ValueError:
            raise DomainError(
                _l("Dates as MM-DD (every year) or YYYY-MM-DD."), f"holidays.{name}"
            ) from None
        cleaned.append(text)
    return cleaned


def check_callback_rules(rules: dict) -> dict:
    """Each callback rule on or off with whole numbers in range; holidays as dates."""
    cleaned, errors = {}, []
    for kind, limits in RULE_LIMITS.items():
        given = rules.get(kind) or {}
        rule = {"enabled": bool(given.get("enabled"))}
        for name, (low, high) in limits.items():
            try:
                value = int(given.get(name))
            except (TypeError, ValueError):
                value = None
            if value is None or not low <= value <= high:
                errors.append(
                    (
                        f"{kind}.{name}",
                        _l("A whole number from %(low)s to %(high)s.", low=low, high=high),
                    )
                )
            rule[name] = value
        cleaned[kind] = rule
    care = rules.get("vip_care") or {}
    cleaned["vip_care"]["birthday"] = bool(care.get("birthday"))
    holidays = {}
    for name, dates in (care.get("holidays") or {}).items():
        try:
            holidays[name] = _holiday_dates(name, dates)
        except DomainError as exc:
            errors.extend(exc.errors)
    cleaned["vip_care"]["holidays"] = holidays
    if errors:
        raise DomainError(errors)
    return cleaned


def check_vip_tiers(tiers: list[dict]) -> list[dict]:
    """Named tiers with a 12-month spend and visit count, highest spend first."""
    cleaned, errors, names = [], [], set()
    for index, tier in enumerate(tiers):
        name = str(tier.get("name") or "").strip()
        if not name:
            continue
        if len(name) > 20 or name in names:
            errors.append(
                (f"tiers.{index}.name", _l("Tier names are unique, at most 20 characters."))
            )
        names.add(name)
        try:
            spend = Decimal(str(tier.get("spend")))
            visits = int(tier.get("visits"))
            if not spend.is_finite() or spend < 0 or spend > Decimal("100000000") or visits < 0:
                raise ValueError
        except (ArithmeticError, TypeError, ValueError):
            errors.append(
                (
                    f"tiers.{index}",
                    _l("Spend is an amount and visits a whole number, neither below 0."),
                )
            )
            continue
        cleaned.append(
            {"name": name, "spend": str(spend.quantize(Decimal("0.01"))), "visits": visits}
        )
    if errors:
        raise DomainError(errors)
    return sorted(cleaned, key=lambda t: (Decimal(t["spend"]), t["visits"]), reverse=True)


def update_callback_rules(
    actor: User | None, settings: DealerSettings, rules: dict, tiers: list[dict]
) -> None:
    """Change the callback rules and VIP tiers of a site."""
    require_manager(actor)
    errors = []
    try:
        rules = check_callback_rules(rules)
    except DomainError as exc:
        errors.extend(exc.errors)
    try:
        tiers = check_vip_tiers(tiers)
    except DomainError as exc:
        errors.extend(exc.errors)
    if errors:
        raise DomainError(errors)
    settings.callback_rules = rules
    settings.vip_tiers = tiers
    db.session.flush()
