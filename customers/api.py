"""JSON API for customers and vehicles (``/api/v1``)."""

from dataclasses import replace
from datetime import date, datetime
from typing import Literal

from flask import Blueprint, g
from pydantic import Field, TypeAdapter

from customers import privacy, services, vocabulary
from customers.models import Customer, Vehicle
from customers.notices import facts_of
from dealer.apikit import API_PREFIX, Input, Output, PageQuery, endpoint, page_of, site_record
from dealer.errors import DomainError
from dealer.extensions import db
from dealer.i18n import current_settings
from dealer.phones import display_phone, mask_phone
from dealer.roles import ADVISOR, CALLBACK, MANAGER, PHONE_ROLES, TECHNICIAN
from dealer.vocabulary import Language

bp = Blueprint("customers_api", __name__, url_prefix=API_PREFIX)

READ = (ADVISOR, CALLBACK, MANAGER)
WRITE = (ADVISOR, MANAGER)
VEHICLE_READ = (ADVISOR, TECHNICIAN, MANAGER)

LanguageCode = Literal[Language.values()]
Channel = Literal[vocabulary.ContactChannel.values()]
VehicleClassCode = Literal[vocabulary.VehicleClass.values()]


class SearchQuery(PageQuery):
    q: str = Field("", max_length=100)


class CustomerCreate(Input):
    name: str = Field(min_length=1, max_length=120)
    phone: str = Field(min_length=1, max_length=40)
    kind: Literal[vocabulary.CustomerKind.values()] = "person"
    alt_phone: str | None = Field(None, max_length=40)
    email: str | None = Field(None, max_length=254)
    address: str | None = Field(None, max_length=300)
    contact_name: str | None = Field(None, max_length=120)
    contact_phone: str | None = Field(None, max_length=40)
    preferred_language: LanguageCode = "zh_Hans"
    preferred_channel: Channel = "phone"
    preferred_time: str | None = Field(None, max_length=80)
    callback_consent: bool = True
    marketing_consent: bool = False
    birthday: date | None = None
    notes: str | None = Field(None, max_length=4000)


class CustomerPatch(Input):
    name: str | None = Field(None, min_length=1, max_length=120)
    phone: str | None = Field(None, min_length=1, max_length=40)
    kind: Literal[vocabulary.CustomerKind.values()] | None = None
    alt_phone: str | None = Field(None, max_length=40)
    email: str | None = Field(None, max_length=254)
    address: str | None = Field(None, max_length=300)
    contact_name: str | None = Field(None, max_length=120)
    contact_phone: str | None = Field(None, max_length=40)
    preferred_language: LanguageCode | None = None
    preferred_channel: Channel | None = None
    preferred_time: str | None = Field(None, max_length=80)
    callback_consent: bool | None = None
    marketing_consent: bool | None = None
    birthday: date | None = None
    notes: str | None = Field(None, max_length=4000)
    version: int | None = Field(
        None, description="The version read; a change made meanwhile answers 409"
    )


class VehicleBrief(Output):
    id: int
    version: int
    vin: str
    frame_number: bool = Field(
        description="The vehicle has no 17-character VIN: ``vin`` holds its frame number"
    )
    plate: str
    make: str
    model: str
    year: int | None
    vehicle_class: str
    odometer_km: int


class CustomerOut(Output):
    id: int
    version: int
    kind: str
    name: str
    phone: str
    phone_display: str = ""
    alt_phone: str | None
    email: str | None
    address: str | None
    contact_name: str | None
    contact_phone: str | None
    preferred_language: str
    preferred_channel: str
    preferred_time: str | None
    callback_consent: bool
    marketing_consent: bool
    birthday: date | None
    notes: str | None
    vip_tier: str | None
    created_at: datetime


class CustomerDetail(CustomerOut):
    vehicles: list[VehicleBrief]


def customer_out(customer: Customer, model: type[CustomerOut] = CustomerOut) -> CustomerOut:
    """A customer as the API shows it: every number masked, for every role, as the pages show
    it (the full number comes from ``reveal-phone``, which is logged)."""
    out = model.model_validate(customer, from_attributes=True)
    out.phone = out.phone_display = mask_phone(customer.phone)
    out.alt_phone = mask_phone(customer.alt_phone) or None
    out.contact_phone = mask_phone(customer.contact_phone) or None
    return out


class RevealIn(Input):
    field: Literal["phone", "alt_phone", "contact_phone"] = "phone"


class RevealOut(Output):
    phone: str = Field(description="The full number (E.164); the look is written to the audit log")
    phone_display: str


@endpoint(
    bp,
    "/customers/<int:customer_id>/reveal-phone",
    method="POST",
    roles=PHONE_ROLES,
    summary="Show a customer's full phone number (written to the audit log)",
    body=RevealIn,
    response=RevealOut,
)
def reveal_phone(customer_id: int, body: RevealIn):
    customer = _customer(customer_id)
    number = privacy.reveal_phone(g.actor, customer, body.field)
    return RevealOut(
        phone=number, phone_display=display_phone(number, current_settings().phone_region)
    )


def _customer(customer_id: int) -> Customer:
    return site_record(Customer, customer_id, "customer")


def _vehicle(vehicle_id: int) -> Vehicle:
    return site_record(Vehicle, vehicle_id, "vehicle")


@endpoint(
    bp,
    "/customers",
    roles=READ,
    summary="Find customers by name, phone, plate or VIN",
    query=SearchQuery,
    response=CustomerOut,
    paged=True,
)
def list_customers(query: SearchQuery):
    stmt = services.customer_search(g.actor.site_id, query.q, current_settings().phone_region)
    return page_of(stmt, query, CustomerOut, customer_out)


@endpoint(
    bp,
    "/customers",
    method="POST",
    roles=WRITE,
    summary="Register a customer",
    body=CustomerCreate,
    response=CustomerDetail,
    status=201,
    idempotent=True,
)
def create_customer(body: CustomerCreate):
    data = services.CustomerInput(**body.model_dump())
    customer = services.create_customer(
        g.actor, g.actor.site_id, data, current_settings().phone_region
    )
    return customer_out(customer, CustomerDetail)


@endpoint(
    bp,
    "/customers/<int:customer_id>",
    roles=READ,
    summary="A customer with vehicles",
    response=CustomerDetail,
)
def get_customer(customer_id: int):
    return customer_out(_customer(customer_id), CustomerDetail)


@endpoint(
    bp,
    "/customers/<int:customer_id>",
    method="PATCH",
    roles=WRITE,
    summary="Change some of a customer's details",
    body=CustomerPatch,
    response=CustomerDetail,
)
def patch_customer(customer_id: int, body: CustomerPatch):
    customer = _customer(customer_id)
    region = current_settings().phone_region
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    data = replace(services.customer_input(customer, region), **changes)
    services.update_customer(g.actor, customer, data, region, version=body.version)
    return customer_out(customer, CustomerDetail)


class VehicleCreate(Input):
    customer_id: int
    vin: str = Field(min_length=1, max_length=30)
    plate: str = Field(min_length=1, max_length=20)
    make: str = Field(min_length=1, max_length=60)
    model: str = Field(min_length=1, max_length=60)
    year: int | None = None
    engine_number: str | None = Field(None, max_length=40)
    colour: str | None = Field(None, max_length=40)
    vehicle_class: VehicleClassCode = "car"
    odometer_km: int | None = Field(None, ge=0, le=3_000_000)
    frame_number: bool = Field(
        False, description="No 17-character VIN (before 1981, or a Japanese frame number)"
    )
    sold_on: date | None = Field(
        None, description="The first sale to a customer: the three-guarantee periods run from it"
    )


class VehiclePatch(Input):
    vin: str | None = Field(None, min_length=1, max_length=30)
    plate: str | None = Field(None, min_length=1, max_length=20)
    make: str | None = Field(None, min_length=1, max_length=60)
    model: str | None = Field(None, min_length=1, max_length=60)
    year: int | None = None
    engine_number: str | None = Field(None, max_length=40)
    colour: str | None = Field(None, max_length=40)
    vehicle_class: VehicleClassCode | None = None
    frame_number: bool | None = None
    sold_on: date | None = None
    version: int | None = Field(
        None, description="The version read; a change made meanwhile answers 409"
    )


class OdometerIn(Input):
    odometer_km: int = Field(ge=0, le=3_000_000)
    correction: bool = False
    reason: str | None = Field(None, max_length=300)


class OwnerOut(Output):
    id: int
    name: str


class ReadingOut(Output):
    reading_km: int
    source: str
    reason: str | None
    recorded_at: datetime


class OwnershipOut(Output):
    customer: OwnerOut
    started_at: datetime
    ended_at: datetime | None


class VehicleOut(VehicleBrief):
    engine_number: str | None
    colour: str | None
    sold_on: date | None = None
    customer: OwnerOut
    created_at: datetime
    warnings: list[str] = []


class VisitOut(Output):
    id: int
    number: str
    status: str
    received_at: datetime
    odometer_in: int
    concern: str
    delivered_at: datetime | None


class CampaignBrief(Output):
    id: int
    code: str
    kind: str
    title: str


class SanbaoOut(Output):
    in_period: bool
    in_repair_period: bool
    period_ends_on: date | None
    repair_period_ends_on: date | None
    same_fault_repairs: int
    repairs_by_system: dict[str, int]
    cumulative_repair_days: int
    warnings: list[str]


class VehicleDetail(VehicleOut):
    odometer_history: list[ReadingOut] = Field(validation_alias="readings")
    owners: list[OwnershipOut] = Field(validation_alias="ownerships")
    service_history: list[VisitOut] = Field(validation_alias="visits")
    open_campaigns: list[CampaignBrief] = []
    sanbao: SanbaoOut | None = None


def vehicle_detail(vehicle) -> VehicleDetail:
    """A vehicle with its history, and what the floors above add (campaigns, 三包)."""
    out = VehicleDetail.model_validate(vehicle, from_attributes=True)
    for name, value in facts_of(vehicle).items():
        setattr(
            out,
            name,
            TypeAdapter(VehicleDetail.model_fields[name].annotation).validate_python(value),
        )
    return out


@endpoint(
    bp,
    "/vehicles",
    roles=VEHICLE_READ,
    summary="Find vehicles by plate or VIN",
    query=SearchQuery,
    response=VehicleOut,
    paged=True,
)
def list_vehicles(query: SearchQuery):
    return page_of(services.vehicle_search(g.actor.site_id, query.q), query, VehicleOut)


@endpoint(
    bp,
    "/vehicles",
    method="POST",
    roles=WRITE,
    summary="Register a vehicle for a customer",
    body=VehicleCreate,
    response=VehicleDetail,
    status=201,
    idempotent=True,
)
def create_vehicle(body: VehicleCreate):
    owner = db.session.get(Customer, body.customer_id)
    if owner is None or owner.site_id != g.actor.site_id:
        raise DomainError("No such customer.", "customer_id")
    data = services.VehicleInput(**body.model_dump(exclude={"customer_id"}))
    vehicle = services.register_vehicle(g.actor, owner, data)
    db.session.refresh(vehicle)
    out = vehicle_detail(vehicle)
    out.warnings = data.warnings
    return out


@endpoint(
    bp,
    "/vehicles/<int:vehicle_id>",
    roles=VEHICLE_READ,
    summary="A vehicle with its history",
    response=VehicleDetail,
)
def get_vehicle(vehicle_id: int):
    return vehicle_detail(_vehicle(vehicle_id))


@endpoint(
    bp,
    "/vehicles/<int:vehicle_id>",
    method="PATCH",
    roles=WRITE,
    summary="Change some of a vehicle's details",
    body=VehiclePatch,
    response=VehicleDetail,
)
def patch_vehicle(vehicle_id: int, body: VehiclePatch):
    vehicle = _vehicle(vehicle_id)
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    data = replace(services.vehicle_input(vehicle), **changes)
    services.update_vehicle(g.actor, vehicle, data, version=body.version)
    out = vehicle_detail(vehicle)
    out.warnings = data.warnings
    return out


@endpoint(
    bp,
    "/vehicles/<int:vehicle_id>/odometer",
    method="POST",
    roles=WRITE,
    summary="Record an odometer reading, or correct a wrong one with a reason",
    body=OdometerIn,
    response=VehicleDetail,
    status=201,
)
def post_odometer(vehicle_id: int, body: OdometerIn):
    vehicle = _vehicle(vehicle_id)
    services.record_odometer(
        g.actor, vehicle, body.odometer_km, correction=body.correction, reason=body.reason
    )
    db.session.refresh(vehicle)
    return vehicle_detail(vehicle)
