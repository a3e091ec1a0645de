"""The demo's past year, made through the operations at the moments it happened."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from care.models import CallAttempt
from dealer import services
from dealer.extensions import db
from dealer.types import clock_at, utcnow
from demo.dealership import load_demo_data
from reports.figures import Period, summary
from warranty.models import WarrantyClaim
from workorders import services as wo
from workorders.models import WorkOrder


def test_the_clock_can_be_held_at_a_moment_and_lets_go():
    moment = datetime(2026, 3, 4, 1, 2, tzinfo=UTC)
    with clock_at(moment):
        assert utcnow() == moment
    assert utcnow() - datetime.now(UTC) < timedelta(seconds=1)


def test_a_year_of_visits_reads_like_a_working_dealers(app):
    load_demo_data(year_orders=40)
    site = services.default_site()
    settings = services.settings_for(site.id)
    now = utcnow()
    delivered = db.session.scalars(
        select(WorkOrder).where(WorkOrder.status == "delivered").order_by(WorkOrder.delivered_at)
    ).all()
    past = [o for o in delivered if o.delivered_at < now - timedelta(days=1)]
    assert len(past) >= 40
    months = {o.delivered_at.astimezone(UTC).strftime("%Y-%m") for o in past}
    assert len(months) >= 6
    assert all(now - timedelta(days=370) < o.received_at < o.delivered_at for o in past)
    assert all(o.final_total == wo.order_totals(o).total for o in past)
    numbers = [o.number for o in delivered]
    assert len(set(numbers)) == len(numbers)
    assert db.session.scalar(select(func.count(CallAttempt.id))) > 0
    today = now.date()
    figures = summary(
        site.id, settings, Period(today - timedelta(days=365), today, "Asia/Shanghai")
    )
    assert figures.car_count >= 40 and figures.revenue > 0
    assert figures.average_satisfaction is not None
    assert 0 < figures.technician_efficiency < 3
    in_shop = db.session.scalar(
        select(func.count(WorkOrder.id)).where(WorkOrder.status.in_(["in_progress", "ready"]))
    )
    assert in_shop >= 2


def test_some_cars_come_back_and_are_done_again_in_their_turn(app, monkeypatch):
    from demo import year

    monkeypatch.setattr(year, "COMEBACK_SHARE", 0.5)
    load_demo_data(year_orders=30)
    comebacks = db.session.scalars(
        select(WorkOrder).where(WorkOrder.comeback_of_id.is_not(None))
    ).all()
    assert len(comebacks) >= 5
    for again in comebacks:
        earlier = again.comeback_of
        assert earlier.vehicle_id == again.vehicle_id
        assert earlier.delivered_at < again.received_at
        assert again.comeback_cause in ("workmanship", "part")
        paid_by = {"workmanship": "internal", "part": "warranty"}[again.comeback_cause]
        assert [j.pay_type for j in again.jobs] == [paid_by]
    # The three-guarantee car's two engine repairs come after the year, each at its moment.
    watched = select(WarrantyClaim.work_order_id).where(WarrantyClaim.fault_system.is_not(None))
    delivered = db.session.scalars(
        select(WorkOrder)
        .where(WorkOrder.status == "delivered", WorkOrder.id.not_in(watched))
        .order_by(WorkOrder.id)
    ).all()
    days = [o.received_at.date() for o in delivered]
    assert days == sorted(days)
