"""An order's amounts, computed from its lines, never typed.

Each line is rounded half-up to the cent. Totals are what the customer
pays: tax is the half-up rounding of (labor + parts + sublet - discount)
x the order's rate; a percentage discount is taken of the customer's
labor, parts and sublet work and rounded as its own line. Where labor is
taxed at a rate of its own (several US states tax parts but not labor),
the discount is shared between labor and the rest in proportion, and tax
is the rounded tax on labor plus the rounded tax on parts and sublet.
Warranty and internal work is shown apart and is not in ``total``. Jobs
declined, and proposed ones not yet authorized, are left out (the latter
show in the proposed totals).
"""

from collections.abc import Iterable
from dataclasses import dataclass
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
    sublet: Decimal = Decimal("0.00")

    @property
    def labor(self) -> Decimal:
        return round_money(self.labor_hours * self.labor_rate)

    @property
    def parts_amount(self) -> Decimal:
        return sum((p.amount for p in self.parts), ZERO)

    @property
    def amount(self) -> Decimal:
        return self.labor + self.parts_amount + self.sublet


@dataclass(frozen=True)
class DiscountAmount:
    """A discount line: an amount, or a percentage (``percent=True``, 10 for 10%)."""

    value: Decimal
    percent: bool = False

    def amount(self, base: Decimal) -> Decimal:
        if self.percent:
            return round_money(base * self.value / 100)
        return round_money(self.value)


@dataclass(frozen=True)
class Totals:
    """What an order comes to."""

    labor: Decimal = ZERO
    parts: Decimal = ZERO
    sublet: Decimal = ZERO
    discount: Decimal = ZERO
    tax: Decimal = ZERO
    total: Decimal = ZERO
    warranty: Decimal = ZERO
    internal: Decimal = ZERO


def totals(
    jobs: Iterable[JobAmount],
    tax_rate: Decimal,
    discounts: Iterable[DiscountAmount] = (),
    *,
    statuses=COUNTED,
    labor_tax_rate: Decimal | None = None,
) -> Totals:
    """The totals of the jobs whose status is in ``statuses``, less the discounts; labor is
    taxed at ``labor_tax_rate`` where it is given and differs from ``tax_rate``."""
    labor = parts = sublet = warranty = internal = ZERO
    for job in jobs:
        if job.status not in statuses:
            continue
        if job.pay_type == "customer":
            labor += job.labor
            parts += job.parts_amount
            sublet += job.sublet
        elif job.pay_type == "warranty":
            warranty += job.amount
        else:
            internal += job.amount
    base = labor + parts + sublet
    discount = min(sum((d.amount(base) for d in discounts), ZERO), base)
    if labor_tax_rate is None or labor_tax_rate == tax_rate:
        tax = round_money((base - discount) * tax_rate)
    else:
        labor_discount = round_money(discount * labor / base) if base else ZERO
        tax = round_money((labor - labor_discount) * labor_tax_rate) + round_money(
            (parts + sublet - (discount - labor_discount)) * tax_rate
        )
    return Totals(
        labor=labor,
        parts=parts,
        sublet=sublet,
        discount=discount,
        tax=tax,
        total=base - discount + tax,
        warranty=warranty,
        internal=internal,
    )


def proposed_totals(
    jobs: Iterable[JobAmount], tax_rate: Decimal, labor_tax_rate: Decimal | None = None
) -> Totals:
    """The totals of proposed work awaiting the customer's decision."""
    return totals(jobs, tax_rate, statuses=frozenset({"proposed"}), labor_tax_rate=labor_tax_rate)
