"""An order's amounts, computed from its lines, never typed.

Each line is rounded half-up to the cent. Totals are what the customer
pays: tax is the half-up rounding of (labor + parts) x the order's rate.
Warranty and internal work is shown apart and is not in ``total``. Jobs
declined, and proposed ones not yet authorized, are left out (the latter
show in the proposed totals).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from dealer.money import round_money

ZERO = Decimal("0.00")
COUNTED = frozenset({"pending", "approved", "in_progress", "done"})


@dataclass(frozen=True)
class PartAmount:
    """A parts line as the arithmetic sees it."""

    quantity: Decimal
    unit_price: Decimal

    @property
    def amount(self) -> Decimal:
        return round_money(self.quantity * self.unit_price)


@dataclass(frozen=True)
class JobAmount:
    """A job as the arithmetic sees it."""

    status: str
    pay_type: str
    labor_hours: Decimal
    labor_rate: Decimal
    parts: tuple[PartAmount, ...] = ()

    @property
    def labor(self) -> Decimal:
        return round_money(self.labor_hours * self.labor_rate)

    @property
    def parts_amount(self) -> Decimal:
        return sum((p.amount for p in self.parts), ZERO)

    @property
    def amount(self) -> Decimal:
        return self.labor + self.parts_amount


@dataclass(frozen=True)
class Totals:
    """What an order comes to."""

    labor: Decimal = ZERO
    parts: Decimal = ZERO
    tax: Decimal = ZERO
    total: Decimal = ZERO
    warranty: Decimal = ZERO
    internal: Decimal = ZERO
    by_pay_type: dict = field(default_factory=dict)


def totals(jobs: Iterable[JobAmount], tax_rate: Decimal, *, statuses=COUNTED) -> Totals:
    """The totals of the jobs whose status is in ``statuses``."""
    labor = parts = warranty = internal = ZERO
    for job in jobs:
        if job.status not in statuses:
            continue
        if job.pay_type == "customer":
            labor += job.labor
            parts += job.parts_amount
        elif job.pay_type == "warranty":
            warranty += job.amount
        else:
            internal += job.amount
    tax = round_money((labor + parts) * tax_rate)
    return Totals(
        labor=labor,
        parts=parts,
        tax=tax,
        total=labor + parts + tax,
        warranty=warranty,
        internal=internal,
    )


def proposed_totals(jobs: Iterable[JobAmount], tax_rate: Decimal) -> Totals:
    """The totals of proposed work awaiting the customer's decision."""
    return totals(jobs, tax_rate, statuses=frozenset({"proposed"}))


def total_with(jobs: list[JobAmount], tax_rate: Decimal, extra: Iterable[JobAmount]) -> Decimal:
    """The customer's total if ``extra`` work were added to what is counted now."""
    return totals([*jobs, *extra], tax_rate).total
