"""Dates and times are checked at the edge with a clear 422; and whatever a record holds, the
pages, lists and papers that show it still answer."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from dealer.extensions import db
from tests.factories import make_authorized_job, make_user
from workorders.models import WorkOrder


@pytest.mark.parametrize(
    "value, message",
    [
        ("9999-12-31T23:00:00+00:00", "within a year"),
        ("2026-12-31T10:00:00", "offset"),
        ("2001-01-01T10:00:00+08:00", "future"),
    ],
)
def test_a_promised_time_is_checked_at_the_edge(client, token_for, app, value, message):
    advisor = make_user(roles=["advisor"])
    order, _job = make_authorized_job(advisor=advisor)
    db.session.commit()
    response = client.patch(
        f"/api/v1/work-orders/{order.id}", json={"promised_at": value}, headers=token_for("advisor")
    )
    assert response.status_code == 422, response.json
    assert message in response.json["errors"]["promised_at"][0]


def test_pages_lists_and_papers_survive_any_stored_time(client, login, token_for, app):
    advisor = make_user(roles=["advisor"])
    order, _job = make_authorized_job(advisor=advisor)
    db.session.commit()
    login("advisor", "manager")
    for moment in (datetime(9999, 12, 31, 23, 0, tzinfo=UTC), datetime(1, 1, 1, 0, 0, tzinfo=UTC)):
        db.session.execute(
            update(WorkOrder).where(WorkOrder.id == order.id).values(promised_at=moment)
        )
        db.session.commit()
        for path in (
            "/work-orders",
            "/work-orders?status=late",
            f"/work-orders/{order.id}",
            f"/work-orders/{order.id}/documents/work-order.pdf",
            f"/work-orders/{order.id}/documents/estimate.pdf",
            "/dashboard",
            "/board",
        ):
            assert client.get(path).status_code == 200, (path, moment)
        api = client.get(f"/api/v1/work-orders/{order.id}", headers=token_for("advisor"))
        assert api.status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "from=0001-01-01&to=0001-12-31",
        "from=9999-01-01&to=9999-12-31",
        "from=1999-12-31&to=2000-01-05",
    ],
)
def test_report_and_archive_ranges_stay_within_the_datas_life(client, token_for, login, app, query):
    manager = token_for("manager")
    report = client.get(f"/api/v1/reports/summary?{query}", headers=manager)
    assert report.status_code == 422 and {"from", "to"} & set(report.json["errors"])
    archive = client.get(f"/api/v1/repair-archive?{query}", headers=manager)
    assert archive.status_code == 422 and {"from", "to"} & set(archive.json["errors"])
    login("manager")
    assert client.get(f"/reports?{query}").status_code == 200
    page_query = query.replace("from=", "start=").replace("to=", "end=")
    assert client.get(f"/repair-archive?{page_query}").status_code == 422


def test_a_period_in_the_datas_life_is_fine(client, token_for, app):
    today = datetime.now(UTC).date()
    query = f"from={today - timedelta(days=30)}&to={today}"
    assert (
        client.get(f"/api/v1/reports/summary?{query}", headers=token_for("manager")).status_code
        == 200
    )
