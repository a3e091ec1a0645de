"""The service manager's figures for any period.

Every figure is one aggregate query over the records (indexes on the
delivered time, statuses and owners), never a loop over all rows. Money
is summed in exact minor units; rates are Decimals rounded to four places.
The period is a range of the dealer's local days, both included; the
orders in it are those delivered in it.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import and_, case, func, literal_column, select, type_coerce
from sqlalchemy.types import BigInteger, Float

from care.models import SATISFACTION_QUESTIONS, CallAttempt, Callback, Complaint
from customers.models import Customer
from dealer.database import seconds_between
from dealer.extensions import db
from dealer.models import DealerSettings, User
from dealer.timeutil import day_start, zone
from workorders.lifecycle import Status
from workorders.models import Job, PartLine, TimeClock, WorkOrder
from workorders.services import job_amount

CENT = Decimal("0.01")
RATE = Decimal("0.0001")


def _raw(column):
    """A fixed-decimal column as its stored integer of minor units."""
    return type_coerce(column, BigInteger)


def _money(minor: int | None, scale: int = 2) -> Decimal:
    return (Decimal(int(minor or 0)).scaleb(-scale)).quantize(CENT, rounding=ROUND_HALF_UP)


def _rate(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part or 0) / Decimal(whole)).quantize(RATE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Period:
    """Local days ``start`` to ``end``, both included, in the dealer's time zone."""

    start: date
    end: date
    time_zone: str

    @property
    def since(self) -> datetime:
        return day_start(self.start, self.time_zone)

    @property
    def until(self) -> datetime:
        return day_start(self.end + timedelta(days=1), self.time_zone)

    def contains(self, column):
        return and_(column >= self.since, column < self.until)


@dataclass
class Summary:
    """The period's figures (see the API's ``/reports/summary``)."""

    car_count: int = 0
    revenue: Decimal = Decimal("0.00")
    average_repair_order: Decimal | None = None
    labor_hours_sold: Decimal = Decimal("0")
    labor_hours_clocked: Decimal = Decimal("0")
    technician_efficiency: Decimal | None = None
    technician_productivity: Decimal | None = None
    parts_sales: Decimal = Decimal("0.00")
    parts_gross_profit: Decimal = Decimal("0.00")
    estimate_accuracy: Decimal | None = None
    estimates_within_10_percent_rate: Decimal | None = None
    supplementary_approval_rate: Decimal | None = None
    declined_work_value: Decimal = Decimal("0.00")
    declined_work_booked_value: Decimal = Decimal("0.00")
    on_time_delivery_rate: Decimal | None = None
    comeback_rate: Decimal | None = None
    comeback_causes: dict = field(default_factory=dict)
    callback_reach_rate: Decimal | None = None
    average_satisfaction: Decimal | None = None
    satisfaction_by_question: dict = field(default_factory=dict)
    complaints_received: int = 0
    complaints_first_reply_within_sla_rate: Decimal | None = None
    complaint_first_reply_hours: Decimal | None = None
    vip_revenue_share: Decimal | None = None


def _orders(site_id: int, period: Period, advisor_id: int | None = None):
    """The period's delivered orders, as a filter."""
    clauses = [
        WorkOrder.site_id == site_id,
        WorkOrder.status == Status.DELIVERED.value,
        period.contains(WorkOrder.delivered_at),
    ]
    if advisor_id is not None:
        clauses.append(WorkOrder.advisor_id == advisor_id)
    return and_(*clauses)


def _hours(value) -> Decimal:
    return (Decimal(str(value or 0))).quantize(CENT, rounding=ROUND_HALF_UP)


def available_hours(settings: DealerSettings, period: Period) -> Decimal:
    """Working hours a technician can give in the period, from the weekly hours."""
    names = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    total = Decimal(0)
    day = period.start
    while day <= period.end:
        for begin, end in settings.working_hours.get(names[day.weekday()], []):
            b, e = time.fromisoformat(begin), time.fromisoformat(end)
            total += Decimal((e.hour * 60 + e.minute) - (b.hour * 60 + b.minute)) / 60
        day += timedelta(days=1)
    return total


def summary(
    site_id: int,
    settings: DealerSettings,
    period: Period,
    *,
    advisor_id: int | None = None,
    technician_id: int | None = None,
) -> Summary:
    """The period's figures, for the whole site, one advisor or one technician.

    The order-level figures come from one aggregate over the period's work
    orders (each delivered order keeps its figures, see
    ``workorders.services.settle_figures``); a technician's share comes
    from their own jobs, lines and clocks.
    """
    s = Summary()
    delivered = _orders(site_id, period, advisor_id)
    estimated = WorkOrder.first_approved > 0
    row = db.session.execute(
        select(
            func.count(WorkOrder.id),
            func.sum(_raw(WorkOrder.final_total)),
            func.sum(case((WorkOrder.final_total > 0, 1), else_=0)),
            func.sum(case((WorkOrder.final_total > 0, _raw(WorkOrder.final_total)), else_=0)),
            func.sum(_raw(WorkOrder.hours_sold)),
            func.sum(WorkOrder.clocked_seconds),
            func.sum(_raw(WorkOrder.parts_sales)),
            func.sum(_raw(WorkOrder.parts_cost)),
            func.sum(_raw(WorkOrder.declined_value)),
            func.sum(case((estimated, _raw(WorkOrder.first_approved)), else_=0)),
            func.sum(case((estimated, _raw(WorkOrder.final_total)), else_=0)),
            func.sum(
                case(
                    (
                        and_(
                            estimated,
                            _raw(WorkOrder.final_total) * 100
                            <= _raw(WorkOrder.first_approved) * 110,
                        ),
                        1,
                    ),
                    else_=0,
                )
            ),
            func.sum(case((estimated, 1), else_=0)),
            func.sum(WorkOrder.proposed_approved),
            func.sum(WorkOrder.proposed_decided),
            func.sum(case((WorkOrder.delivered_at <= WorkOrder.promised_at, 1), else_=0)),
            func.count(WorkOrder.promised_at),
        ).where(delivered)
    ).one()
    (
        count,
        revenue,
        paying,
        paying_total,
        sold,
        seconds,
        sales,
        cost,
        declined,
        approved,
        final,
        within,
        estimates,
        proposed_ok,
        proposed_all,
        on_time,
        promised,
    ) = row
    s.car_count = int(count or 0)
    s.revenue = _money(revenue)
    if paying:
        s.average_repair_order = (_money(paying_total) / paying).quantize(
            CENT, rounding=ROUND_HALF_UP
        )
    s.labor_hours_sold = _money(sold)
    s.labor_hours_clocked = _hours(Decimal(int(seconds or 0)) / 3600)
    s.parts_sales = _money(sales)
    s.parts_gross_profit = _money((sales or 0) - (cost or 0))
    s.declined_work_value = _money(declined)
    s.estimate_accuracy = _rate(final, approved)
    s.estimates_within_10_percent_rate = _rate(within, estimates)
    s.supplementary_approval_rate = _rate(proposed_ok, proposed_all)
    s.on_time_delivery_rate = _rate(on_time, promised)

    clock_scope = [delivered, TimeClock.ended_at.is_not(None)]
    technicians = 1
    if technician_id is not None:
        _technician_share(s, delivered, technician_id)
    else:
        technicians = (
            db.session.scalar(
                select(func.count(func.distinct(TimeClock.technician_id)))
                .join(WorkOrder, WorkOrder.id == TimeClock.work_order_id)
                .where(*clock_scope)
            )
            or 0
        )
    s.technician_efficiency = _rate(s.labor_hours_sold, s.labor_hours_clocked)
    s.technician_productivity = _rate(
        s.labor_hours_clocked, available_hours(settings, period) * technicians
    )

    rebooked = select(Job.rebooked_from_id).where(
        Job.rebooked_from_id.is_not(None), Job.status != "declined"
    )
    booked = db.session.scalars(
        select(Job).join(WorkOrder).where(delivered, Job.status == "declined", Job.id.in_(rebooked))
    ).all()
    s.declined_work_booked_value = sum((_job_value(job) for job in booked), Decimal("0.00"))

    causes = dict(
        db.session.execute(
            select(WorkOrder.comeback_cause, func.count())
            .where(delivered, WorkOrder.comeback_of_id.is_not(None))
            .group_by(WorkOrder.comeback_cause)
        ).all()
    )
    s.comeback_causes = {k or "unknown": int(v) for k, v in causes.items()}
    s.comeback_rate = _rate(sum(s.comeback_causes.values()), s.car_count)

    if advisor_id is None and technician_id is None:
        _care_figures(s, site_id, period)
        vip = db.session.scalar(
            select(func.sum(_raw(WorkOrder.final_total)))
            .join(Customer, Customer.id == WorkOrder.customer_id)
            .where(delivered, Customer.vip_tier.is_not(None))
        )
        s.vip_revenue_share = _rate(_money(vip), s.revenue)
    return s


def _job_value(job: Job) -> Decimal:
    """What a job comes to: labor and its parts lines, each rounded as invoiced."""
    return job_amount(job).amount


def _technician_share(s: Summary, delivered, technician_id: int) -> None:
    """A technician's hours sold and clocked, and the parts on their done jobs."""
    mine = [Job.status == "done", delivered, Job.technician_id == technician_id]
    sold = db.session.scalar(select(func.sum(_raw(Job.labor_hours))).join(WorkOrder).where(*mine))
    s.labor_hours_sold = _money(sold)
    seconds = db.session.scalar(
        select(func.sum(seconds_between(TimeClock.started_at, TimeClock.ended_at)))
        .join(WorkOrder, WorkOrder.id == TimeClock.work_order_id)
        .where(delivered, TimeClock.ended_at.is_not(None), TimeClock.technician_id == technician_id)
    )
    s.labor_hours_clocked = _hours(Decimal(str(seconds or 0)) / 3600)
    charged = _raw(PartLine.quantity) - _raw(PartLine.returned_quantity)
    sales, cost = db.session.execute(
        select(
            func.sum(charged * _raw(PartLine.unit_price)),
            func.sum(charged * _raw(PartLine.unit_cost)),
        )
        .join(Job, Job.id == PartLine.job_id)
        .join(WorkOrder, WorkOrder.id == PartLine.work_order_id)
        .where(*mine)
    ).one()
    s.parts_sales = _money(sales, 5)
    s.parts_gross_profit = _money((sales or 0) - (cost or 0), 5)


def _care_figures(s: Summary, site_id: int, period: Period) -> None:
    reached, closed = db.session.execute(
        select(
            func.sum(case((Callback.outcome == "reached", 1), else_=0)),
            func.count(Callback.id),
        ).where(
            Callback.site_id == site_id,
            Callback.status.in_(["done", "unreachable"]),
            period.contains(Callback.closed_at),
        )
    ).one()
    s.callback_reach_rate = _rate(reached, closed)
    reached_calls = and_(
        Callback.site_id == site_id,
        CallAttempt.outcome == "reached",
        period.contains(CallAttempt.at),
    )
    overall = db.session.scalar(
        select(func.avg(type_coerce(CallAttempt.satisfaction, Float)))
        .join(Callback)
        .where(reached_calls, CallAttempt.satisfaction.is_not(None))
    )
    s.average_satisfaction = _rate(Decimal(str(overall)), 1) if overall is not None else None
    for question in SATISFACTION_QUESTIONS:
        score = CallAttempt.answers[question].as_float()
        value = db.session.scalar(
            select(func.avg(score)).join(Callback).where(reached_calls, score.is_not(None))
        )
        s.satisfaction_by_question[question] = (
            _rate(Decimal(str(value)), 1) if value is not None else None
        )
    received, in_time, replied, reply_seconds = db.session.execute(
        select(
            func.count(Complaint.id),
            func.sum(case((Complaint.first_reply_at <= Complaint.first_reply_due, 1), else_=0)),
            func.count(Complaint.first_reply_at),
            func.sum(seconds_between(Complaint.received_at, Complaint.first_reply_at)),
        ).where(Complaint.site_id == site_id, period.contains(Complaint.received_at))
    ).one()
    s.complaints_received = int(received or 0)
    s.complaints_first_reply_within_sla_rate = _rate(in_time, received)
    if replied:
        s.complaint_first_reply_hours = _hours(Decimal(str(reply_seconds or 0)) / 3600 / replied)


# --- breakdowns and trends ---------------------------------------------------------------


def per_advisor(site_id: int, period: Period) -> list[dict]:
    """Per advisor: cars, revenue, average repair order, on-time rate."""
    rows = db.session.execute(
        select(
            User.id,
            User.full_name,
            func.count(WorkOrder.id),
            func.sum(_raw(WorkOrder.final_total)),
            func.sum(case((WorkOrder.delivered_at <= WorkOrder.promised_at, 1), else_=0)),
            func.count(WorkOrder.promised_at),
        )
        .join(User, User.id == WorkOrder.advisor_id)
        .where(_orders(site_id, period))
        .group_by(User.id, User.full_name)
        .order_by(User.full_name)
    )
    return [
        {
            "id": uid,
            "name": name,
            "car_count": int(n),
            "revenue": _money(total),
            "average_repair_order": (_money(total) / n).quantize(CENT) if n else None,
            "on_time_delivery_rate": _rate(on_time, promised),
        }
        for uid, name, n, total, on_time, promised in rows
    ]


def per_technician(site_id: int, settings: DealerSettings, period: Period) -> list[dict]:
    """Per technician: hours sold and clocked, efficiency and productivity."""
    delivered = _orders(site_id, period)
    sold = dict(
        db.session.execute(
            select(Job.technician_id, func.sum(_raw(Job.labor_hours)))
            .join(WorkOrder)
            .where(delivered, Job.status == "done", Job.technician_id.is_not(None))
            .group_by(Job.technician_id)
        ).all()
    )
    clocked = dict(
        db.session.execute(
            select(
                TimeClock.technician_id,
                func.sum(seconds_between(TimeClock.started_at, TimeClock.ended_at)),
            )
            .join(WorkOrder, WorkOrder.id == TimeClock.work_order_id)
            .where(delivered, TimeClock.ended_at.is_not(None))
            .group_by(TimeClock.technician_id)
        ).all()
    )
    ids = set(sold) | set(clocked)
    names = dict(
        db.session.execute(select(User.id, User.full_name).where(User.id.in_(ids or [0]))).all()
    )
    available = available_hours(settings, period)
    out = []
    for uid in sorted(ids, key=lambda i: names.get(i, "")):
        hours_sold = _money(sold.get(uid))
        hours_clocked = _hours(Decimal(str(clocked.get(uid) or 0)) / 3600)
        out.append(
            {
                "id": uid,
                "name": names.get(uid, ""),
                "labor_hours_sold": hours_sold,
                "labor_hours_clocked": hours_clocked,
                "efficiency": _rate(hours_sold, hours_clocked),
                "productivity": _rate(hours_clocked, available),
            }
        )
    return out


def trend(site_id: int, period: Period, unit: str = "week") -> list[dict]:
    """Cars and revenue per week or month of the period (days grouped in SQL)."""
    tz = zone(period.time_zone)
    if db.session.get_bind().dialect.name == "postgresql":
        day = func.date(func.timezone(period.time_zone, WorkOrder.delivered_at))
    else:
        offset = datetime.combine(period.start, time(12), tz).utcoffset()
        hours = int(offset.total_seconds() // 3600) if offset else 0
        day = func.date(WorkOrder.delivered_at, literal_column(f"'{hours:+d} hours'"))
    rows = db.session.execute(
        select(day, func.count(WorkOrder.id), func.sum(_raw(WorkOrder.final_total)))
        .where(_orders(site_id, period))
        .group_by(day)
    ).all()
    buckets: dict[date, list] = defaultdict(lambda: [0, 0])
    for when, count, total in rows:
        when = when if isinstance(when, date) else date.fromisoformat(str(when))
        key = when - timedelta(days=when.weekday()) if unit == "week" else when.replace(day=1)
        buckets[key][0] += int(count)
        buckets[key][1] += int(total or 0)
    return [
        {"start": key, "car_count": n, "revenue": _money(total)}
        for key, (n, total) in sorted(buckets.items())
    ]
