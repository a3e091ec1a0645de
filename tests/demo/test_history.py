"""The generated history of a dealer group follows the product's own rules."""

from collections import Counter
from datetime import timedelta
from decimal import Decimal

import phonenumbers
import pytest
from sqlalchemy import func, select

from care import vip, worth
from care.models import CallAttempt, Callback, Complaint
from customers.models import Customer, Vehicle
from customers.services import name_key, plate_key
from customers.vin import check_vin
from dealer import services
from dealer.extensions import db
from demo.dealership import load_demo_data
from demo.history import generate
from tests.conftest import sign_in
from workorders import services as wo
from workorders.models import WorkOrder

FIGURES = (
    "hours_sold",
    "clocked_seconds",
    "parts_sales",
    "parts_cost",
    "declined_value",
    "first_approved",
    "proposed_approved",
    "proposed_decided",
)


@pytest.fixture
def history(app):
    load_demo_data()
    db.session.commit()
    counts = generate(400, 1500, seed=11)
    db.session.expire_all()
    return counts


def test_orders_carry_the_totals_and_figures_the_rules_give(history):
    assert history.rows["work_orders"] == 1500 and history.rows["customers"] == 400
    delivered = db.session.scalars(
        select(WorkOrder).where(WorkOrder.status == "delivered", WorkOrder.number.like("WO-%"))
    ).all()
    assert len(delivered) > 1300
    for order in delivered[::7]:
        assert wo.order_totals(order).total == order.final_total, order.number
        assert sum((p.amount for p in order.payments), Decimal("0")) == order.final_total
        stored = {name: getattr(order, name) for name in FIGURES}
        wo.settle_figures(order)
        assert {name: getattr(order, name) for name in FIGURES} == stored, order.number
        assert order.authorizations[-1].amount == order.authorized_amount
        assert all(job.status in ("done", "declined") for job in order.jobs)
        assert order.quality_checks and order.quality_checks[-1].passed
        assert order.odometer_out >= order.odometer_in
        for damage in order.inspection.panels:
            assert damage["panel"] in wo.PANELS and damage["damage"] in wo.DAMAGE
    db.session.rollback()
    statuses = Counter(db.session.scalars(select(WorkOrder.status)))
    assert {"intake", "estimating", "in_progress", "quality_check", "ready"} <= set(statuses)
    assert statuses["cancelled"] > 0


def test_numbers_are_unique_and_new_orders_continue_them(history, app):
    numbers = list(db.session.scalars(select(WorkOrder.number)))
    assert len(numbers) == len(set(numbers))
    years = {n.split("-")[1] for n in numbers}
    assert len(years) >= 10
    vehicle = db.session.scalars(select(Vehicle).order_by(Vehicle.id.desc())).first()
    order = wo.open_work_order(
        services.find_user("advisor"),
        vehicle,
        odometer_km=vehicle.odometer_km + 10,
        fuel_level=Decimal("0.5"),
        concern="Noise",
    )
    db.session.commit()
    assert order.number not in numbers


def test_customers_figures_and_tiers_are_the_nightly_refresh(history):
    site = services.default_site()
    figures = worth.customer_figures(site.id)
    rules = vip.tiers(services.settings_for(site.id))
    customers = db.session.scalars(select(Customer).where(Customer.id.in_(list(figures)))).all()
    assert len(customers) > 300
    for customer in customers:
        f = figures[customer.id]
        assert (customer.spend_12m, customer.visits_12m, customer.lifetime_spend) == (
            f.spend_12m,
            f.visits_12m,
            f.lifetime,
        ), customer.id
        assert customer.vip_tier == vip.tier_for(rules, f.spend_12m, f.visits_12m)
    assert worth.refresh_customers(site.id) == 0
    assert any(c.vip_tier for c in customers)


def test_people_and_cars_are_well_formed(history):
    customers = db.session.scalars(select(Customer)).all()
    phones = [c.phone for c in customers]
    assert len(set(phones)) == len(phones)
    for customer in customers[::5]:
        number = phonenumbers.parse(customer.phone)
        assert phonenumbers.is_valid_number(number), customer.phone
        assert customer.phone_digits == customer.phone[1:]
        assert customer.name_key == name_key(customer.name)
    vehicles = db.session.scalars(select(Vehicle)).all()
    assert len({v.vin for v in vehicles}) == len(vehicles)
    for vehicle in vehicles:
        assert check_vin(vehicle.vin).error is None, vehicle.vin
        assert vehicle.plate_key == plate_key(vehicle.plate)
        last = db.session.scalar(
            select(func.max(WorkOrder.odometer_in)).where(WorkOrder.vehicle_id == vehicle.id)
        )
        assert last is None or vehicle.odometer_km >= last


def test_care_history_has_calls_tries_and_complaints(history):
    now = services.utcnow()
    generated = Callback.plan_key.is_(None)
    open_calls = db.session.scalars(
        select(Callback).where(generated, Callback.status == "open")
    ).all()
    assert open_calls and all(c.due_at > now - timedelta(days=2) for c in open_calls)
    closed = db.session.scalars(select(Callback).where(Callback.status != "open")).all()
    for callback in closed[::10]:
        tries = db.session.scalars(
            select(CallAttempt)
            .where(CallAttempt.callback_id == callback.id)
            .order_by(CallAttempt.at)
        ).all()
        assert len(tries) == callback.attempts and tries[-1].at == callback.closed_at
    consent = {c.id: c.callback_consent for c in db.session.scalars(select(Customer))}
    assert all(consent[c.customer_id] for c in open_calls + closed)
    assert db.session.scalar(select(func.count(Complaint.id))) >= 1


def test_generated_history_is_served_by_the_pages(history, app):
    client = app.test_client()
    sign_in(client, "manager", "demo-pass-2026")
    order = db.session.scalars(
        select(WorkOrder).where(WorkOrder.status == "delivered").order_by(WorkOrder.id.desc())
    ).first()
    page = client.get(f"/work-orders/{order.id}")
    assert page.status_code == 200 and order.number in page.get_data(as_text=True)
    plate = order.vehicle.plate
    found = client.get("/customers", query_string={"q": plate.lower()})
    assert order.customer.name in found.get_data(as_text=True)
    assert client.get("/callbacks?scope=all").status_code == 200
    assert client.get("/dashboard").status_code == 200


def test_demo_data_command_generates_with_counts(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo-data", "--customers", "50", "--work-orders", "120"])
    assert result.exit_code == 0, result.output
    assert "Generated 50 customers, 120 work orders" in result.output
    assert db.session.scalar(select(func.count(WorkOrder.id))) == 120 + 6 + 2, (
        "the history, today's six cars, and the three-guarantee car's two repairs"
    )
    bad = runner.invoke(args=["demo-data", "--work-orders", "10"])
    assert bad.exit_code != 0 and "--work-orders needs --customers" in bad.output
