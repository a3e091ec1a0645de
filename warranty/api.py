"""JSON API of the warranty desk (shared/API.md, "Recalls, campaigns, warranty claims,
three-guarantee (三包) watch"): campaigns and their VINs, the campaign job on an order, and
the claims from draft to paid with their CSV export."""

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from flask import Blueprint, g
from pydantic import Field
from sqlalchemy import select

from dealer.apikit import (
    API_PREFIX,
    Input,
    MoneyIn,
    MoneyOut,
    NumberOut,
    Output,
    PageQuery,
    endpoint,
    page_of,
    site_record,
)
from dealer.roles import ADVISOR, ALL_STAFF, MANAGER, WARRANTY
from dealer.web import download
from warranty import campaigns, claims
from warranty.models import Campaign, WarrantyClaim
from warranty.vocabulary import CampaignKind, ClaimStatus, FaultSystem
from workorders.api import load_order
from workorders.schemas import JobOut, job_out

bp = Blueprint("warranty_api", __name__, url_prefix=API_PREFIX)

DESK = (WARRANTY, MANAGER)


class CampaignPartIn(Input):
    part_number: str = Field(min_length=1, max_length=40)
    quantity: Decimal = Field(gt=0, le=1000, decimal_places=3)


class CampaignIn(Input):
    code: str = Field(min_length=1, max_length=40)
    kind: Literal[CampaignKind.values()]
    title: str = Field(min_length=1, max_length=200)
    title_zh: str | None = Field(None, max_length=200)
    labor_op: str | None = Field(None, max_length=20)
    labor_hours: Decimal = Field(gt=0, le=200, decimal_places=2)
    parts: list[CampaignPartIn] = Field(default_factory=list, max_length=campaigns.MAX_PARTS)
    ends_on: date | None = None


class CampaignPartOut(Output):
    part_number: str
    quantity: NumberOut


class CampaignOut(Output):
    id: int
    code: str
    kind: str
    title: str
    title_zh: str | None
    labor_op: str | None
    labor_hours: NumberOut
    ends_on: date | None
    parts: list[CampaignPartOut]
    vins: int = 0
    closed: int = 0


class VinsIn(Input):
    vins: list[Annotated[str, Field(max_length=40)]] = Field(min_length=1, max_length=100_000)


class VinsOut(Output):
    added: int
    already: int
    invalid: list[str]


class CampaignJobIn(Input):
    campaign_id: int
    version: int | None = None


class ClaimQuery(PageQuery):
    status: Literal[ClaimStatus.values()] | None = None


class ClaimPartOut(Output):
    part_number: str
    name: str
    name_zh: str | None = None
    quantity: str
    unit_price: str
    amount: str


class TagOut(Output):
    id: int
    tag_number: str
    part_number: str
    shelf: str
    keep_until: date
    fate: str


class ClaimOut(Output):
    id: int
    version: int
    status: str
    work_order_id: int
    job_id: int
    campaign_id: int | None
    manufacturer: str
    vin: str
    manufacturer_number: str | None
    labor_op: str | None
    causal_part_number: str | None
    failure_code: str | None
    fault_system: str | None
    complaint: str | None
    cause: str | None
    correction: str | None
    labor_hours: NumberOut
    labor_rate: MoneyOut
    labor_amount: MoneyOut
    parts: list[ClaimPartOut]
    parts_amount: MoneyOut
    sublet_amount: MoneyOut
    total_claimed: MoneyOut
    paid_amount: MoneyOut | None
    short_paid: MoneyOut
    paid_on: date | None
    rejection_reason: str | None
    rejections: int
    repaired_on: date
    submitted_on: date | None
    tags: list[TagOut]


class ClaimPatch(Input):
    labor_op: str | None = Field(None, max_length=20)
    causal_part_number: str | None = Field(None, max_length=40)
    failure_code: str | None = Field(None, max_length=20)
    fault_system: Literal[FaultSystem.values()] | Literal[""] | None = None
    complaint: str | None = Field(None, max_length=2000)
    cause: str | None = Field(None, max_length=2000)
    correction: str | None = Field(None, max_length=2000)
    version: int | None = None


class StepIn(Input):
    version: int | None = None


class AcceptIn(StepIn):
    manufacturer_number: str | None = Field(None, max_length=60)


class RejectIn(StepIn):
    reason: str = Field(min_length=1, max_length=500)


class PayIn(StepIn):
    amount: MoneyIn
    paid_on: date


class ExportQuery(Input):
    status: Literal[ClaimStatus.values()] = "submitted"


def campaign_out(found: Campaign) -> CampaignOut:
    progress = {p.campaign.id: p for p in campaigns.progress(found.site_id)}.get(found.id)
    out = CampaignOut.model_validate(found)
    if progress is not None:
        out.vins, out.closed = progress.vins, progress.closed
    return out


@endpoint(
    bp,
    "/campaigns",
    roles=ALL_STAFF,
    summary="The site's recalls and service campaigns with their completion",
    response=CampaignOut,
    paged=True,
    query=PageQuery,
)
def list_campaigns(query: PageQuery):
    counts = {p.campaign.id: p for p in campaigns.progress(g.actor.site_id)}

    def convert(found):
        out = CampaignOut.model_validate(found)
        if found.id in counts:
            out.vins, out.closed = counts[found.id].vins, counts[found.id].closed
        return out

    stmt = select(Campaign).where(Campaign.site_id == g.actor.site_id).order_by(Campaign.id.desc())
    return page_of(stmt, query, CampaignOut, convert)


@endpoint(
    bp,
    "/campaigns",
    method="POST",
    roles=DESK,
    status=201,
    idempotent=True,
    summary="Enter a recall or service campaign",
    body=CampaignIn,
    response=CampaignOut,
)
def post_campaign(body: CampaignIn):
    made = campaigns.create_campaign(
        g.actor,
        g.actor.site_id,
        campaigns.CampaignInput(
            code=body.code,
            kind=body.kind,
            title=body.title,
            title_zh=body.title_zh,
            labor_op=body.labor_op,
            labor_hours=body.labor_hours,
            ends_on=body.ends_on,
            parts=[(p.part_number, p.quantity) for p in body.parts],
        ),
    )
    return campaign_out(made)


@endpoint(
    bp,
    "/campaigns/<int:campaign_id>/vins",
    method="POST",
    roles=DESK,
    status=201,
    summary="Name cars in a campaign by VIN",
    body=VinsIn,
    response=VinsOut,
)
def post_vins(campaign_id: int, body: VinsIn):
    found = site_record(Campaign, campaign_id, "campaign")
    result = campaigns.add_vins(g.actor, found, body.vins)
    return VinsOut(added=result.added, already=result.already, invalid=result.invalid)


@endpoint(
    bp,
    "/work-orders/<int:order_id>/campaign-jobs",
    method="POST",
    roles=(ADVISOR, MANAGER),
    status=201,
    idempotent=True,
    summary="Add a campaign's job to an order, paid by warranty",
    body=CampaignJobIn,
    response=JobOut,
)
def post_campaign_job(order_id: int, body: CampaignJobIn):
    order = load_order(order_id)
    found = site_record(Campaign, body.campaign_id, "campaign")
    return job_out(campaigns.add_campaign_job(g.actor, order, found, version=body.version))


def claim_out(found: WarrantyClaim) -> ClaimOut:
    return ClaimOut.model_validate(found)


@endpoint(
    bp,
    "/claims",
    roles=DESK,
    summary="Warranty claims, newest first, of one status or all",
    query=ClaimQuery,
    response=ClaimOut,
    paged=True,
)
def list_claims(query: ClaimQuery):
    stmt = select(WarrantyClaim).where(WarrantyClaim.site_id == g.actor.site_id)
    if query.status:
        stmt = stmt.where(WarrantyClaim.status == query.status)
    return page_of(stmt.order_by(WarrantyClaim.id.desc()), query, ClaimOut, claim_out)


@endpoint(
    bp,
    "/claims/export",
    roles=DESK,
    summary="The claims of one status as CSV, one row per claim",
    query=ExportQuery,
    content_type="text/csv",
)
def export_claims(query: ExportQuery):
    return download(
        claims.export_csv(g.actor.site_id, query.status).encode("utf-8"),
        f"claims-{query.status}.csv",
        "text/csv",
    )


@endpoint(bp, "/claims/<int:claim_id>", roles=DESK, summary="A warranty claim", response=ClaimOut)
def get_claim(claim_id: int):
    return claim_out(site_record(WarrantyClaim, claim_id, "claim"))


@endpoint(
    bp,
    "/claims/<int:claim_id>",
    method="PATCH",
    roles=DESK,
    summary="Correct a draft or rejected claim",
    body=ClaimPatch,
    response=ClaimOut,
)
def patch_claim(claim_id: int, body: ClaimPatch):
    found = site_record(WarrantyClaim, claim_id, "claim")
    changes = claims.ClaimChanges(**body.model_dump(exclude={"version"}))
    return claim_out(claims.update_claim(g.actor, found, changes, version=body.version))


@endpoint(
    bp,
    "/claims/<int:claim_id>/submit",
    method="POST",
    roles=DESK,
    summary="Submit the claim to the manufacturer (again after a rejection)",
    body=StepIn,
    response=ClaimOut,
)
def submit_claim(claim_id: int, body: StepIn):
    found = site_record(WarrantyClaim, claim_id, "claim")
    return claim_out(claims.submit(g.actor, found, version=body.version))


@endpoint(
    bp,
    "/claims/<int:claim_id>/accept",
    method="POST",
    roles=DESK,
    summary="Record the manufacturer's acceptance",
    body=AcceptIn,
    response=ClaimOut,
)
def accept_claim(claim_id: int, body: AcceptIn):
    found = site_record(WarrantyClaim, claim_id, "claim")
    return claim_out(
        claims.accept(
            g.actor, found, manufacturer_number=body.manufacturer_number, version=body.version
        )
    )


@endpoint(
    bp,
    "/claims/<int:claim_id>/reject",
    method="POST",
    roles=DESK,
    summary="Record the manufacturer's rejection and its reason",
    body=RejectIn,
    response=ClaimOut,
)
def reject_claim(claim_id: int, body: RejectIn):
    found = site_record(WarrantyClaim, claim_id, "claim")
    return claim_out(claims.reject(g.actor, found, body.reason, version=body.version))


@endpoint(
    bp,
    "/claims/<int:claim_id>/pay",
    method="POST",
    roles=DESK,
    summary="Record the manufacturer's payment (a short payment stays visible)",
    body=PayIn,
    response=ClaimOut,
)
def pay_claim(claim_id: int, body: PayIn):
    found = site_record(WarrantyClaim, claim_id, "claim")
    return claim_out(claims.pay(g.actor, found, body.amount, body.paid_on, version=body.version))
