"""Operations of the dealership core: staff, API tokens, settings.

Each operation checks its rules, changes the models and flushes; the
caller commits once. ``actor`` is the member of staff acting, or ``None``
for the command line.
"""

import hashlib
import itertools
import re
import secrets
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import phonenumbers
from flask import current_app, g, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from dealer.auth import hash_password
from dealer.errors import DomainError, Forbidden, RuleBroken
from dealer.extensions import db
from dealer.models import (
    DEFAULT_WARRANTY,
    LANGUAGES,
    ApiToken,
    DealerSettings,
    Site,
    User,
    UserRole,
)
from dealer.roles import MANAGER, ROLES
from dealer.timeutil import is_valid_zone
from dealer.types import utcnow
from dealer.vocabulary import Equipment, Skill

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HOUR = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_COMMON = Path(__file__).with_name("common_passwords.txt")


def require_manager(actor: User | None) -> None:
    """Refuse anyone but a manager (the command line acts as the system)."""
    if actor is not None and not actor.has_role(MANAGER):
        raise Forbidden(_l("Only a service manager may do this."))


def require_role(actor: User | None, *roles: str) -> None:
    """Refuse an actor holding none of ``roles`` (the command line acts as the system)."""
    if actor is not None and not actor.has_role(*roles):
        raise Forbidden(_l("Your roles do not allow this."))


def check_version(obj, version: int | None) -> None:
    """Refuse a change made from an out-of-date copy of the record."""
    if version is not None and version != obj.version:
        raise RuleBroken(
            _l("Someone else changed this record since you loaded it. Reload and try again."),
            "version",
        )


def password_problems(password: str, username: str = "") -> list[str]:
    """What is wrong with a new password, if anything."""
    problems = []
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        problems.append(_l("Use at least %(n)s characters.", n=minimum))
    if len(password) > 200:
        problems.append(_l("Use at most 200 characters."))
    lowered = password.lower()
    if username and username.lower() in lowered:
        problems.append(_l("The password must not contain the username."))
    if lowered in common_passwords():
        problems.append(_l("This password is too common; choose another."))
    return problems


_common_cache: set[str] = set()


def common_passwords() -> set[str]:
    """The list of common passwords refused at any length."""
    if not _common_cache:
        _common_cache.update(
            line.strip().lower() for line in _COMMON.read_text().splitlines() if line.strip()
        )
    return _common_cache


def _check_password(password: str, username: str) -> None:
    problems = password_problems(password, username)
    if problems:
        raise DomainError([("password", p) for p in problems])


def _check_roles(roles) -> list[str]:
    roles = sorted(set(roles))
    if not roles:
        raise DomainError(_l("Choose at least one role."), "roles")
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise DomainError(_l("Unknown role: %(role)s.", role=", ".join(unknown)), "roles")
    return roles


@dataclass
class StaffInput:
    """What a manager fills in for a member of staff."""

    full_name: str
    roles: list[str]
    email: str | None = None
    language: str = "en"
    skills: list[str] | None = None


def _apply_staff(user: User, data: StaffInput) -> None:
    full_name = (data.full_name or "").strip()
    if not full_name:
        raise DomainError(_l("Enter the person's name."), "full_name")
    if len(full_name) > 120:
        raise DomainError(_l("At most %(n)s characters.", n=120), "full_name")
    if data.language not in LANGUAGES:
        raise DomainError(_l("Choose English or Chinese."), "language")
    skills = list(data.skills or [])
    if any(skill not in Skill.values() for skill in skills):
        raise DomainError(_l("Unknown skill."), "skills")
    user.full_name = full_name
    user.email = (data.email or "").strip() or None
    user.language = data.language
    user.skills = [skill for skill in Skill.values() if skill in skills]
    wanted = _check_roles(data.roles)
    if set(wanted) != user.roles:
        user.role_rows = [UserRole(role=r) for r in wanted]


def create_user(
    actor: User | None, *, username: str, password: str, data: StaffInput, site: Site
) -> User:
    """Add a member of staff."""
    require_manager(actor)
    username = (username or "").strip().lower()
    if not USERNAME.match(username):
        raise DomainError(
            _l("2 to 40 lower-case letters, digits, dots, dashes or underscores."), "username"
        )
    if db.session.scalar(select(User.id).where(User.username == username)):
        raise DomainError(_l("This username is taken."), "username")
    _check_password(password, username)
    user = User(username=username, site=site, password_hash=hash_password(password))
    _apply_staff(user, data)
    db.session.add(user)
    db.session.flush()
    return user


def update_user(
    actor: User | None, user: User, data: StaffInput, *, version: int | None = None
) -> User:
    """Change a member of staff's name, e-mail, language and roles."""
    require_manager_of(actor, user)
    check_version(user, version)
    user.version += 1
    if actor is not None and actor.id == user.id and MANAGER not in data.roles:
        raise RuleBroken(_l("You cannot take the manager role from yourself."), "roles")
    _apply_staff(user, data)
    db.session.flush()
    return user


def require_manager_of(actor: User | None, user: User) -> None:
    """Refuse anyone but a manager of ``user``'s own site (the command line acts as ``None``)."""
    require_manager(actor)
    if actor is not None and actor.site_id != user.site_id:
        raise Forbidden(_l("This member of staff belongs to another site."))


def end_sessions(actor: User | None, user: User) -> None:
    """End every open session of ``user`` at once."""
    if actor is not None and actor.id != user.id:
        require_manager_of(actor, user)
    user.session_generation += 1
    db.session.flush()


def _revoke_all(user: User) -> int:
    count = 0
    for token in user_tokens(user):
        if token.revoked_at is None:
            token.revoked_at = utcnow()
            count += 1
    return count


def set_active(actor: User | None, user: User, active: bool) -> User:
    """Deactivate (ending every session and token) or reactivate a member of staff."""
    require_manager_of(actor, user)
    if actor is not None and actor.id == user.id and not active:
        raise RuleBroken(_l("You cannot deactivate yourself."))
    user.active = active
    if not active:
        user.session_generation += 1
        _revoke_all(user)
    db.session.flush()
    return user


def reset_password(actor: User | None, user: User, password: str) -> None:
    """Set a new password for someone (a manager) and end their sessions and API tokens."""
    require_manager_of(actor, user)
    _check_password(password, user.username)
    user.password_hash = hash_password(password)
    user.session_generation += 1
    _revoke_all(user)
    db.session.flush()


def change_own_password(user: User, current_ok: bool, password: str) -> None:
    """Change one's own password after proving the current one; ends other sessions and
    every API token."""
    if not current_ok:
        raise DomainError(_l("The current password is wrong."), "current_password")
    _check_password(password, user.username)
    user.password_hash = hash_password(password)
    user.session_generation += 1
    _revoke_all(user)
    db.session.flush()


def set_language(user: User, language: str) -> None:
    """Choose the language one's pages are shown in."""
    if language not in LANGUAGES:
        raise DomainError(_l("Choose English or Chinese."), "language")
    user.language = language
    db.session.flush()


def token_digest(token: str) -> str:
    """The stored form of an API token."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, label: str = "") -> tuple[ApiToken, str]:
    """Issue an API token for ``user``; the plain token is returned once, never stored."""
    if not user.active:
        raise RuleBroken(_l("This account is deactivated."))
    plain = "sd_" + secrets.token_urlsafe(32)
    token = ApiToken(user=user, label=label[:80], token_hash=token_digest(plain))
    db.session.add(token)
    db.session.flush()
    return token, plain


def user_tokens(user: User) -> list[ApiToken]:
    """The user's tokens, newest first."""
    return list(
        db.session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
        )
    )


def revoke_tokens(user: User, token_id: int | None = None, *, actor: User | None = None) -> int:
    """Revoke one token of ``user`` or all of them; returns how many were revoked.

    ``actor`` is a manager of the user's site, or ``None`` on the command line."""
    if actor is not None and actor.id != user.id:
        require_manager_of(actor, user)
    count = 0
    for token in user_tokens(user):
        if token.revoked_at is None and token_id in (None, token.id):
            token.revoked_at = utcnow()
            count += 1
    if token_id is not None and count == 0:
        raise DomainError(_l("No live token with that id."), "id")
    db.session.flush()
    return count


def user_for_token(plain: str) -> User | None:
    """The active user a live token belongs to."""
    if not plain:
        return None
    token = db.session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == token_digest(plain), ApiToken.revoked_at.is_(None)
        )
    )
    if token is None or not token.user.active:
        return None
    return token.user


def find_user(username: str) -> User | None:
    """The user with this username (any case)."""
    return db.session.scalar(select(User).where(User.username == username.strip().lower()))


def default_site() -> Site:
    """The first site, created with its settings if the database has none."""
    site = db.session.scalar(select(Site).order_by(Site.id))
    if site is None:
        site = Site(code="MAIN", name="Main")
        db.session.add(site)
        db.session.flush()
    return site


def settings_for(site_id: int) -> DealerSettings:
    """A site's settings, created with defaults the first time; read once per request."""
    known = g.setdefault("site_settings", {}) if has_app_context() else {}
    found = known.get(site_id)
    if found is not None:
        return found
    found = db.session.scalar(select(DealerSettings).where(DealerSettings.site_id == site_id))
    if found is None:
        zone_name = current_app.config["DEALER_TZ"]
        found = DealerSettings(
            site_id=site_id,
            dealer_name="Service Desk",
            time_zone=zone_name if is_valid_zone(zone_name) else "UTC",
            phone_region=current_app.config["DEFAULT_PHONE_REGION"],
        )
        db.session.add(found)
        db.session.flush()
    known[site_id] = found
    return found


def parse_working_hours(hours: dict) -> dict:
    """Check working periods per weekday: ``{"mon": [["08:30", "17:30"]], ...}``."""
    if not isinstance(hours, dict) or set(hours) - set(WEEKDAYS):
        raise DomainError(_l("Give periods for the weekdays mon to sun."), "working_hours")
    cleaned = {}
    for day in WEEKDAYS:
        periods = hours.get(day) or []
        ordered = []
        for period in periods:
            if (
                not isinstance(period, (list, tuple))
                or len(period) != 2
                or not all(isinstance(t, str) and HOUR.match(t) for t in period)
                or period[0] >= period[1]
            ):
                raise DomainError(
                    _l("%(day)s: each period is a start and a later end, as 08:30-12:00.", day=day),
                    f"working_hours.{day}",
                )
            ordered.append([period[0], period[1]])
        ordered.sort()
        for earlier, later in itertools.pairwise(ordered):
            if later[0] < earlier[1]:
                raise DomainError(_l("%(day)s: periods overlap.", day=day), f"working_hours.{day}")
        cleaned[day] = ordered
    return cleaned


@dataclass
class SettingsInput:
    """The dealer settings a manager can change."""

    dealer_name: str
    address: str
    phone: str
    tax_rate: Decimal
    labor_rate: Decimal
    currency: str
    time_zone: str
    working_hours: dict
    phone_region: str
    warranty_rules: dict | None = None
    labor_tax_rate: Decimal | None = None
    repair_dealer_number: str | None = None
    discount_limit_percent: Decimal | None = None
    parts_lead_days: int | None = None
    estimate_valid_days: int | None = None
    quiet_hours: dict | None = None  # {"start": "21:00", "end": "08:00"}; the same twice: none
    care_contact: str | None = None  # "call", "message" or "both"
    bays: int | None = None
    walk_in_share: Decimal | None = None  # 0.20 for a fifth of the hours
    equipment: dict | None = None  # {"alignment": 1, "paint_booth": 0}
    appointment_reminder_at: str | None = None  # "18:00"
    order_messages: bool | None = None


def check_warranty_rules(rules: dict) -> dict:
    """Warranty per repair category and vehicle class: whole kilometres and days, both positive."""
    cleaned = {}
    for category, by_class in DEFAULT_WARRANTY.items():
        cleaned[category] = {}
        for vehicle_class in by_class:
            try:
                km, days = rules[category][vehicle_class]
                km, days = int(km), int(days)
            except (KeyError, TypeError, ValueError):
                raise DomainError(
                    _l("Give kilometres and days for every category and class."),
                    f"warranty.{category}.{vehicle_class}",
                ) from None
            if not (0 < km <= 1_000_000 and 0 < days <= 3650):
                raise DomainError(
                    _l("Kilometres up to 1,000,000 and days up to 3650, both above 0."),
                    f"warranty.{category}.{vehicle_class}",
                )
            cleaned[category][vehicle_class] = [km, days]
    return cleaned


def update_settings(
    actor: User | None,
    settings: DealerSettings,
    data: SettingsInput,
    *,
    version: int | None = None,
) -> None:
    """Change a site's settings (refused when made from an out-of-date page)."""
    require_manager(actor)
    check_version(settings, version)
    settings.version += 1
    errors = []
    if not data.dealer_name.strip():
        errors.append(("dealer_name", _l("Enter the dealer's name.")))
    if not Decimal("0") <= data.tax_rate < Decimal("1"):
        errors.append(("tax_rate", _l("A tax rate is between 0 and 1, as 0.13.")))
    if data.tax_rate.as_tuple().exponent < -4:
        errors.append(("tax_rate", _l("At most 4 decimal places.")))
    if data.labor_tax_rate is not None and (
        not Decimal("0") <= data.labor_tax_rate < Decimal("1")
        or data.labor_tax_rate.as_tuple().exponent < -4
    ):
        errors.append(
            ("labor_tax_rate", _l("A tax rate is between 0 and 1, as 0.13, with 4 decimals."))
        )
    ard = " ".join((data.repair_dealer_number or "").split())
    if len(ard) > 40:
        errors.append(("repair_dealer_number", _l("At most %(n)s characters.", n=40)))
    if not Decimal("0") <= data.labor_rate <= Decimal("100000"):
        errors.append(("labor_rate", _l("A labor rate is between 0 and 100000.")))
    if not re.fullmatch(r"[A-Z]{3}", data.currency or ""):
        errors.append(("currency", _l("Use a three-letter currency code, as CNY.")))
    if not is_valid_zone(data.time_zone or ""):
        errors.append(("time_zone", _l("Unknown time zone; use a name like Asia/Shanghai.")))
    if data.phone_region not in phonenumbers.SUPPORTED_REGIONS:
        errors.append(("phone_region", _l("Use a two-letter country code, as CN.")))
    try:
        hours = parse_working_hours(data.working_hours)
    except DomainError as exc:
        errors.extend(exc.errors)
        hours = None
    warranty = None
    if data.warranty_rules is not None:
        try:
            warranty = check_warranty_rules(data.warranty_rules)
        except DomainError as exc:
            errors.extend(exc.errors)
    if data.discount_limit_percent is not None and not 0 <= data.discount_limit_percent <= 100:
        errors.append(("discount_limit_percent", _l("A percentage between 0 and 100.")))
    if data.parts_lead_days is not None and not 0 <= data.parts_lead_days <= 60:
        errors.append(("parts_lead_days", _l("Between 0 and 60 days.")))
    if data.estimate_valid_days is not None and not 1 <= data.estimate_valid_days <= 365:
        errors.append(("estimate_valid_days", _l("Between 1 and 365 days.")))
    quiet = data.quiet_hours
    if quiet is not None and not (
        isinstance(quiet, dict)
        and all(HOUR.match(str(quiet.get(end) or "")) for end in ("start", "end"))
    ):
        errors.append(("quiet_hours", _l("Quiet hours run from a time to a time, as 21:00-08:00.")))
    if data.care_contact not in (None, "call", "message", "both"):
        errors.append(("care_contact", _l("Choose a call, a message or both.")))
    if data.bays is not None and not 0 <= data.bays <= 500:
        errors.append(("bays", _l("Between 0 and 500.")))
    if data.walk_in_share is not None and not 0 <= data.walk_in_share <= Decimal("0.9"):
        errors.append(("walk_in_percent", _l("A percentage between 0 and 90.")))
    if data.equipment is not None and any(
        kind not in Equipment.values() or not 0 <= count <= 20
        for kind, count in data.equipment.items()
    ):
        errors.append(("equipment", _l("Between 0 and 20 of each kind.")))
    if data.appointment_reminder_at is not None and not HOUR.match(data.appointment_reminder_at):
        errors.append(("appointment_reminder_at", _l("A time of day, as 18:00.")))
    if errors:
        raise DomainError(errors)
    if warranty is not None:
        settings.warranty_rules = warranty
    if quiet is not None:
        settings.quiet_hours = {"start": quiet["start"], "end": quiet["end"]}
    for name in (
        "discount_limit_percent",
        "parts_lead_days",
        "estimate_valid_days",
        "care_contact",
        "order_messages",
        "bays",
        "walk_in_share",
        "equipment",
        "appointment_reminder_at",
    ):
        if getattr(data, name) is not None:
            setattr(settings, name, getattr(data, name))
    settings.dealer_name = data.dealer_name.strip()
    settings.address = data.address.strip()
    settings.phone = data.phone.strip()
    settings.tax_rate = data.tax_rate
    settings.labor_tax_rate = data.labor_tax_rate
    settings.repair_dealer_number = ard or None
    settings.labor_rate = data.labor_rate
    settings.currency = data.currency
    settings.time_zone = data.time_zone
    settings.working_hours = hours
    settings.phone_region = data.phone_region
    db.session.flush()


def staff_count() -> int:
    """How many members of staff exist."""
    return db.session.scalar(select(func.count(User.id)))
