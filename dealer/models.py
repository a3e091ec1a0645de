"""The dealership core's records: sites, staff, API tokens, settings, audit log."""

import copy
from datetime import datetime
from decimal import Decimal

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dealer.extensions import db
from dealer.roles import Role
from dealer.types import FixedDecimal, Money, UTCDateTime, utcnow
from dealer.vocabulary import AuditAction, Language

LANGUAGES = Language.values()

DEFAULT_WORKING_HOURS = {
    "mon": [["08:30", "17:30"]],
    "tue": [["08:30", "17:30"]],
    "wed": [["08:30", "17:30"]],
    "thu": [["08:30", "17:30"]],
    "fri": [["08:30", "17:30"]],
    "sat": [["09:00", "16:00"]],
    "sun": [],
}

DEFAULT_CALLBACK_RULES = {
    "satisfaction": {"enabled": True, "days": 3},
    "declined_work": {"enabled": True, "days": 7},
    "service_reminder": {"enabled": True, "months": 6, "km": 5000, "days_ahead": 14},
    "vip_care": {
        "enabled": True,
        "days_ahead": 1,
        "birthday": True,
        "holidays": {
            "new_year": ["01-01"],
            "spring_festival": [
                "2026-02-17",
                "2027-02-06",
                "2028-01-26",
                "2029-02-13",
                "2030-02-03",
            ],
            "labour_day": ["05-01"],
            "national_day": ["10-01"],
        },
    },
    "complaint_follow_up": {"enabled": True, "days": 2},
}
"""Which callbacks are planned and when; holidays are ``MM-DD`` every year or one date."""

DEFAULT_QUIET_HOURS = {"start": "21:00", "end": "08:00"}
QUIET_HOURS_SQL = """'{"start": "21:00", "end": "08:00"}'"""

DEFAULT_VIP_TIERS = [
    {"name": "Gold", "spend": "20000.00", "visits": 4},
    {"name": "Silver", "spend": "8000.00", "visits": 2},
]
"""VIP tiers, highest first: spend and visits over the last 12 months, both reached."""


class Site(db.Model):
    """A branch of the dealership; every business record belongs to one."""

    __tablename__ = "sites"
    __audit__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<Site {self.code}>"


class UserRole(db.Model):
    """One role held by one member of staff."""

    __tablename__ = "user_roles"
    __audit__ = True
    __audit_entity__ = "user_role"
    __table_args__ = (CheckConstraint(Role.check("role"), name="known_role"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)

    def __repr__(self) -> str:
        return f"<UserRole {self.user_id} {self.role}>"


class User(UserMixin, db.Model):
    """A member of staff who signs in.

    ``session_generation`` is part of the id kept in the session cookie;
    raising it (logout, password change, deactivation) ends every session
    of the user at once.
    """

    __tablename__ = "users"
    __audit__ = True
    __audit_secret__ = ("password_hash",)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    language: Mapped[str] = mapped_column(String(10), default="en")
    session_generation: Mapped[int] = mapped_column(default=1)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    skills: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    """A technician's skills (``dealer.vocabulary.Skill``), which booked work is matched to."""
    """The version of the person's record as the staff page edits it (name, roles, access)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    site: Mapped[Site] = relationship()
    role_rows: Mapped[list[UserRole]] = relationship(
        cascade="all, delete-orphan", order_by=UserRole.role
    )

    @property
    def roles(self) -> frozenset[str]:
        """The roles this person holds."""
        return frozenset(row.role for row in self.role_rows)

    def has_role(self, *roles: str) -> bool:
        """Whether the person holds any of ``roles``."""
        return not self.roles.isdisjoint(roles)

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_generation}"

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class ApiToken(db.Model):
    """An API bearer token; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"
    __audit__ = True
    __audit_secret__ = ("token_hash",)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    label: Mapped[str] = mapped_column(String(80), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} of {self.user_id}>"


class DealerSettings(db.Model):
    """A site's settings: the dealer's letterhead, rates, time zone, hours."""

    __tablename__ = "dealer_settings"
    __audit__ = True
    __table_args__ = (
        CheckConstraint("tax_rate >= 0 AND tax_rate < 10000", name="tax_rate_range"),
        CheckConstraint(
            "labor_tax_rate >= 0 AND labor_tax_rate < 10000", name="labor_tax_rate_range"
        ),
        CheckConstraint("labor_rate >= 0", name="labor_rate_positive"),
        CheckConstraint("care_contact IN ('call', 'message', 'both')", name="known_care_contact"),
        CheckConstraint("bays >= 0 AND bays <= 500", name="bays_range"),
        CheckConstraint("walk_in_share >= 0 AND walk_in_share < 100", name="walk_in_share_range"),
        CheckConstraint(
            "discount_limit_percent >= 0 AND discount_limit_percent <= 10000",
            name="discount_limit_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), unique=True)
    dealer_name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(400), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    tax_rate: Mapped[Decimal] = mapped_column(FixedDecimal(4), default=Decimal("0.13"))
    labor_tax_rate: Mapped[Decimal | None] = mapped_column(FixedDecimal(4))
    repair_dealer_number: Mapped[str | None] = mapped_column(String(40))
    calendar: Mapped[dict] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    """The version of the settings as the settings page edits them."""
    """Public holidays and make-up working days: ``{"holidays": [...], "workdays": [...]}``."""
    labor_rate: Mapped[Decimal] = mapped_column(Money(), default=Decimal("200.00"))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    time_zone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    working_hours: Mapped[dict] = mapped_column(JSON, default=lambda: dict(DEFAULT_WORKING_HOURS))
    phone_region: Mapped[str] = mapped_column(String(2), default="CN")
    warranty_rules: Mapped[dict] = mapped_column(JSON, default=lambda: dict(DEFAULT_WARRANTY))
    estimate_valid_days: Mapped[int] = mapped_column(default=7)
    parts_lead_days: Mapped[int] = mapped_column(default=1)
    discount_limit_percent: Mapped[Decimal] = mapped_column(Money(), default=Decimal("5.00"))
    callback_rules: Mapped[dict] = mapped_column(
        JSON, default=lambda: copy.deepcopy(DEFAULT_CALLBACK_RULES)
    )
    vip_tiers: Mapped[list] = mapped_column(JSON, default=lambda: copy.deepcopy(DEFAULT_VIP_TIERS))
    quiet_hours: Mapped[dict] = mapped_column(
        JSON, default=lambda: dict(DEFAULT_QUIET_HOURS), server_default=text(QUIET_HOURS_SQL)
    )
    """When messages that can wait do wait: ``{"start": "21:00", "end": "08:00"}``, local."""
    care_contact: Mapped[str] = mapped_column(String(8), default="call", server_default="call")
    """How the planned VIP care (birthdays, holidays) reaches the customer: ``call`` (a
    callback), ``message`` (a greeting through the outbox) or ``both``."""
    bays: Mapped[int] = mapped_column(default=4, server_default="4")
    """Bays and lifts: how many cars can be worked on at once."""
    equipment: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")
    """Special equipment by kind, with how many of each: ``{"alignment": 1}``."""
    walk_in_share: Mapped[Decimal] = mapped_column(
        FixedDecimal(2), default=Decimal("0.20"), server_default="20"
    )
    """The share of the technicians' hours that bookings leave for cars coming in unbooked."""
    order_messages: Mapped[bool] = mapped_column(default=True, server_default=true())
    appointment_reminder_at: Mapped[str] = mapped_column(
        String(5), default="18:00", server_default="18:00"
    )
    """The time of day before a booking when its reminder goes and the pick list is made."""
    """Whether the customer is told by message as the car goes through the workshop
    (received, estimate, ready, thank you), each with the order's link."""

    site: Mapped[Site] = relationship()

    def __repr__(self) -> str:
        return f"<DealerSettings of site {self.site_id}>"


class AuditEntry(db.Model):
    """Who changed what and when; written with the change, never edited."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_entity", "entity", "entity_id"),
        CheckConstraint(AuditAction.check("action"), name="known_action"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(10))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column()
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    note: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<AuditEntry {self.action} {self.entity} {self.entity_id}>"


class IdempotencyKey(db.Model):
    """The first answer to a creating request sent with an ``Idempotency-Key`` header."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_idempotency_keys_user_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    key: Mapped[str] = mapped_column(String(200))
    request: Mapped[str] = mapped_column(String(300))
    status: Mapped[int] = mapped_column()
    body: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<IdempotencyKey {self.user_id} {self.key!r}>"


DEFAULT_WARRANTY = {
    "major_repair": {"car": [20000, 100], "motorcycle": [7000, 80], "other": [6000, 60]},
    "level2_maintenance": {"car": [5000, 30], "motorcycle": [800, 10], "other": [700, 7]},
    "level1_maintenance": {"car": [2000, 10], "motorcycle": [800, 10], "other": [700, 7]},
    "minor_repair": {"car": [2000, 10], "motorcycle": [800, 10], "other": [700, 7]},
}
"""Warranty per repair category and vehicle class: [kilometres, days], whichever comes first."""


class NumberSequence(db.Model):
    """The last number handed out per site, series and year (work orders, certificates)."""

    __tablename__ = "number_sequences"

    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), primary_key=True)
    series: Mapped[str] = mapped_column(String(10), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last_value: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<NumberSequence {self.series}-{self.year} at {self.last_value}>"


class Absence(db.Model):
    """A time a member of staff is away (leave, training, sick), as a manager records it: the
    workshop's capacity for booked work leaves it out."""

    __tablename__ = "absences"
    __audit__ = True
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_absences_user_period", "user_id", "starts_at", "ends_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str | None] = mapped_column(String(200))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped["User"] = relationship(foreign_keys=[user_id])


class PublicHit(db.Model):
    """A request to a page open to anyone (the customer's link), counted per bucket (the
    address, the token) so that every application server holds the same limits."""

    __tablename__ = "public_hits"
    __table_args__ = (Index("ix_public_hits_bucket_at", "bucket", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bucket: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LoginFailure(db.Model):
    """A failed sign-in: the name typed (whether or not such a user exists) and the address.

    Kept in the database so that every application server counts the same failures."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_account_at", "account", "at"),
        Index("ix_login_failures_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(40))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SavedSearch(db.Model):
    """What someone searched a list for, kept here so that the page's address carries only
    an opaque token: names and phone numbers stay out of browser history and access logs."""

    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)
    text: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
