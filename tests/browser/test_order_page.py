"""Each role's home, and the order page in each state for every role that sees it, on a
desktop (1366 x 768) and a tablet (1024 x 768), in English and in Chinese."""

from decimal import Decimal

import pytest

from dealer.extensions import db
from tests.browser.checks import one_line, problems
from tests.browser.test_work_order import sign_in
from tests.factories import make_customer, make_order, make_part, make_user, make_vehicle
from tests.workorders.test_services import ALL_CHECKED
from workorders import services as wo

pytestmark = pytest.mark.browser

ROLES = {
    "desk": ["advisor"],
    "wrench": ["technician"],
    "qc": ["inspector"],
    "counter": ["parts"],
    "caller": ["callback"],
    "boss": ["manager"],
}
JOBS = ("更换前刹车片", "更换机油机滤", "四轮定位", "更换空调滤芯", "检查底盘异响")


def orders_in_every_state(people: dict) -> dict[str, int]:
    """One order in each state, with five jobs and a part on each from the estimate on."""
    desk, wrench, qc = people["desk"], people["wrench"], people["qc"]
    part = make_part(part_number="04465-33450", name="前刹车片", on_hand="100")
    made = {}
    for state in (
        "intake",
        "estimating",
        "awaiting_approval",
        "in_progress",
        "quality_check",
        "ready",
        "delivered",
        "cancelled",
    ):
        customer = make_customer(name="王伟")
        vehicle = make_vehicle(customer=customer, make="大众", model="帕萨特")
        order = make_order(advisor=desk, vehicle=vehicle, concern="刹车异响", inspected=False)
        made[state] = order.id
        if state == "intake":
            continue
        wo.record_inspection(desk, order, wo.InspectionInput(acknowledged_by="王伟"))
        jobs = []
        for title in JOBS:
            job = wo.add_job(
                desk, order, title=title, labor_hours=Decimal("1.2"), category="minor_repair"
            )
            wo.add_part_line(desk, order, job, part_number=part.part_number, quantity=Decimal("1"))
            jobs.append(job)
        if state == "cancelled":
            wo.move_order(desk, order, "cancelled", reason="客户取消")
        elif state == "awaiting_approval":
            wo.move_order(desk, order, "awaiting_approval")
        elif state != "estimating":
            wo.authorize_jobs(
                desk,
                order,
                approved_job_ids=[j.id for j in jobs],
                declined_job_ids=[],
                authorized_by="王伟",
                method="phone",
                phone="13912345678",
                amount=wo.total_if_all_approved(order),
            )
            if state != "in_progress":
                for job in jobs:
                    wo.clock_on(wrench, job)
                    wo.complete_job(wrench, job)
            if state in ("ready", "delivered"):
                wo.record_quality_check(qc, order, passed=True, checklist=ALL_CHECKED)
            if state == "delivered":
                wo.hand_over(
                    desk,
                    order,
                    payment_method="cash",
                    amount_paid=wo.order_totals(order).total,
                    received_by="王伟",
                )
        db.session.commit()
    return made


@pytest.mark.parametrize("language", ["en", "zh_Hans"])
@pytest.mark.parametrize("width", [1366, 1024])
def test_the_order_page_reads_well_in_every_state_for_every_role(page, language, width):
    """Nothing wider than the window, no control cut off, the top bar on one line on a
    desktop, at most one primary button, no serious accessibility violation, no English on
    a Chinese page; and for the
    advisor on a desktop, the order with five jobs fits the screen without scrolling."""
    people = {
        name: make_user(username=name, roles=roles, language=language, full_name="张师傅")
        for name, roles in ROLES.items()
    }
    orders = orders_in_every_state(people)
    page.set_viewport_size({"width": width, "height": 768})
    failing = []
    for name in ROLES:
        page.context.clear_cookies()
        sign_in(page, name)
        for state, order_id in {"home": None, **orders}.items():
            answer = page.goto(f"/work-orders/{order_id}" if order_id else "/")
            if answer.status == 404:
                assert name == "wrench" and state not in ("in_progress", "delivered")
                continue
            assert answer.ok, (name, state)
            found = problems(page, language)
            primaries = page.locator("main .btn-primary:visible").count()
            if primaries > 1:
                found.append(f"{primaries} primary buttons")
            if width >= 1200 and not one_line(page):
                found.append("the top bar wraps")
            if name == "desk" and width >= 1366 and order_id:
                high = page.evaluate("document.documentElement.scrollHeight")
                if high > 768:
                    found.append(f"{high} px high: it scrolls")
            failing += [f"{name} on {state}: {line}" for line in found]
    assert failing == [], "\n".join(failing)
