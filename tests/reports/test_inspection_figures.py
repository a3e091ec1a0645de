"""The inspection figures of the orders delivered in a period: the share inspected, and the
value of the recommended work and the share of it sold, per technician and per advisor."""

from datetime import date, timedelta

from dealer.extensions import db
from mpi.models import MpiInspection, MpiItem
from reports.figures import Period
from reports.inspections import inspection_figures
from tests.care.visits import delivered
from tests.factories import make_user
from workorders import services as wo


def test_the_share_inspected_and_the_recommended_work_sold(app, client, login, token_for):
    inspected = delivered(declined=True)
    delivered()
    tech = make_user(roles=["technician"], full_name="张师傅")
    oil, brakes = inspected.jobs
    inspection = MpiInspection(
        site_id=inspected.site_id,
        work_order_id=inspected.id,
        status="completed",
        started_by_id=tech.id,
        completed_by_id=tech.id,
        items=[
            MpiItem(code=code, item_group="brakes", label=code, label_zh=code, condition=colour)
            for code, colour in (("oil", "yellow"), ("pads", "red"))
        ],
    )
    db.session.add(inspection)
    db.session.flush()
    oil.mpi_item_id, brakes.mpi_item_id = (item.id for item in inspection.items)
    db.session.commit()
    today = date.today()
    period = Period(today - timedelta(days=2), today + timedelta(days=2), "Asia/Shanghai")
    found = inspection_figures(inspected.site_id, period)
    assert (found.orders, found.inspected) == (2, 1) and found.inspected_share == 0.5
    oil_value = wo.job_amount(oil).amount
    assert found.total.recommended == 2 and found.total.sold == 1
    assert found.total.sold_value == oil_value
    assert found.total.recommended_value == oil_value + wo.job_amount(brakes).amount
    [row] = found.technicians
    assert row.name == "张师傅" and row.inspections == 1 and row.sold_value == oil_value
    [desk] = found.advisors
    assert desk.name == inspected.advisor.full_name and desk.recommended == 2
    answer = client.get(
        f"/api/v1/reports/summary?from={period.start}&to={period.end}",
        headers=token_for("manager"),
    ).json
    assert answer["inspected_share"] == "0.5"
    assert answer["inspection_sold_value"] == str(oil_value)
    login("manager")
    page = client.get(f"/reports?from={period.start}&to={period.end}").get_data(as_text=True)
    assert 'id="inspections-technicians"' in page and "张师傅" in page
