"""The three-guarantee watch (三包) on family cars: within the repair period (by default two
years or 50,000 km from the sale, whichever comes first) the car's record counts the repairs
of the same serious fault and the days the car spent off the road for warranty repairs, and
the desk is warned before a limit of the rules is reached, not after the owner's lawyer.

A family car is a car (not a motorcycle) owned by a person (not a company) with a known
sale date. A repair counts when it was taken in before the repair period ended, by date and
by odometer. One visit off the road counts its days from intake to the moment the car was
ready (or to now, while it is still in), a part of a day counting as a whole one, as the
rules count them."""

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select

from customers.models import Vehicle
from customers.notices import VehicleNotice
from dealer.errors import DomainError
from dealer.extensions import db
from dealer.models import User
from dealer.services import require_role, settings_for
from dealer.timeutil import zone
from dealer.types import utcnow
from warranty.models import RepairRecord, WarrantyClaim, WarrantySettings
from warranty.terms import in_range, site_today, terms
from warranty.vocabulary import FaultSystem
from workorders.models import Job, StatusChange, WorkOrder

DAY_SECONDS = 86400


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later (the 29th of February becomes the 1st of March)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


@dataclass(frozen=True)
class Period:
    """A period from the sale: until a date or a distance, whichever comes first."""

    ends_on: date
    ends_km: int

    def holds(self, day: date, km: int | None) -> bool:
        """Whether ``day`` and the odometer reading ``km`` are both inside the period."""
        return day < self.ends_on and (km or 0) < self.ends_km


def periods(vehicle: Vehicle, settings: WarrantySettings) -> tuple[Period, Period] | None:
    """The warranty period and the repair period of a family car (None for another car)."""
    if vehicle.sold_on is None or vehicle.vehicle_class != "car":
        return None
    return (
        Period(add_years(vehicle.sold_on, settings.period_years), settings.period_km),
        Period(add_years(vehicle.sold_on, settings.repair_years), settings.repair_km),
    )


def repair_days(taken_in: datetime, back: datetime) -> int:
    """Days off the road for one visit: a part of a day counts as a day, at least one."""
    seconds = max((back - taken_in).total_seconds(), 0)
    return max(1, math.ceil(seconds / DAY_SECONDS))


@dataclass
class Watch:
    """A car's three-guarantee record: whether it is in its period and its repair period,
    the repairs per fault system, the days off the road, and what to warn of."""

    in_period: bool = False
    in_repair_period: bool = False
    period: Period | None = None
    repair_period: Period | None = None
    repairs_by_system: dict[str, int] = field(default_factory=dict)
    cumulative_repair_days: int = 0
    visits: list[dict] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    """(level, text): ``danger`` when a limit is reached, ``warning`` when it comes close."""

    @property
    def same_fault_repairs(self) -> int:
        return max(self.repairs_by_system.values(), default=0)

    def as_json(self) -> dict:
        return {
            "in_period": self.in_period,
            "in_repair_period": self.in_repair_period,
            "period_ends_on": self.period.ends_on.isoformat() if self.period else None,
            "repair_period_ends_on": (
                self.repair_period.ends_on.isoformat() if self.repair_period else None
            ),
            "same_fault_repairs": self.same_fault_repairs,
            "repairs_by_system": dict(self.repairs_by_system),
            "cumulative_repair_days": self.cumulative_repair_days,
            "warnings": [text for _level, text in self.warnings],
        }


def _ready_moments(order_ids: list[int]) -> dict[int, datetime]:
    if not order_ids:
        return {}
    return dict(
        db.session.execute(
            select(StatusChange.work_order_id, func.min(StatusChange.at))
            .where(StatusChange.work_order_id.in_(order_ids), StatusChange.to_status == "ready")
            .group_by(StatusChange.work_order_id)
        ).all()
    )


def watch_many(
    site_id: int, vehicles: list[Vehicle], now: datetime | None = None
) -> dict[int, Watch]:
    """The watch of each family car among ``vehicles`` still in its warranty period, in a
    few queries for the lot."""
    now = now or utcnow()
    found: dict[int, Watch] = {}
    vehicles = [v for v in vehicles if v.sold_on is not None and v.vehicle_class == "car"]
    if not vehicles:
        return found
    settings = terms(site_id)
    today = site_today(site_id)
    candidates = []
    for vehicle in vehicles:
        spans = periods(vehicle, settings)
        if spans is None or not spans[0].holds(today, vehicle.odometer_km):
            continue
        candidates.append((vehicle, spans))
    if not candidates:
        return found
    # The owner is in the session already wherever a page lists cars with their owners.
    candidates = [(v, s) for v, s in candidates if v.customer.kind == "person"]
    if not candidates:
        return found
    ids = [v.id for v, _s in candidates]
    orders = db.session.execute(
        select(
            WorkOrder.id,
            WorkOrder.vehicle_id,
            WorkOrder.number,
            WorkOrder.created_at,
            WorkOrder.delivered_at,
            WorkOrder.odometer_in,
            WorkOrder.status,
        )
        .where(
            WorkOrder.vehicle_id.in_(ids),
            WorkOrder.site_id == site_id,
            WorkOrder.status != "cancelled",
            exists().where(
                Job.work_order_id == WorkOrder.id,
                Job.pay_type == "warranty",
                Job.campaign_id.is_(None),
                Job.status != "declined",
            ),
        )
        .order_by(WorkOrder.created_at)
    ).all()
    spans_of = {v.id: s for v, s in candidates}
    for vehicle, (period, repair_period) in candidates:
        found[vehicle.id] = Watch(
            in_period=True,
            in_repair_period=repair_period.holds(today, vehicle.odometer_km),
            period=period,
            repair_period=repair_period,
        )
    if not orders:
        return found
    ready = _ready_moments([o.id for o in orders])
    systems = db.session.execute(
        select(WarrantyClaim.work_order_id, WarrantyClaim.fault_system).where(
            WarrantyClaim.work_order_id.in_([o.id for o in orders]),
            WarrantyClaim.fault_system.is_not(None),
            WarrantyClaim.campaign_id.is_(None),
        )
    ).all()
    faults: dict[int, set[str]] = {}
    for order_id, system in systems:
        faults.setdefault(order_id, set()).add(system)
    loaners = dict(
        db.session.execute(
            select(RepairRecord.work_order_id, RepairRecord.loaner_days).where(
                RepairRecord.work_order_id.in_([o.id for o in orders])
            )
        ).all()
    )
    zone_day = {}
    for order in orders:
        watch = found[order.vehicle_id]
        taken_in_day = zone_day.setdefault(order.id, _local_day(site_id, order.created_at))
        if not spans_of[order.vehicle_id][1].holds(taken_in_day, order.odometer_in):
            continue
        back = ready.get(order.id) or order.delivered_at or now
        days = repair_days(order.created_at, back)
        watch.cumulative_repair_days += days
        for system in faults.get(order.id, ()):
            watch.repairs_by_system[system] = watch.repairs_by_system.get(system, 0) + 1
        watch.visits.append(
            {
                "work_order_id": order.id,
                "number": order.number,
                "taken_in": order.created_at,
                "back": back if (order.id in ready or order.delivered_at) else None,
                "odometer_in": order.odometer_in,
                "days": days,
                "systems": sorted(faults.get(order.id, ())),
                "loaner_days": loaners.get(order.id, 0),
            }
        )
    for watch in found.values():
        if watch.in_repair_period:
            watch.warnings = warnings(watch, settings)
    return found


def _local_day(site_id: int, moment: datetime) -> date:
    return moment.astimezone(zone(settings_for(site_id).time_zone)).date()


def warnings(watch: Watch, settings: WarrantySettings) -> list[tuple[str, str]]:
    """What to tell the advisor of a car in its repair period, worst first."""
    found = []
    labels = FaultSystem.labels()
    for system, count in sorted(watch.repairs_by_system.items(), key=lambda kv: -kv[1]):
        if count >= settings.same_fault_limit:
            found.append(
                (
                    "danger",
                    str(
                        _l(
                            "三包: %(count)s repairs of the same %(system)s fault: the owner may "
                            "ask for a replacement or a refund.",
                            count=count,
                            system=labels[system],
                        )
                    ),
                )
            )
        elif count >= settings.same_fault_limit - 1:
            found.append(
                (
                    "warning",
                    str(
                        _l(
                            "三包: %(count)s repair(s) of the same %(system)s fault; at "
                            "%(limit)s the owner may ask for a replacement or a refund.",
                            count=count,
                            system=labels[system],
                            limit=settings.same_fault_limit,
                        )
                    ),
                )
            )
    days, limit = watch.cumulative_repair_days, settings.repair_days_limit
    if days > limit:
        found.append(
            (
                "danger",
                str(
                    _l(
                        "三包: %(days)s days off the road for repairs, over the limit of "
                        "%(limit)s: the owner may ask for a replacement or a refund.",
                        days=days,
                        limit=limit,
                    )
                ),
            )
        )
    elif days and days >= limit - settings.warn_days:
        found.append(
            (
                "warning",
                str(
                    _l(
                        "三包: %(days)s days off the road for repairs; over %(limit)s the owner "
                        "may ask for a replacement or a refund.",
                        days=days,
                        limit=limit,
                    )
                ),
            )
        )
    found.sort(key=lambda w: w[0] != "danger")
    return found


def watch_of(vehicle: Vehicle, now: datetime | None = None) -> Watch:
    """One car's watch (an empty one for a car outside the rules or its period)."""
    return watch_many(vehicle.site_id, [vehicle], now).get(vehicle.id, Watch())


def vehicle_notices(site_id: int, vehicles: list[Vehicle]) -> dict[int, list[VehicleNotice]]:
    """Each car's three-guarantee warnings, as notices (connected to ``vehicle_notices``)."""
    return {
        vehicle_id: [VehicleNotice("sanbao", level, text) for level, text in watch.warnings]
        for vehicle_id, watch in watch_many(site_id, vehicles).items()
        if watch.warnings
    }


def vehicle_facts(vehicle: Vehicle) -> dict:
    """A car's watch for its API record (connected to ``vehicle_facts``)."""
    return {"sanbao": watch_of(vehicle).as_json()}


def at_risk(site_id: int) -> list[tuple[Vehicle, Watch]]:
    """The family cars in their repair period with a warning, the worst first."""
    settings = terms(site_id)
    today = site_today(site_id)
    earliest = date(today.year - settings.repair_years - 1, today.month, 1)
    candidates = list(
        db.session.scalars(
            select(Vehicle)
            .where(
                Vehicle.site_id == site_id,
                Vehicle.sold_on >= earliest,
                Vehicle.odometer_km < settings.repair_km,
                Vehicle.id.in_(
                    select(WorkOrder.vehicle_id)
                    .join(Job, Job.work_order_id == WorkOrder.id)
                    .where(
                        WorkOrder.site_id == site_id,
                        Job.pay_type == "warranty",
                        Job.campaign_id.is_(None),
                    )
                ),
            )
            .order_by(Vehicle.id)
        )
    )
    found = []
    for start in range(0, len(candidates), 500):
        chunk = candidates[start : start + 500]
        watches = watch_many(site_id, chunk)
        found.extend(
            (v, watches[v.id]) for v in chunk if v.id in watches and watches[v.id].warnings
        )
    found.sort(
        key=lambda pair: (
            -sum(level == "danger" for level, _t in pair[1].warnings),
            -pair[1].cumulative_repair_days,
        )
    )
    return found


def save_record(
    actor: User,
    order: WorkOrder,
    *,
    loaner_days: int | None,
    loaner_plate: str | None,
    transport_compensation: Decimal | None,
    note: str | None,
) -> RepairRecord:
    """Keep what the rules ask of a visit besides the order: the loaner car given (days and
    plate) or the transport paid instead."""
    require_role(actor, "advisor", "warranty", "manager")
    errors = []
    if loaner_days is not None and not 0 <= loaner_days <= 365:
        errors.append(
            ("loaner_days", _l("A whole number from %(low)s to %(high)s.", low=0, high=365))
        )
    if transport_compensation is not None and not in_range(
        transport_compensation, Decimal("0"), Decimal("100000"), 2
    ):
        errors.append(("transport_compensation", _l("An amount between 0 and 100,000.")))
    for name, value, limit in (("loaner_plate", loaner_plate, 20), ("note", note, 500)):
        if value and len(value.strip()) > limit:
            errors.append((name, _l("At most %(n)s characters.", n=limit)))
    if errors:
        raise DomainError(errors)
    record = db.session.scalar(select(RepairRecord).where(RepairRecord.work_order_id == order.id))
    if record is None:
        record = RepairRecord(work_order_id=order.id)
        db.session.add(record)
    record.loaner_days = loaner_days or 0
    record.loaner_plate = (loaner_plate or "").strip().upper() or None
    record.transport_compensation = transport_compensation
    record.note = (note or "").strip() or None
    record.updated_by_id = actor.id
    db.session.flush()
    return record


def record_of(order: WorkOrder) -> RepairRecord | None:
    """The visit's three-guarantee record, if one was kept."""
    return db.session.scalar(select(RepairRecord).where(RepairRecord.work_order_id == order.id))
