"""The manager's pages: today's dashboard and the reports for a period (charts, tables, CSV)."""

import io
import json
from datetime import date, datetime, timedelta

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from dealer.auth import roles_required
from dealer.errors import DomainError
from dealer.extensions import db
from dealer.i18n import Translated, current_settings
from dealer.models import User, UserRole
from dealer.roles import ADVISOR, ALL_STAFF, MANAGER, TECHNICIAN
from dealer.spreadsheet import SafeWriter
from dealer.timeutil import check_day, zone
from dealer.types import utcnow
from dealer.web import download, show_errors
from reports import archive, bookings, figures, inspections, warranty
from reports.dashboard import today
from reports.forms import ArchiveForm
from reports.queues import reads_the_dashboard, work_queues
from workorders.services import workshop_now
from workorders.vocabulary import ComebackCause

bp = Blueprint("reports", __name__)

QUEUE_TITLES = {
    "decided_on_link": _l("Decided by the customer on their link"),
    "arrivals": _l("Arrived today"),
    "replies": _l("Customers' replies"),
    "estimate_to_send": _l("Estimates to put to the customer"),
    "awaiting_decision": _l("Work the customer has not decided yet"),
    "ready_to_hand_over": _l("Ready to hand over"),
    "at_risk": _l("Promised times late or at risk"),
    "my_jobs": _l("My jobs"),
    "jobs_to_take": _l("Jobs to take"),
    "parts_arrived": _l("Parts arrived for my jobs"),
    "final_inspection": _l("Cars waiting for the final inspection"),
    "to_pick": _l("Parts to pick for the workshop"),
    "waiting_for_parts": _l("Jobs waiting for parts"),
    "calls_today": _l("Today's calls"),
    "old_parts_due": _l("Old parts due back to the manufacturer or for scrap"),
    "claims_to_submit": _l("Draft claims to submit"),
    "claims_rejected": _l("Rejected claims to correct"),
}
"""The title of each list of a work queue (``reports.queues``)."""

METRICS = (
    ("car_count", _l("Cars delivered"), "count"),
    ("revenue", _l("Revenue (customer pay, with tax)"), "money"),
    ("average_repair_order", _l("Average repair order"), "money"),
    ("labor_hours_sold", _l("Labor hours sold"), "hours"),
    ("labor_hours_clocked", _l("Labor hours clocked"), "hours"),
    ("technician_efficiency", _l("Efficiency (sold ÷ clocked)"), "rate"),
    ("technician_productivity", _l("Productivity (clocked ÷ available)"), "rate"),
    ("parts_sales", _l("Parts sales"), "money"),
    ("parts_gross_profit", _l("Parts gross profit"), "money"),
    ("estimate_accuracy", _l("Final ÷ first approved estimate"), "rate"),
    ("estimates_within_10_percent_rate", _l("Orders at most 10 percent over the estimate"), "rate"),
    ("supplementary_approval_rate", _l("Extra work approved"), "rate"),
    ("declined_work_value", _l("Declined work value"), "money"),
    ("declined_work_booked_value", _l("Declined work booked later"), "money"),
    ("on_time_delivery_rate", _l("Delivered on time"), "rate"),
    ("comeback_rate", _l("Comebacks"), "rate"),
    ("callback_reach_rate", _l("Callbacks reached"), "rate"),
    ("average_satisfaction", _l("Average satisfaction (1-5)"), "score"),
    ("complaints_received", _l("Complaints received"), "count"),
    ("complaints_first_reply_within_sla_rate", _l("Complaints answered within half a day"), "rate"),
    ("complaint_first_reply_hours", _l("Average hours to first reply"), "hours"),
    ("vip_revenue_share", _l("VIP share of revenue"), "rate"),
)


def _period() -> figures.Period:
    settings = current_settings()
    today = datetime.now(zone(settings.time_zone)).date()

    def day(name: str, default: date) -> date:
        try:
            return check_day(date.fromisoformat(request.args.get(name, "")), name)
        except (ValueError, DomainError):
            return default

    start = day("from", today.replace(day=1))
    end = day("to", today)
    if end < start:
        start, end = end, start
    if (end - start).days > 731:
        start = end - timedelta(days=731)
    return figures.Period(start, end, settings.time_zone)


def _presets() -> list[tuple[str, dict]]:
    """The periods a manager looks at most, one click each: the month so far, the last 30
    days, the year so far, and the last twelve months by month."""
    today = datetime.now(zone(current_settings().time_zone)).date()
    return [
        (_("This month"), {"from": today.replace(day=1), "to": today, "unit": "week"}),
        (_("Last 30 days"), {"from": today - timedelta(days=29), "to": today, "unit": "week"}),
        (_("This year"), {"from": today.replace(month=1, day=1), "to": today, "unit": "month"}),
        (_("Last 12 months"), {"from": _months_back(today, 11), "to": today, "unit": "month"}),
    ]


def _months_back(today: date, months: int) -> date:
    """The first day of the month ``months`` before ``today``'s."""
    index = today.year * 12 + today.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _people(role: str) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(UserRole)
            .where(User.site_id == current_user.site_id, UserRole.role == role)
            .order_by(User.full_name)
        )
    )


@bp.get("/")
@roles_required(*ALL_STAFF)
def home():
    """The start page: the signed-in person's work queue (a manager's is the Today
    dashboard)."""
    if reads_the_dashboard(current_user):
        return dashboard()
    return render_template(
        "reports/home.html",
        queues=work_queues(current_user, current_settings(), utcnow()),
        queue_titles=Translated(QUEUE_TITLES),
    )


@bp.get("/dashboard")
@roles_required(MANAGER)
def dashboard():
    settings = current_settings()
    now = utcnow()

    return render_template(
        "reports/dashboard.html",
        today=today(current_user.site_id, settings, now),
        technicians=workshop_now(current_user.site_id, now),
        now=now,
    )


def _report_data():
    settings = current_settings()
    period = _period()
    advisor_id = request.args.get("advisor", type=int)
    technician_id = request.args.get("technician", type=int)
    unit = "month" if request.args.get("unit") == "month" else "week"
    site = current_user.site_id
    return {
        "period": period,
        "unit": unit,
        "advisor_id": advisor_id,
        "technician_id": technician_id,
        "summary": figures.summary(
            site, settings, period, advisor_id=advisor_id, technician_id=technician_id
        ),
        "advisors": figures.per_advisor(site, period),
        "technicians": figures.per_technician(site, settings, period),
        "trend": figures.trend(site, period, unit),
        "bookings": bookings.booking_figures(site, period),
        "inspections": inspections.inspection_figures(site, period),
        "warranty": warranty.warranty_figures(site, period),
    }


def _charts(data) -> dict:
    trend = data["trend"]
    labels = [row["start"].isoformat() for row in trend]
    return {
        "trend": json.dumps(
            {
                "type": "line",
                "labels": labels,
                "datasets": [
                    {
                        "label": str(_l("Cars delivered")),
                        "data": [r["car_count"] for r in trend],
                        "yAxisID": "cars",
                    },
                    {
                        "label": str(_l("Revenue (customer pay, with tax)")),
                        "data": [float(r["revenue"]) for r in trend],
                        "yAxisID": "money",
                    },
                ],
                "scales": {
                    "cars": {"axis": "y", "position": "left", "beginAtZero": True},
                    "money": {
                        "axis": "y",
                        "position": "right",
                        "beginAtZero": True,
                        "grid": {"drawOnChartArea": False},
                    },
                },
            }
        ),
        "technicians": json.dumps(
            {
                "type": "bar",
                "labels": [t["name"] for t in data["technicians"]],
                "datasets": [
                    {
                        "label": str(_l("Labor hours sold")),
                        "data": [float(t["labor_hours_sold"]) for t in data["technicians"]],
                    },
                    {
                        "label": str(_l("Labor hours clocked")),
                        "data": [float(t["labor_hours_clocked"]) for t in data["technicians"]],
                    },
                ],
            }
        ),
        "advisors": json.dumps(
            {
                "type": "bar",
                "labels": [a["name"] for a in data["advisors"]],
                "datasets": [
                    {
                        "label": str(_l("Cars delivered")),
                        "data": [a["car_count"] for a in data["advisors"]],
                    }
                ],
            }
        ),
    }


@bp.get("/reports")
@roles_required(MANAGER)
def report():
    data = _report_data()
    return render_template(
        "reports/reports.html",
        metrics=METRICS,
        comeback_causes=Translated(ComebackCause.labels()),
        charts=_charts(data),
        presets=_presets(),
        advisor_people=_people("advisor"),
        technician_people=_people(TECHNICIAN),
        **data,
    )


@bp.get("/reports.csv")
@roles_required(MANAGER)
def report_csv():
    data = _report_data()
    table = request.args.get("table", "summary")
    out = io.StringIO()
    writer = SafeWriter(out, lineterminator="\r\n")
    if table == "advisors":
        rows = data["advisors"]
        fields = ["name", "car_count", "revenue", "average_repair_order", "on_time_delivery_rate"]
    elif table == "technicians":
        rows = data["technicians"]
        fields = ["name", "labor_hours_sold", "labor_hours_clocked", "efficiency", "productivity"]
    elif table == "trend":
        rows = data["trend"]
        fields = ["start", "car_count", "revenue"]
    else:
        summary = data["summary"]
        rows = [{"metric": key, "value": getattr(summary, key)} for key, _label, _kind in METRICS]
        fields = ["metric", "value"]
    writer.writerow(fields)
    for row in rows:
        writer.writerow(["" if row[f] is None else row[f] for f in fields])
    period = data["period"]
    name = f"report-{table}-{period.start.isoformat()}-{period.end.isoformat()}.csv"
    return download(("\ufeff" + out.getvalue()).encode("utf-8"), name, "text/csv")


@bp.get("/repair-archive")
@roles_required(ADVISOR, MANAGER)
def repair_archive():
    today = datetime.now(zone(current_settings().time_zone)).date()
    last_month_end = today.replace(day=1) - timedelta(days=1)
    form = ArchiveForm(
        request.args,
        start=last_month_end.replace(day=1),
        end=last_month_end,
    )
    records, status = None, 200
    if request.args and form.validate():
        try:
            start, end = archive.archive_range(form.start.data, form.end.data)
        except DomainError as exc:
            show_errors(form, exc, {"from": "start", "to": "end"})
            status = 422
        else:
            records = archive.archive_records(current_user.site_id, start, end)
            name = f"repair-archive-{start.isoformat()}-{end.isoformat()}"
            chosen = request.args.get("format")
            if chosen == "csv":
                return download(archive.archive_csv(records), f"{name}.csv", "text/csv")
            if chosen == "json":
                return download(archive.archive_json(records), f"{name}.json", "application/json")
    elif request.args:
        status = 422
    return render_template("reports/repair_archive.html", form=form, records=records), status
