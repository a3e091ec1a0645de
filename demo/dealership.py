"""Demo data: a believable dealership to try the product on.

Loading is idempotent: staff are matched by username and customers by
phone number, so running it twice adds nothing the second time.
"""

import random
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from care import planning, vip
from care.complaints import raise_complaint
from customers.models import Customer, Vehicle
from customers.services import CustomerInput, VehicleInput, create_customer, register_vehicle
from dealer import services
from dealer.audit import acting_as
from dealer.extensions import db
from dealer.models import User
from dealer.timeutil import zone
from demo.bookings import load_demo_bookings
from demo.catalogue import (
    CANNED_SKILLS,
    CHINESE_NAMES,
    COLOURS,
    COMPANIES,
    DEMO_CANNED,
    DEMO_PARTS,
    DEMO_PASSWORD,
    ENGLISH_NAMES,
    MODELS,
    SKILLS,
    STAFF,
    demo_plate,
    demo_vin,
)
from demo.warranty import load_demo_warranty
from demo.year import load_demo_year
from mpi import starter
from mpi.templates import save_template
from parts.models import Part
from parts.stock import create_part, receive
from workorders import services as wo
from workorders.models import WorkOrder


def load_demo_data(year_orders: int = 0) -> list[tuple[str, str, str]]:
    """Load the demo dealership, with ``year_orders`` visits over the last year before today's
    cars; returns the demo logins (username, name, roles)."""
    rng = random.Random(2026)
    with acting_as(None):
        site = services.default_site()
        settings = services.settings_for(site.id)
        if settings.dealer_name == "Service Desk":
            settings.dealer_name = "浦东汽车服务中心 Pudong Motors Service"
            settings.address = "上海市浦东新区张江路 1088 号 1088 Zhangjiang Road, Pudong, Shanghai"
            settings.phone = "021 5080 1234"
            settings.labor_rate = Decimal("260.00")
            settings.bays = 6
            settings.equipment = {"alignment": 1, "paint_booth": 0}
        for username, name, roles, language in STAFF:
            if services.find_user(username) is None:
                services.create_user(
                    None,
                    username=username,
                    password=DEMO_PASSWORD,
                    data=services.StaffInput(
                        full_name=name,
                        roles=roles,
                        language=language,
                        skills=SKILLS.get(username),
                    ),
                    site=site,
                )
        people = [(n, None, "zh_Hans") for n in CHINESE_NAMES] + [
            (n, None, "en") for n in ENGLISH_NAMES
        ]
        people += [(c, contact, "zh_Hans") for c, contact in COMPANIES]
        for index, (name, contact, language) in enumerate(people):
            phone = f"+86139{index + 1:08d}"
            if db.session.scalar(select(Customer.id).where(Customer.phone == phone)):
                continue
            customer = create_customer(
                None,
                site.id,
                CustomerInput(
                    kind="company" if contact else "person",
                    name=name,
                    phone=phone,
                    contact_name=contact,
                    contact_phone=f"+86137{index + 1:08d}" if contact else None,
                    preferred_language=language,
                    email=f"customer{index + 1}@example.com" if index % 3 == 0 else None,
                    callback_consent=index % 10 != 9,
                    marketing_consent=index % 4 == 0,
                ),
                settings.phone_region,
            )
            for _ in range(1 + (index % 5 == 0) + (contact is not None) * 2):
                wmi, make, model = rng.choice(MODELS)
                year = rng.randint(2016, 2025)
                register_vehicle(
                    None,
                    customer,
                    VehicleInput(
                        vin=demo_vin(rng, wmi, year),
                        plate=demo_plate(rng),
                        make=make,
                        model=model,
                        year=year,
                        colour=rng.choice(COLOURS),
                        odometer_km=rng.randint(3, 120) * 1000 + rng.randint(0, 999),
                    ),
                )
        db.session.commit()
        load_demo_workshop(site, year_orders)
        db.session.commit()
    return demo_logins()


def load_demo_workshop(site, year_orders: int = 0) -> None:
    """A parts catalogue, common jobs and cars at every stage, made through the real operations."""
    if db.session.scalar(select(WorkOrder.id).limit(1)) is not None:
        return
    manager = services.find_user("manager")
    advisor = services.find_user("advisor")
    tech1, tech2 = services.find_user("tech1"), services.find_user("tech2")
    inspector = services.find_user("inspector")
    for number, name, name_zh, unit, cost, price, stock in DEMO_PARTS:
        if db.session.scalar(select(Part.id).where(Part.part_number == number)) is None:
            part = create_part(
                None,
                site.id,
                part_number=number,
                name=name,
                name_zh=name_zh,
                unit=unit,
                unit_cost=Decimal(cost),
                unit_price=Decimal(price),
                reorder_point=Decimal(stock) / 2 + 2,
                reorder_quantity=Decimal("10"),
            )
            if Decimal(stock):
                receive(None, part, Decimal(stock), Decimal(cost), supplier="FAW Parts Center")

    canned = {}
    for title, title_zh, hours, category, parts in DEMO_CANNED:
        canned[title] = wo.save_canned_job(
            manager,
            site.id,
            title=title,
            title_zh=title_zh,
            labor_hours=Decimal(hours),
            category=category,
            parts=[{"part_number": n, "quantity": q} for n, q in parts],
            skill=CANNED_SKILLS.get(title, ("maintenance", None))[0],
            equipment=CANNED_SKILLS.get(title, ("maintenance", None))[1],
        )
    for template, default in (
        (starter.full_inspection, True),
        (starter.maintenance_inspection, False),
    ):
        name, name_zh, items = template()
        save_template(manager, site.id, name=name, name_zh=name_zh, items=items, is_default=default)
    if year_orders:
        db.session.commit()
        load_demo_year(site, orders=year_orders)
    vehicles = list(db.session.scalars(select(Vehicle).order_by(Vehicle.id).limit(6)))
    concerns = [
        "三万公里保养到期",
        "刹车时前部有异响，冷车早晨明显",
        "雨刮刮不干净，刮挡风玻璃时有尖叫声",
        "保养到期，顺便检查空调",
        "刹车踏板发软",
        "更换机油并检查轮胎",
    ]
    orders = []
    for vehicle, concern in zip(vehicles, concerns, strict=True):
        order = wo.open_work_order(
            advisor,
            vehicle,
            odometer_km=vehicle.odometer_km + 800,
            fuel_level=Decimal("0.5"),
            concern=concern,
        )
        orders.append(order)
    awaiting, working, checking, ready, delivered = orders[1:]
    for order in orders[1:]:
        wo.record_inspection(
            advisor,
            order,
            wo.InspectionInput(
                panels=[{"panel": "rear_bumper", "damage": "scratch", "note": "5 cm"}],
                belongings=["spare_wheel", "floor_mats"],
                acknowledged_by=order.customer.name,
            ),
        )
    wo.add_canned_job(advisor, awaiting, canned["Front brake pads"])
    wo.add_canned_job(advisor, awaiting, canned["Wiper blades"])
    wo.move_order(advisor, awaiting, "awaiting_approval")
    for order, title in (
        (working, "Wiper blades"),
        (checking, "Oil service"),
        (ready, "Oil service"),
        (delivered, "Oil service"),
    ):
        job = wo.add_canned_job(advisor, order, canned[title])
        wo.authorize_jobs(
            advisor,
            order,
            approved_job_ids=[job.id],
            declined_job_ids=[],
            authorized_by=order.customer.name,
            method="phone",
            phone="13900000001",
            amount=wo.total_if_all_approved(order),
        )
    wo.clock_on(tech1, working.jobs[0])
    wo.add_job(
        tech1,
        working,
        title="Replace cabin air filter",
        labor_hours=Decimal("0.3"),
        category="minor_repair",
        findings="Filter clogged with leaves",
    )
    all_checked = dict.fromkeys(wo.QC_CHECKLIST, True)
    for order in (checking, ready, delivered):
        wo.clock_on(tech2, order.jobs[0])
        wo.complete_job(tech2, order.jobs[0])
    for order in (ready, delivered):
        wo.record_quality_check(inspector, order, passed=True, checklist=all_checked)
    wo.hand_over(
        advisor,
        delivered,
        payment_method="mobile_payment",
        amount_paid=wo.order_totals(delivered).total,
        received_by=delivered.customer.name,
    )
    load_demo_care(site, delivered)
    load_demo_bookings(site)
    load_demo_warranty(site, [awaiting, working])


def load_demo_care(site, delivered) -> None:
    """A callback agent's morning: calls due today and overdue, a VIP, an open complaint."""

    agent = services.find_user("callback")
    manager = services.find_user("manager")
    now = services.utcnow()
    settings = services.settings_for(site.id)
    today = now.astimezone(zone(settings.time_zone)).date()
    tiers = vip.tiers(settings)
    customers = list(db.session.scalars(select(Customer).order_by(Customer.id).limit(12)))
    for customer in customers[8:10]:
        vip.grant(manager, customer, tiers[0]["name"], "Fleet account", tiers)
        vip.set_advisor(manager, customer, services.find_user("advisor"))
    holiday = planning.next_holiday(settings, today)
    for index, (customer, kind, hours) in enumerate(
        zip(
            customers[6:12],
            (
                "satisfaction",
                "service_reminder",
                "vip_care",
                "satisfaction",
                "declined_work",
                "service_reminder",
            ),
            (-50, -2, -1, 0, 1, 2),
            strict=True,
        )
    ):
        if kind == "vip_care" and holiday is None:
            continue
        planning.add_callback(
            site.id,
            customer,
            kind,
            now + timedelta(hours=hours),
            vehicle_id=customer.vehicles[0].id if customer.vehicles else None,
            assignee_id=agent.id if index % 2 else None,
            plan_key=f"demo:{index}",
            note=holiday[0] if kind == "vip_care" else None,
        )
    raise_complaint(
        agent,
        delivered.customer,
        "交车时车内有油污，座椅没有套上保护套。",
        channel="phone",
        vehicle_id=delivered.vehicle_id,
        work_order_id=delivered.id,
    )
    db.session.flush()


def demo_logins() -> list[tuple[str, str, str]]:
    """The demo staff who exist, as (username, name, roles)."""
    logins = []
    for username, _name, _roles, _language in STAFF:
        user = db.session.scalar(select(User).where(User.username == username))
        if user is not None:
            logins.append((user.username, user.full_name, ", ".join(sorted(user.roles))))
    return logins
