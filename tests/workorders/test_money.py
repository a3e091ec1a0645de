"""Money is exact everywhere it shows: three parts at 0.10 are 0.30 on the page, in the API,
in the printed work order and in the database's own SUM, never 0.30000000000000004."""

from decimal import Decimal

from sqlalchemy import func, select, text

from dealer.extensions import db
from dealer.i18n import money
from tests.factories import make_order, make_part
from tests.workorders.test_documents import text_of
from workorders import services as wo
from workorders.models import PartLine


def test_three_lines_of_ten_cents_are_thirty_cents_everywhere(app, client, login, token_for):
    assert sum([0.1, 0.1, 0.1]) != 0.3
    advisor = login("advisor")
    order = make_order(advisor=advisor)
    job = wo.add_job(
        advisor, order, title="Fuses", labor_hours=Decimal("0.1"), category="minor_repair"
    )
    for n in range(3):
        part = make_part(part_number=f"FUSE-{n}", unit_price=Decimal("0.10"))
        wo.add_part_line(advisor, order, job, part_number=part.part_number, quantity=Decimal("1"))
    db.session.commit()

    assert wo.order_totals(order).parts == Decimal("0.30")
    cents = db.session.execute(
        text("SELECT SUM(unit_price) FROM part_lines WHERE work_order_id = :id"), {"id": order.id}
    ).scalar()
    assert cents == 30 and not isinstance(cents, float)
    summed = db.session.scalar(
        select(func.sum(PartLine.unit_price)).where(PartLine.work_order_id == order.id)
    )
    assert summed == Decimal("0.30")

    with app.test_request_context():
        shown = money(Decimal("0.30"))
    page = client.get(f"/work-orders/{order.id}").get_data(as_text=True)
    assert f'<td class="text-end">{shown}</td>' in page
    assert "0.30000000000000004" not in page and "0.3000" not in page

    api = client.get(f"/api/v1/work-orders/{order.id}", headers=token_for("advisor")).json
    assert api["totals"]["parts"] == "0.30"

    printed = "\n".join(
        text_of(client.get(f"/work-orders/{order.id}/documents/work-order.pdf").data)
    )
    assert "0.30" in printed and "0.30000000000000004" not in printed
