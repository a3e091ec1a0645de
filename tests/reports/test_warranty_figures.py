"""The warranty figures: what the manufacturer owes today by age, the period's claims
submitted, rejected and paid with the rejection rate and reasons per manufacturer, the days
from repair to submission and to payment, each campaign's completion and the open campaigns
among the cars that visited; on the reports page and in the API's summary."""

from datetime import timedelta
from decimal import Decimal as D

from dealer.extensions import db
from reports.figures import Period
from reports.warranty import warranty_figures
from tests.factories import make_order, make_user, make_vehicle, make_vin
from tests.warranty.work import do_the_work
from warranty import campaigns, claims
from warranty.models import WarrantyClaim
from warranty.terms import site_today
from workorders import services as wo


def _claim(advisor, admin, make: str, hours: str) -> WarrantyClaim:
    order = make_order(advisor=advisor, vehicle=make_vehicle(make=make))
    job = wo.add_job(
        advisor,
        order,
        title="Repair",
        labor_hours=D(hours),
        category="minor_repair",
        pay_type="warranty",
    )
    job.findings = "Failed part"
    db.session.commit()
    do_the_work(order, advisor)
    claim = db.session.query(WarrantyClaim).filter_by(job_id=job.id).one()
    claims.update_claim(
        admin,
        claim,
        claims.ClaimChanges(labor_op="OP1", causal_part_number="P1", failure_code="F1"),
    )
    return claim


def test_receivables_by_age_the_flow_and_the_reasons(app, client, login, token_for):
    advisor = make_user(roles=["advisor"])
    admin = make_user(roles=["warranty"])
    today = site_today(admin.site_id)
    old = _claim(advisor, admin, "Buick", "2")  # 240.00, owed for 100 days
    fresh = _claim(advisor, admin, "Buick", "1")  # 120.00, owed for 5 days
    bounced = _claim(advisor, admin, "Chevrolet", "1")  # rejected, then paid short
    draft = _claim(advisor, admin, "Chevrolet", "3")  # never submitted
    for claim in (old, fresh, bounced):
        claims.submit(admin, claim)
    claims.reject(admin, bounced, "Photo missing")
    claims.submit(admin, bounced)
    claims.pay(admin, bounced, D("100.00"), today)
    old.first_submitted_on = old.submitted_on = today - timedelta(days=100)
    old.repaired_on = today - timedelta(days=104)
    fresh.first_submitted_on = today - timedelta(days=5)
    fresh.repaired_on = today - timedelta(days=7)
    db.session.commit()
    period = Period(today - timedelta(days=30), today, "Asia/Shanghai")
    found = warranty_figures(admin.site_id, period)
    assert found.receivable == D("360.00")
    assert [(b.low, b.high, b.claims, b.amount) for b in found.ages] == [
        (0, 30, 1, D("120.00")),
        (31, 60, 0, D("0.00")),
        (61, 90, 0, D("0.00")),
        (91, None, 1, D("240.00")),
    ]
    assert (found.submitted, found.rejected, found.paid) == (2, 1, 1), "the old one went in before"
    assert found.rejection_rate == D("0.5")
    assert (found.paid_amount, found.short_paid) == (D("100.00"), D("20.00"))
    makers = {m.manufacturer: m for m in found.makers}
    assert makers["Chevrolet"].rejection_rate == D("1") and makers["Chevrolet"].reasons == [
        ("Photo missing", 1)
    ]
    assert makers["Buick"].submitted == 1 and makers["Buick"].rejection_rate == D("0")
    assert found.days_to_submission == D("1.0") and found.days_to_payment == D("0.0")
    assert draft.status == "draft"

    login("manager")
    page = client.get(f"/reports?from={period.start}&to={period.end}").get_data(as_text=True)
    assert "Owed by the manufacturer (today)" in page and "Photo missing (1)" in page
    summary = client.get(
        f"/api/v1/reports/summary?from={period.start}&to={period.end}", headers=token_for("manager")
    ).json
    assert summary["warranty_receivable"] == "360.00"
    assert (summary["claims_submitted"], summary["claims_rejected"], summary["claims_paid"]) == (
        2,
        1,
        1,
    )
    assert summary["claim_rejection_rate"] == "0.5"


def test_campaign_completion_and_open_campaigns_among_visitors(app):
    advisor = make_user(roles=["advisor"])
    admin = make_user(roles=["warranty"])
    done_car, open_car, stranger = make_vehicle(), make_vehicle(), make_vehicle()
    recall = campaigns.create_campaign(
        admin,
        admin.site_id,
        campaigns.CampaignInput(code="RC-1", kind="recall", title="Airbag", labor_hours=D("1")),
    )
    campaigns.add_vins(admin, recall, [done_car.vin, open_car.vin, make_vin(999990)])
    db.session.commit()
    fixed = make_order(advisor=advisor, vehicle=done_car)
    campaigns.add_campaign_job(advisor, fixed, recall)
    db.session.commit()
    do_the_work(fixed, advisor)
    do_the_work(make_order(advisor=advisor, vehicle=open_car), advisor, deliver=False)
    make_order(advisor=advisor, vehicle=stranger)
    today = site_today(admin.site_id)
    found = warranty_figures(admin.site_id, Period(today, today, "Asia/Shanghai"))
    [progress] = found.campaigns
    assert (progress.vins, progress.closed) == (3, 1) and progress.rate == D("0.3333")
    assert (found.visitors_with_open_campaigns, found.visitors) == (1, 3)
