"""The warranty desk's figures: what the manufacturer owes now, by age; the period's claims
submitted, rejected and paid, the rejection rate and reasons per manufacturer, the days from
repair to submission and to payment; each campaign's completion and the open campaigns among
the cars that visited."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select

from dealer.extensions import db
from warranty import campaigns, sanbao
from warranty.models import WarrantyClaim
from warranty.terms import site_today

RATE = Decimal("0.0001")
AGES = ((0, 30), (31, 60), (61, 90), (91, None))
OWED = ("submitted", "accepted")


def _rate(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(RATE, rounding=ROUND_HALF_UP)


def _mean_days(pairs) -> Decimal | None:
    days = [(later - earlier).days for earlier, later in pairs]
    if not days:
        return None
    return (Decimal(sum(days)) / len(days)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class AgeBand:
    low: int
    high: int | None
    claims: int = 0
    amount: Decimal = Decimal("0.00")


@dataclass
class MakerRow:
    manufacturer: str
    submitted: int = 0
    rejected: int = 0
    reasons: list[tuple[str, int]] = field(default_factory=list)

    @property
    def rejection_rate(self) -> Decimal | None:
        return _rate(self.rejected, self.submitted)


@dataclass
class WarrantyFigures:
    receivable: Decimal = Decimal("0.00")
    ages: list[AgeBand] = field(default_factory=list)
    submitted: int = 0
    rejected: int = 0
    paid: int = 0
    paid_amount: Decimal = Decimal("0.00")
    short_paid: Decimal = Decimal("0.00")
    rejection_rate: Decimal | None = None
    makers: list[MakerRow] = field(default_factory=list)
    days_to_submission: Decimal | None = None
    days_to_payment: Decimal | None = None
    campaigns: list = field(default_factory=list)
    visitors: int = 0
    visitors_with_open_campaigns: int = 0
    sanbao_at_risk: int = 0


def _in(day: date | None, period) -> bool:
    return day is not None and period.start <= day <= period.end


def warranty_figures(site_id: int, period) -> WarrantyFigures:
    """The warranty figures: what is owed as of today, and the period's flow (``period`` a
    ``reports.figures.Period``; a claim counts in it by the day it was first submitted, was
    rejected or was paid)."""
    today = site_today(site_id)
    found = WarrantyFigures(ages=[AgeBand(low, high) for low, high in AGES])
    rows = db.session.execute(
        select(
            WarrantyClaim.status,
            WarrantyClaim.manufacturer,
            WarrantyClaim.total_claimed,
            WarrantyClaim.paid_amount,
            WarrantyClaim.repaired_on,
            WarrantyClaim.first_submitted_on,
            WarrantyClaim.paid_on,
            WarrantyClaim.decided_on,
            WarrantyClaim.rejections,
            WarrantyClaim.rejection_reason,
        ).where(WarrantyClaim.site_id == site_id)
    ).all()
    makers: dict[str, MakerRow] = {}
    reasons: dict[str, Counter] = {}
    to_submission, to_payment = [], []
    for row in rows:
        if row.status in OWED:
            age = (today - (row.first_submitted_on or row.repaired_on)).days
            band = next(b for b in found.ages if b.high is None or age <= b.high)
            band.claims += 1
            band.amount += row.total_claimed
            found.receivable += row.total_claimed
        if _in(row.first_submitted_on, period):
            found.submitted += 1
            maker = makers.setdefault(row.manufacturer, MakerRow(row.manufacturer))
            maker.submitted += 1
            to_submission.append((row.repaired_on, row.first_submitted_on))
            if row.rejections:
                found.rejected += 1
                maker.rejected += 1
                if row.rejection_reason:
                    reasons.setdefault(row.manufacturer, Counter())[row.rejection_reason] += 1
        if row.status == "paid" and _in(row.paid_on, period):
            found.paid += 1
            found.paid_amount += row.paid_amount
            found.short_paid += max(row.total_claimed - row.paid_amount, Decimal("0"))
            to_payment.append((row.repaired_on, row.paid_on))
    found.rejection_rate = _rate(found.rejected, found.submitted)
    for name, counts in reasons.items():
        makers[name].reasons = counts.most_common(5)
    found.makers = sorted(makers.values(), key=lambda m: (-m.submitted, m.manufacturer))
    found.days_to_submission = _mean_days(to_submission)
    found.days_to_payment = _mean_days(to_payment)
    found.campaigns = campaigns.progress(site_id)
    found.visitors_with_open_campaigns, found.visitors = campaigns.open_among_visitors(
        site_id, period.since, period.until
    )
    found.sanbao_at_risk = len(sanbao.at_risk(site_id))
    return found
