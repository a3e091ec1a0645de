"""JSON API of the manager's figures (``/api/v1/reports/summary``), for a dealer group's BI."""

from datetime import date

from flask import Blueprint, g
from pydantic import Field, field_validator, model_validator

from dealer.apikit import API_PREFIX, Input, MoneyOut, Output, RateOut, endpoint
from dealer.errors import DomainError
from dealer.i18n import current_settings
from dealer.roles import ADVISOR, MANAGER
from dealer.timeutil import check_day
from reports import archive, bookings, figures, inspections, warranty

bp = Blueprint("reports_api", __name__, url_prefix=API_PREFIX)


class SummaryQuery(Input):
    from_: date = Field(alias="from")
    to: date
    advisor_id: int | None = None
    technician_id: int | None = None

    @field_validator("from_", "to")
    @classmethod
    def within_the_data(cls, value: date) -> date:
        try:
            return check_day(value, "")
        except DomainError as exc:
            raise ValueError(str(exc)) from None

    @model_validator(mode="after")
    def in_order(self):
        if self.to < self.from_:
            raise ValueError("'to' comes before 'from'")
        if (self.to - self.from_).days > 731:
            raise ValueError("at most two years at a time")
        return self


class BookedDayOut(Output):
    day: date
    booked_hours: RateOut
    bookable_hours: RateOut


class SummaryOut(Output):
    period_from: date
    period_to: date
    car_count: int
    revenue: MoneyOut
    average_repair_order: MoneyOut | None
    labor_hours_sold: RateOut
    labor_hours_clocked: RateOut
    technician_efficiency: RateOut | None
    technician_productivity: RateOut | None
    parts_sales: MoneyOut
    parts_gross_profit: MoneyOut
    estimate_accuracy: RateOut | None
    estimates_within_10_percent_rate: RateOut | None
    supplementary_approval_rate: RateOut | None
    declined_work_value: MoneyOut
    declined_work_booked_value: MoneyOut
    on_time_delivery_rate: RateOut | None
    comeback_rate: RateOut | None
    comeback_causes: dict[str, int]
    callback_reach_rate: RateOut | None
    average_satisfaction: RateOut | None
    satisfaction_by_question: dict[str, RateOut | None]
    complaints_received: int
    complaints_first_reply_within_sla_rate: RateOut | None
    complaint_first_reply_hours: RateOut | None
    vip_revenue_share: RateOut | None
    appointment_share: RateOut | None
    no_show_rate: RateOut | None
    on_time_arrival_rate: RateOut | None
    booked_hours: RateOut
    bookable_hours: RateOut
    lead_time_to_first_free_slot_hours: RateOut | None
    booked_days: list[BookedDayOut]
    inspected_share: RateOut | None
    inspection_recommended_value: MoneyOut
    inspection_sold_value: MoneyOut
    inspection_sold_share: RateOut | None
    warranty_receivable: MoneyOut = Field(
        description="Claimed from the manufacturer and not paid yet (submitted or accepted), today"
    )
    claims_submitted: int
    claims_rejected: int
    claims_paid: int
    claim_rejection_rate: RateOut | None
    days_to_claim_submission: RateOut | None
    days_to_claim_payment: RateOut | None
    visitors_with_open_campaigns: int


@endpoint(
    bp,
    "/reports/summary",
    roles=(MANAGER,),
    summary="The figures of orders delivered in a period (rates as decimals, money as strings)",
    query=SummaryQuery,
    response=SummaryOut,
)
def get_summary(query: SummaryQuery):
    settings = current_settings()
    period = figures.Period(query.from_, query.to, settings.time_zone)
    found = figures.summary(
        g.actor.site_id,
        settings,
        period,
        advisor_id=query.advisor_id,
        technician_id=query.technician_id,
    )
    booked = bookings.booking_figures(g.actor.site_id, period)
    inspected = inspections.inspection_figures(g.actor.site_id, period)
    claimed = warranty.warranty_figures(g.actor.site_id, period)
    return SummaryOut(
        period_from=period.start,
        period_to=period.end,
        **vars(found),
        appointment_share=booked.appointment_share,
        no_show_rate=booked.no_show_rate,
        on_time_arrival_rate=booked.on_time_arrival_rate,
        booked_hours=booked.booked_hours,
        bookable_hours=booked.bookable_hours,
        lead_time_to_first_free_slot_hours=booked.lead_time_hours,
        booked_days=[
            BookedDayOut(day=d.day, booked_hours=d.booked_hours, bookable_hours=d.bookable_hours)
            for d in booked.days
        ],
        inspected_share=inspected.inspected_share,
        inspection_recommended_value=inspected.total.recommended_value,
        inspection_sold_value=inspected.total.sold_value,
        inspection_sold_share=inspected.total.sold_share,
        warranty_receivable=claimed.receivable,
        claims_submitted=claimed.submitted,
        claims_rejected=claimed.rejected,
        claims_paid=claimed.paid,
        claim_rejection_rate=claimed.rejection_rate,
        days_to_claim_submission=claimed.days_to_submission,
        days_to_claim_payment=claimed.days_to_payment,
        visitors_with_open_campaigns=claimed.visitors_with_open_campaigns,
    )


class ArchiveQuery(Input):
    from_: date = Field(alias="from")
    to: date


class ArchivePart(Output):
    partsname: str
    partscode: str
    partsquantity: str


class ArchiveItem(Output):
    repairproject: str
    workinghours: str


class ArchiveRecord(Output):
    companyname: str
    vin: str
    vehicleplatenumber: str
    repairdate: str
    repairmileage: int
    settledate: str
    costlistcode: str
    faultdescription: str
    repairprojectlist: list[ArchiveItem]
    partslist: list[ArchivePart]


class ArchiveOut(Output):
    items: list[ArchiveRecord]


@endpoint(
    bp,
    "/repair-archive",
    roles=(ADVISOR, MANAGER),
    summary="Delivered orders of a period as vehicle-repair e-health archive records",
    query=ArchiveQuery,
    response=ArchiveOut,
)
def get_repair_archive(query: ArchiveQuery):
    start, end = archive.archive_range(query.from_, query.to)
    return {"items": archive.archive_records(g.actor.site_id, start, end)}
