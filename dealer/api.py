"""JSON API of the dealership core: the OpenAPI document, settings, audit log, me."""

from datetime import datetime

from flask import Blueprint, g, jsonify
from pydantic import Field
from sqlalchemy import select

from dealer.apikit import API_PREFIX, MoneyOut, Output, PageQuery, RateOut, endpoint, page_of
from dealer.auth import public
from dealer.i18n import current_settings
from dealer.models import AuditEntry
from dealer.openapi import openapi_document
from dealer.roles import ALL_STAFF, MANAGER

bp = Blueprint("dealer_api", __name__, url_prefix=API_PREFIX)


@bp.get("/openapi.json")
@public
def openapi():
    return jsonify(openapi_document("Service Desk API", "1"))


class SettingsOut(Output):
    dealer_name: str
    address: str
    phone: str
    tax_rate: RateOut
    labor_tax_rate: RateOut | None = Field(
        description="The tax rate on labor where it differs from tax_rate (null: the same)"
    )
    repair_dealer_number: str | None
    labor_rate: MoneyOut
    currency: str
    time_zone: str
    working_hours: dict[str, list[list[str]]]
    phone_region: str
    warranty_rules: dict[str, dict[str, list[int]]]
    discount_limit_percent: MoneyOut
    parts_lead_days: int
    estimate_valid_days: int


@endpoint(bp, "/settings", roles=ALL_STAFF, summary="The dealer's settings", response=SettingsOut)
def get_settings():
    return SettingsOut.model_validate(current_settings())


class MeOut(Output):
    id: int
    username: str
    full_name: str
    roles: list[str]
    language: str


@endpoint(bp, "/me", roles=ALL_STAFF, summary="The token's user and roles", response=MeOut)
def get_me():
    user = g.actor
    return MeOut(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        roles=sorted(user.roles),
        language=user.language,
    )


class AuditQuery(PageQuery):
    entity: str | None = Field(None, max_length=40)
    id: int | None = None


class AuditUser(Output):
    id: int
    username: str
    full_name: str


class AuditOut(Output):
    id: int
    at: datetime
    user: AuditUser | None
    action: str
    entity: str
    entity_id: int
    changes: dict


@endpoint(
    bp,
    "/audit",
    roles=(MANAGER,),
    summary="Audit entries: who changed what and when",
    query=AuditQuery,
    response=AuditOut,
    paged=True,
)
def list_audit(query: AuditQuery):
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.site_id == g.actor.site_id)
        .order_by(AuditEntry.id.desc())
    )
    if query.entity:
        stmt = stmt.where(AuditEntry.entity == query.entity)
    if query.id is not None:
        stmt = stmt.where(AuditEntry.entity_id == query.id)
    return page_of(stmt, query, AuditOut)
