"""What customers are worth: spend and visits from the delivered orders, and the VIP tiers
they earn."""

from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import case, func, or_, select

from care import vip
from care.vip import Figures
from customers.models import Customer
from dealer.extensions import db
from dealer.services import settings_for
from dealer.types import utcnow
from workorders.lifecycle import Status
from workorders.models import (
    WorkOrder,
)


def customer_figures(
    site_id: int, now: datetime | None = None, customer_ids: list[int] | None = None
) -> dict[int, Figures]:
    """Spend and visits per customer from the delivered orders: over the last 12 months and
    ever, and the last visit; one aggregate query."""
    now = now or utcnow()
    year_ago = now - timedelta(days=365)
    recent = WorkOrder.delivered_at >= year_ago
    stmt = (
        select(
            WorkOrder.customer_id,
            func.coalesce(func.sum(case((recent, WorkOrder.final_total))), Decimal("0")),
            func.sum(case((recent, 1), else_=0)),
            func.coalesce(func.sum(WorkOrder.final_total), Decimal("0")),
            func.max(WorkOrder.delivered_at),
        )
        .where(WorkOrder.site_id == site_id, WorkOrder.status == Status.DELIVERED)
        .group_by(WorkOrder.customer_id)
    )
    if customer_ids is not None:
        stmt = stmt.where(WorkOrder.customer_id.in_(customer_ids))
    return {
        customer_id: Figures(
            spend_12m=Decimal(spend or 0),
            visits_12m=int(visits or 0),
            lifetime=Decimal(total or 0),
            last_visit=last,
        )
        for customer_id, spend, visits, total, last in db.session.execute(stmt)
    }


def refresh_customer(customer, now: datetime | None = None) -> bool:
    """Recompute one customer's figures and VIP tier (at delivery)."""
    figures = customer_figures(customer.site_id, now, [customer.id]).get(customer.id, Figures())
    return vip.apply_figures(customer, figures, vip.tiers(settings_for(customer.site_id)))


def refresh_customers(site_id: int, now: datetime | None = None) -> int:
    """Recompute every customer's figures and VIP tier (nightly); returns how many changed tier."""
    figures = customer_figures(site_id, now)
    rules = vip.tiers(settings_for(site_id))
    stale = select(Customer).where(
        Customer.site_id == site_id,
        or_(
            Customer.id.in_(list(figures) or [0]),
            Customer.vip_tier.is_not(None),
            Customer.spend_12m > 0,
            Customer.visits_12m > 0,
        ),
    )
    changed = 0
    for customer in db.session.scalars(stale.execution_options(yield_per=1000)):
        changed += vip.apply_figures(customer, figures.get(customer.id, Figures()), rules)
    db.session.flush()
    return changed
