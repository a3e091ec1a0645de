"""The demo's warranty desk: the cars' sale dates, a recall and a service campaign naming some
of the demo's cars among many others, a family car close to a three-guarantee limit after two
engine repairs, and the year's warranty jobs as claims at every step, some paid short, some
rejected, with old parts on the shelf; all made through the operations at their own moments."""

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from care import callbacks as calls
from care.models import Callback
from customers.models import Customer, Vehicle
from customers.vin import with_check_digit
from dealer import services
from dealer.extensions import db
from dealer.types import clock_at, utcnow
from warranty import campaigns, claims
from warranty.models import Campaign, WarrantyClaim
from workorders import services as wo
from workorders.models import Job, WorkOrder

REJECTIONS = (
    "Labor operation does not match the repair",
    "Causal part not returned",
    "Photo of the failed part missing",
    "Outside the warranty mileage",
)
CAUSES = ("零件早期磨损", "密封件老化渗漏", "电气接插件接触不良", "制造缺陷")
ALL_CHECKED = dict.fromkeys(wo.QC_CHECKLIST, True)


def _sale_dates(rng: random.Random) -> None:
    for vehicle in db.session.scalars(select(Vehicle).where(Vehicle.sold_on.is_(None))):
        year = vehicle.year or 2020
        vehicle.sold_on = date(year, rng.randint(1, 12), rng.randint(1, 28))


def _campaigns(site, admin, open_orders: list[WorkOrder], rng: random.Random) -> None:
    recall = campaigns.create_campaign(
        admin,
        site.id,
        campaigns.CampaignInput(
            code="RC-2026-014",
            kind="recall",
            title="Replace the driver's airbag inflator",
            title_zh="更换驾驶员气囊气体发生器",
            labor_op="AB1902",
            labor_hours=Decimal("1.2"),
            parts=[("13590232", Decimal("1"))],
        ),
    )
    update = campaigns.create_campaign(
        admin,
        site.id,
        campaigns.CampaignInput(
            code="SC-2026-031",
            kind="service_campaign",
            title="Update the transmission control software",
            title_zh="升级变速器控制软件",
            labor_op="TC0415",
            labor_hours=Decimal("0.5"),
            ends_on=date(utcnow().year + 1, 6, 30),
        ),
    )
    strangers = [with_check_digit(f"LSGAR5AL0N{rng.randint(0, 9)}{n:06d}") for n in range(400)]
    ours = [o.vehicle.vin for o in open_orders[:2]]
    others = list(db.session.scalars(select(Vehicle.vin).order_by(Vehicle.id).offset(10).limit(6)))
    campaigns.add_vins(admin, recall, [*ours, *others[:3], *strangers])
    campaigns.add_vins(admin, update, [ours[0], *others[3:], *strangers[:150]])


def _visit(advisor, tech, inspector, vehicle, at: datetime, days: int, title: str, findings: str):
    """A warranty repair of ``vehicle`` taken in at ``at`` and handed back ``days`` later."""
    with clock_at(at):
        order = wo.open_work_order(
            advisor,
            vehicle,
            odometer_km=vehicle.odometer_km + 900,
            fuel_level=Decimal("0.5"),
            concern="发动机舱有机油渗漏，仪表报警",
        )
        wo.record_inspection(
            advisor, order, wo.InspectionInput(acknowledged_by=vehicle.customer.name)
        )
        job = wo.add_job(
            advisor,
            order,
            title=title,
            labor_hours=Decimal("3.5"),
            category="major_repair",
            pay_type="warranty",
        )
        wo.add_part_line(advisor, order, job, part_number="16100-09J80", quantity=Decimal("1"))
        job.findings = findings
        if order.status == "intake":
            wo.move_order(advisor, order, "estimating")
        wo.authorize_jobs(
            advisor,
            order,
            approved_job_ids=[job.id],
            declined_job_ids=[],
            authorized_by=vehicle.customer.name,
            method="phone",
            phone="13900000001",
            amount=wo.total_if_all_approved(order),
        )
        wo.clock_on(tech, job)
    with clock_at(at + timedelta(days=days - 1, hours=2)):
        wo.complete_job(tech, job)
        wo.record_quality_check(inspector, order, passed=True, checklist=ALL_CHECKED)
        wo.hand_over(
            advisor,
            order,
            payment_method="cash",
            amount_paid=Decimal("0"),
            received_by=vehicle.customer.name,
        )
    agent = services.find_user("callback")
    for callback in db.session.scalars(
        select(Callback).where(Callback.work_order_id == order.id, Callback.status == "open")
    ):
        with clock_at(callback.due_at + timedelta(hours=2)):
            calls.record_attempt(agent, callback, outcome="reached", satisfaction=4)
    return db.session.scalar(select(WarrantyClaim).where(WarrantyClaim.job_id == job.id))


def _sanbao_car(site, staff: dict, busy: set[int]) -> None:
    """A family car sold fourteen months ago, back twice for the same engine fault."""
    vehicle = db.session.scalar(
        select(Vehicle)
        .join(Customer, Customer.id == Vehicle.customer_id)
        .where(
            Customer.kind == "person",
            Vehicle.vehicle_class == "car",
            Vehicle.odometer_km < 30000,
            Vehicle.id.not_in(busy),
        )
        .order_by(Vehicle.id.desc())
        .limit(1)
    )
    today = utcnow().date()
    vehicle.sold_on = today - timedelta(days=420)
    db.session.flush()
    now = utcnow()
    first = _visit(
        staff["advisor"],
        staff["tech2"],
        staff["inspector"],
        vehicle,
        now - timedelta(days=150),
        4,
        "Replace the water pump",
        "水泵轴封渗漏",
    )
    second = _visit(
        staff["advisor"],
        staff["tech2"],
        staff["inspector"],
        vehicle,
        now - timedelta(days=40),
        6,
        "Replace the water pump again",
        "新水泵再次渗漏，缸体接合面不平",
    )
    admin = staff["claims"]
    for claim, failure in ((first, "P1A21"), (second, "P1A21")):
        claims.update_claim(
            admin,
            claim,
            claims.ClaimChanges(labor_op="EN3310", failure_code=failure, fault_system="engine"),
        )
        claims.submit(admin, claim)
    claims.pay(admin, first, first.total_claimed, first.repaired_on + timedelta(days=30))
    claims.tag_old_part(admin, second, part_number="16100-09J80", shelf="W-2")


def _history_claims(site, admin, rng: random.Random) -> None:
    """The year's done warranty jobs as claims, the older the further along."""
    today = utcnow().date()
    jobs = db.session.scalars(
        select(Job)
        .join(WorkOrder, WorkOrder.id == Job.work_order_id)
        .where(
            WorkOrder.site_id == site.id,
            WorkOrder.status == "delivered",
            Job.pay_type == "warranty",
            Job.status == "done",
        )
        .order_by(Job.id)
    ).all()
    for job in jobs:
        done_on = (job.completed_at or utcnow()).date()
        age = (today - done_on).days
        with clock_at(job.completed_at or utcnow()):
            claim = claims.draft_for(job)
        if age < 10 or claim.status != "draft":
            continue
        claims.update_claim(
            admin,
            claim,
            claims.ClaimChanges(
                labor_op=claim.labor_op or f"OP{rng.randint(1000, 9999)}",
                causal_part_number=claim.causal_part_number or "04465-33450",
                failure_code=claim.failure_code or f"C{rng.randint(100, 999)}",
                complaint=claim.complaint or "客户反映故障",
                cause=claim.cause or rng.choice(CAUSES),
            ),
        )
        submitted = datetime.combine(done_on + timedelta(days=rng.randint(2, 9)), time(2), UTC)
        with clock_at(submitted):
            claims.submit(admin, claim)
        if age < 80 and rng.random() < 0.25:
            claims.tag_old_part(
                admin,
                claim,
                part_number=claim.causal_part_number,
                shelf=f"W-{rng.randint(1, 4)}",
                keep_until=today if rng.random() < 0.3 else None,
            )
        if age < 40:
            continue
        decided = submitted + timedelta(days=rng.randint(10, 25))
        with clock_at(decided):
            if rng.random() < 0.15:
                claims.reject(admin, claim, rng.choice(REJECTIONS))
                continue
            claims.accept(admin, claim, manufacturer_number=f"W{claim.id:07d}")
        if age < 75:
            continue
        paid_on = min(decided.date() + timedelta(days=rng.randint(15, 40)), today)
        amount = claim.total_claimed
        if rng.random() < 0.12:
            amount = (amount * Decimal("0.8")).quantize(Decimal("0.01"))
        claims.pay(admin, claim, amount, paid_on)


def load_demo_warranty(site, open_orders: list[WorkOrder]) -> None:
    """The warranty desk's demo, once."""
    if db.session.scalar(select(Campaign.id).limit(1)) is not None:
        return
    rng = random.Random(2027)
    staff = {name: services.find_user(name) for name in ("advisor", "tech2", "inspector", "claims")}
    _sale_dates(rng)
    _campaigns(site, staff["claims"], open_orders, rng)
    _sanbao_car(site, staff, {o.vehicle_id for o in open_orders})
    _history_claims(site, staff["claims"], rng)
    db.session.flush()
