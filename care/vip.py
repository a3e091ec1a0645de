"""The VIP archive (VIP档案): tiers by the rules in Settings (spend and visits over the last
12 months), or granted and removed by a manager with a reason; and each VIP's dossier."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, case, select, update
from sqlalchemy.orm import selectinload

from care.models import Callback, Complaint
from customers.models import Customer
from dealer.errors import DomainError, RuleBroken
from dealer.extensions import db
from dealer.models import DEFAULT_VIP_TIERS, DealerSettings, User
from dealer.roles import MANAGER
from dealer.services import require_role

MAX_REASON = 300


def tiers(settings: DealerSettings) -> list[dict]:
    """The site's tiers, highest first."""
    return settings.vip_tiers or DEFAULT_VIP_TIERS


def tier_for(rules: list[dict], spend: Decimal, visits: int) -> str | None:
    """The highest tier whose spend and visits over 12 months are both reached."""
    for rule in rules:
        if spend >= Decimal(str(rule["spend"])) and visits >= int(rule["visits"]):
            return rule["name"]
    return None


@dataclass(frozen=True)
class Figures:
    """A customer's money and visits, from the delivered work orders."""

    spend_12m: Decimal = Decimal("0.00")
    visits_12m: int = 0
    lifetime: Decimal = Decimal("0.00")
    last_visit: datetime | None = None


def sync_priority(customer: Customer) -> None:
    """Keep a customer's open callbacks ahead of others while they are a VIP (the call list
    sorts on the callback's own priority, so it needs no join with customers)."""
    db.session.execute(
        update(Callback)
        .where(
            Callback.customer_id == customer.id,
            Callback.status == "open",
            Callback.priority < 2,
        )
        .values(priority=1 if customer.vip_tier else 0)
    )


def apply_figures(customer: Customer, figures: Figures, rules: list[dict]) -> bool:
    """Keep the figures on the customer and set the tier by the rules unless a manager
    decided it; returns whether the tier changed."""
    customer.spend_12m = figures.spend_12m
    customer.visits_12m = figures.visits_12m
    customer.lifetime_spend = figures.lifetime
    customer.last_visit_at = figures.last_visit
    if customer.vip_manual is not None or customer.erased_at is not None:
        return False
    tier = tier_for(rules, figures.spend_12m, figures.visits_12m)
    changed = tier != customer.vip_tier
    customer.vip_tier = tier
    if changed:
        sync_priority(customer)
    return changed


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Give the reason."), "reason")
    if len(reason) > MAX_REASON:
        raise DomainError(_l("At most %(n)s characters.", n=MAX_REASON), "reason")
    return reason


def grant(actor: User, customer: Customer, tier: str, reason: str, rules: list[dict]) -> Customer:
    """A manager makes the customer a VIP of ``tier`` whatever the rules say."""
    require_role(actor, MANAGER)
    if tier not in [r["name"] for r in rules]:
        raise DomainError(_l("Choose a tier."), "tier")
    customer.vip_reason = _reason(reason)
    customer.vip_manual, customer.vip_tier = True, tier
    sync_priority(customer)
    db.session.flush()
    return customer


def remove(actor: User, customer: Customer, reason: str) -> Customer:
    """A manager takes the VIP mark away whatever the rules say."""
    require_role(actor, MANAGER)
    if customer.vip_tier is None and customer.vip_manual is None:
        raise RuleBroken(_l("This customer is not a VIP."))
    customer.vip_reason = _reason(reason)
    customer.vip_manual, customer.vip_tier = False, None
    sync_priority(customer)
    db.session.flush()
    return customer


def follow_rules(actor: User, customer: Customer, rules: list[dict]) -> Customer:
    """Undo a manager's decision: the tier follows the rules again."""
    require_role(actor, MANAGER)
    customer.vip_manual, customer.vip_reason = None, None
    customer.vip_tier = tier_for(rules, customer.spend_12m, customer.visits_12m)
    sync_priority(customer)
    db.session.flush()
    return customer


def set_advisor(actor: User, customer: Customer, advisor: User | None) -> Customer:
    """The customer's dedicated advisor."""
    require_role(actor, MANAGER)
    if advisor is not None and (
        advisor.site_id != customer.site_id or not advisor.active or not advisor.has_role("advisor")
    ):
        raise DomainError(_l("Choose a service advisor."), "advisor_id")
    customer.advisor_id = advisor.id if advisor else None
    db.session.flush()
    return customer


def archive(site_id: int, rules: list[dict], query: str = "") -> Select:
    """The VIPs, highest tier first, then by lifetime spend."""
    rank = case(
        {rule["name"]: index for index, rule in enumerate(rules)},
        value=Customer.vip_tier,
        else_=len(rules),
    )
    stmt = select(Customer).where(Customer.site_id == site_id, Customer.vip_tier.is_not(None))
    if query:
        stmt = stmt.where(Customer.name_key.contains(" ".join(query.split()).casefold()))
    return stmt.order_by(rank, Customer.lifetime_spend.desc(), Customer.id).options(
        selectinload(Customer.advisor)
    )


@dataclass(frozen=True)
class Dossier:
    customer: Customer
    callbacks: list[Callback]
    complaints: list[Complaint]


def dossier(customer: Customer) -> Dossier:
    """Everything the archive keeps of a customer besides vehicles and visits."""
    callbacks = db.session.scalars(
        select(Callback)
        .where(Callback.customer_id == customer.id)
        .order_by(Callback.due_at.desc())
        .limit(100)
        .options(selectinload(Callback.history))
    ).all()
    complaints = db.session.scalars(
        select(Complaint)
        .where(Complaint.customer_id == customer.id)
        .order_by(Complaint.received_at.desc())
        .limit(100)
        .options(selectinload(Complaint.owner))
    ).all()
    return Dossier(customer=customer, callbacks=list(callbacks), complaints=list(complaints))
