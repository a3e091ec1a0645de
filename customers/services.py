"""Operations on customers and vehicles: register, edit, find, odometer, ownership."""

import re
from dataclasses import dataclass, field
from datetime import date

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select, union
from sqlalchemy.orm import selectinload

from customers.models import (
    CONTACT_CHANNELS,
    CUSTOMER_KINDS,
    VEHICLE_CLASSES,
    Customer,
    OdometerReading,
    Vehicle,
    VehicleOwnership,
)
from customers.vin import check_frame_number, check_vin, clean_vin
from dealer.errors import DomainError, RuleBroken
from dealer.extensions import db
from dealer.models import LANGUAGES, User
from dealer.phones import display_phone, normalize_phone, phone_digits, phone_search_keys
from dealer.services import check_version
from dealer.types import utcnow

MAX_ODOMETER_KM = 3_000_000
_PLATE_NOISE = re.compile(r"[\s\-·•._]")
PHONE_LIKE = re.compile(r"[\d\s+\-().]+")
"""A search text that can only be (part of) a phone number."""
VIN_PART = re.compile(r"[A-HJ-NPR-Z0-9]{6,17}")
"""Six to seventeen characters that may stand in a VIN (never I, O or Q)."""

VIN_MESSAGES = {
    "length": _l(
        "A VIN has exactly 17 characters. A car without one (built before 1981, or a Japanese "
        "frame number) is registered with its frame number: tick the frame number box."
    ),
    "frame": _l("A frame number has 4 to 17 letters and digits, with dashes between."),
    "alphabet": _l("A VIN uses only digits and capital letters, never I, O or Q."),
    "check_digit": _l("The check digit (9th character) does not match: the VIN is mistyped."),
}
VIN_WARNINGS = {
    "check_digit": _l(
        "The check digit (9th character) does not match; this market does not require it, "
        "so the VIN was kept. Please compare it with the registration document."
    ),
}


def name_key(text: str) -> str:
    """The form of a name used to search it: case-folded, single spaces."""
    return " ".join((text or "").split()).casefold()


def plate_key(text: str) -> str:
    """The form of a plate used to search it: upper case, no spaces or separators."""
    return _PLATE_NOISE.sub("", text or "").upper()


def _text(value, field_name: str, limit: int, *, required: bool = False, label=None) -> str | None:
    value = " ".join(str(value).split()) if value is not None else ""
    if not value:
        if required:
            raise DomainError(label or _l("This field is required."), field_name)
        return None
    if len(value) > limit:
        raise DomainError(_l("At most %(n)s characters.", n=limit), field_name)
    return value


@dataclass
class CustomerInput:
    """What the desk records of a customer."""

    name: str
    phone: str
    kind: str = "person"
    alt_phone: str | None = None
    email: str | None = None
    address: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    preferred_language: str = "zh_Hans"
    preferred_channel: str = "phone"
    preferred_time: str | None = None
    callback_consent: bool = True
    marketing_consent: bool = False
    birthday: date | None = None
    notes: str | None = None


def customer_input(customer: Customer, region: str) -> CustomerInput:
    """The current values of a customer, as an input to change some of them."""
    return CustomerInput(
        name=customer.name,
        phone=display_phone(customer.phone, region),
        kind=customer.kind,
        alt_phone=display_phone(customer.alt_phone, region) or None,
        email=customer.email,
        address=customer.address,
        contact_name=customer.contact_name,
        contact_phone=display_phone(customer.contact_phone, region) or None,
        preferred_language=customer.preferred_language,
        preferred_channel=customer.preferred_channel,
        preferred_time=customer.preferred_time,
        callback_consent=customer.callback_consent,
        marketing_consent=customer.marketing_consent,
        birthday=customer.birthday,
        notes=customer.notes,
    )


def _apply_customer(customer: Customer, data: CustomerInput, region: str) -> None:
    errors: list[tuple[str, str]] = []

    def collect(fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except DomainError as exc:
            errors.extend(exc.errors)
            return None

    name = collect(_text, data.name, "name", 120, required=True, label=_l("Enter the name."))
    phone = collect(normalize_phone, data.phone, region, field="phone")
    alt_phone = None
    if (data.alt_phone or "").strip():
        alt_phone = collect(normalize_phone, data.alt_phone, region, field="alt_phone")
    contact_phone = None
    if (data.contact_phone or "").strip():
        contact_phone = collect(normalize_phone, data.contact_phone, region, field="contact_phone")
    email = collect(_text, data.email, "email", 254)
    if email:
        try:
            email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError:
            errors.append(("email", _l("This is not an e-mail address.")))
    address = collect(_text, data.address, "address", 300)
    contact_name = collect(_text, data.contact_name, "contact_name", 120)
    preferred_time = collect(_text, data.preferred_time, "preferred_time", 80)
    notes = (data.notes or "").strip() or None
    if notes and len(notes) > 4000:
        errors.append(("notes", _l("At most %(n)s characters.", n=4000)))
    if data.kind not in CUSTOMER_KINDS:
        errors.append(("kind", _l("Choose person or company.")))
    if data.preferred_language not in LANGUAGES:
        errors.append(("preferred_language", _l("Choose English or Chinese.")))
    if data.preferred_channel not in CONTACT_CHANNELS:
        errors.append(("preferred_channel", _l("Choose phone, SMS, WeChat or e-mail.")))
    if data.birthday and not date(1900, 1, 1) <= data.birthday <= date.today():
        errors.append(("birthday", _l("The birthday must be a past date after 1900.")))
    if errors:
        raise DomainError(errors)
    customer.kind = data.kind
    customer.name = name
    customer.name_key = name_key(name)
    customer.phone = phone
    customer.phone_digits = phone_digits(phone)
    customer.alt_phone = alt_phone
    customer.email = email
    customer.address = address
    customer.contact_name = contact_name if data.kind == "company" else None
    customer.contact_phone = contact_phone if data.kind == "company" else None
    customer.preferred_language = data.preferred_language
    customer.preferred_channel = data.preferred_channel
    customer.preferred_time = preferred_time
    customer.callback_consent = bool(data.callback_consent)
    customer.marketing_consent = bool(data.marketing_consent)
    customer.birthday = data.birthday
    customer.notes = notes


def create_customer(actor: User | None, site_id: int, data: CustomerInput, region: str) -> Customer:
    """Register a customer at a site."""
    customer = Customer(site_id=site_id)
    _apply_customer(customer, data, region)
    db.session.add(customer)
    db.session.flush()
    return customer


def update_customer(
    actor: User | None,
    customer: Customer,
    data: CustomerInput,
    region: str,
    *,
    version: int | None = None,
) -> Customer:
    """Change a customer's details (refused when made from an out-of-date copy)."""
    check_version(customer, version)
    _apply_customer(customer, data, region)
    db.session.flush()
    return customer


def customer_search(site_id: int, query: str, region: str) -> Select:
    """Customers whose name, phone (any format), plate (any spacing or case) or VIN match.

    Each way of matching is its own small query (on PostgreSQL each is served by a trigram
    index), and the customers are those the union of them names. Only the ways the text
    could be are tried: a whole valid phone number is looked up as that number only (not
    as part of a phone, plate or VIN), part of a phone number only for digits and phone
    punctuation, part of a VIN only for the characters a VIN has."""
    stmt = select(Customer).where(Customer.site_id == site_id)
    text = (query or "").strip()[:100]
    if text:
        in_site = Customer.site_id == site_id
        matches = [
            select(Customer.id).where(
                in_site, Customer.name_key.contains(name_key(text), autoescape=True)
            )
        ]
        exact, digits = phone_search_keys(text, region)
        if exact:
            matches.append(select(Customer.id).where(in_site, Customer.phone == exact))
            matches.append(select(Customer.id).where(in_site, Customer.alt_phone == exact))
        elif len(digits) >= 4 and PHONE_LIKE.fullmatch(text):
            matches.append(
                select(Customer.id).where(
                    in_site, Customer.phone_digits.contains(digits, autoescape=True)
                )
            )
        if not exact:
            matches += [
                select(Vehicle.customer_id).where(Vehicle.site_id == site_id, condition)
                for condition in vehicle_conditions(text)
            ]
        stmt = stmt.where(Customer.id.in_(union(*matches)))
    return stmt.order_by(Customer.name_key, Customer.id).options(selectinload(Customer.vehicles))


def vehicle_conditions(text: str) -> list:
    """The ways a text may match vehicles: by plate (any spacing or case) or by VIN."""
    plate = plate_key(text)
    vin = clean_vin(text)
    conditions = []
    if len(plate) >= 2:
        conditions.append(Vehicle.plate_key.contains(plate, autoescape=True))
    if VIN_PART.fullmatch(vin):
        conditions.append(Vehicle.vin.contains(vin, autoescape=True))
    return conditions


def vehicle_match(text: str):
    """The condition matching vehicles by plate (any spacing or case) or VIN, if any."""
    conditions = vehicle_conditions(text)
    return or_(*conditions) if conditions else None


def vehicle_search(site_id: int, query: str) -> Select:
    """Vehicles whose plate or VIN match."""
    stmt = select(Vehicle).where(Vehicle.site_id == site_id)
    condition = vehicle_match((query or "").strip()[:100])
    if (query or "").strip():
        stmt = stmt.where(condition if condition is not None else Vehicle.id.is_(None))
    return stmt.order_by(Vehicle.plate_key, Vehicle.id).options(selectinload(Vehicle.customer))


@dataclass
class VehicleInput:
    """What the desk records of a vehicle."""

    vin: str
    plate: str
    make: str
    model: str
    year: int | None = None
    engine_number: str | None = None
    colour: str | None = None
    vehicle_class: str = "car"
    odometer_km: int | None = None
    frame_number: bool = False
    sold_on: date | None = None
    warnings: list[str] = field(default_factory=list)


def vin_taken(vin: str, vehicle_id: int | None = None) -> bool:
    """Whether another vehicle is registered with ``vin``."""
    stmt = select(Vehicle.id).where(Vehicle.vin == vin)
    if vehicle_id:
        stmt = stmt.where(Vehicle.id != vehicle_id)
    return db.session.scalar(stmt) is not None


def vehicle_input(vehicle: Vehicle) -> VehicleInput:
    """The current values of a vehicle, as an input to change some of them."""
    return VehicleInput(
        vin=vehicle.vin,
        plate=vehicle.plate,
        make=vehicle.make,
        model=vehicle.model,
        year=vehicle.year,
        engine_number=vehicle.engine_number,
        colour=vehicle.colour,
        vehicle_class=vehicle.vehicle_class,
        frame_number=vehicle.frame_number,
        sold_on=vehicle.sold_on,
    )


def _apply_vehicle(vehicle: Vehicle, data: VehicleInput) -> list[str]:
    errors: list[tuple[str, str]] = []
    warnings: list[str] = []
    verdict = (check_frame_number if data.frame_number else check_vin)(data.vin or "")
    if verdict.error:
        errors.append(("vin", VIN_MESSAGES[verdict.error]))
    warnings.extend(str(VIN_WARNINGS[w]) for w in verdict.warnings)
    if not verdict.error and vin_taken(verdict.vin, vehicle.id):
        errors.append(("vin", _l("A vehicle with this VIN is registered already.")))
    fields = {}
    for name, limit, required in (
        ("plate", 20, True),
        ("make", 60, True),
        ("model", 60, True),
        ("engine_number", 40, False),
        ("colour", 40, False),
    ):
        try:
            fields[name] = _text(getattr(data, name), name, limit, required=required)
        except DomainError as exc:
            errors.extend(exc.errors)
    if fields.get("plate") and len(plate_key(fields["plate"])) < 2:
        errors.append(("plate", _l("A plate has at least two letters or digits.")))
    this_year = date.today().year
    if data.year is not None and not 1900 <= data.year <= this_year + 1:
        errors.append(("year", _l("The year is between 1900 and %(y)s.", y=this_year + 1)))
    if data.vehicle_class not in VEHICLE_CLASSES:
        errors.append(("vehicle_class", _l("Choose car, motorcycle or other.")))
    if data.odometer_km is not None and not 0 <= data.odometer_km <= MAX_ODOMETER_KM:
        errors.append(("odometer_km", _l("The odometer reads between 0 and 3,000,000 km.")))
    if data.sold_on is not None and not date(1980, 1, 1) <= data.sold_on <= date.today():
        errors.append(("sold_on", _l("The date of sale is between 1980 and today.")))
    if errors:
        raise DomainError(errors)
    vehicle.sold_on = data.sold_on
    vehicle.vin = verdict.vin
    vehicle.frame_number = bool(data.frame_number)
    vehicle.plate = fields["plate"].upper()
    vehicle.plate_key = plate_key(fields["plate"])
    vehicle.make = fields["make"]
    vehicle.model = fields["model"]
    vehicle.year = data.year
    vehicle.engine_number = (fields["engine_number"] or "").upper() or None
    vehicle.colour = fields["colour"]
    vehicle.vehicle_class = data.vehicle_class
    return warnings


def register_vehicle(actor: User | None, customer: Customer, data: VehicleInput) -> Vehicle:
    """Register a vehicle for a customer; ``data.warnings`` receives what was let through."""
    vehicle = Vehicle(site_id=customer.site_id, odometer_km=0)
    data.warnings = _apply_vehicle(vehicle, data)
    vehicle.customer = customer
    db.session.add(vehicle)
    db.session.add(VehicleOwnership(vehicle=vehicle, customer=customer, note="registered"))
    db.session.flush()
    if data.odometer_km is not None:
        record_odometer(actor, vehicle, data.odometer_km, source="registration")
    return vehicle


def update_vehicle(
    actor: User | None, vehicle: Vehicle, data: VehicleInput, *, version: int | None = None
) -> Vehicle:
    """Change a vehicle's details (the odometer changes only through readings)."""
    check_version(vehicle, version)
    data.warnings = _apply_vehicle(vehicle, data)
    db.session.flush()
    return vehicle


def record_odometer(
    actor: User | None,
    vehicle: Vehicle,
    reading_km: int,
    *,
    source: str = "manual",
    correction: bool = False,
    reason: str | None = None,
) -> OdometerReading:
    """Record a reading; a lower one than the last needs to be a correction with a reason."""
    if isinstance(reading_km, bool) or not isinstance(reading_km, int):
        raise DomainError(_l("Enter the reading in whole kilometres."), "odometer_km")
    if not 0 <= reading_km <= MAX_ODOMETER_KM:
        raise DomainError(_l("The odometer reads between 0 and 3,000,000 km."), "odometer_km")
    reason = (reason or "").strip() or None
    if correction:
        if not reason:
            raise DomainError(_l("Say why the reading is corrected."), "reason")
        if len(reason) > 300:
            raise DomainError(_l("At most %(n)s characters.", n=300), "reason")
        source = "correction"
    elif reading_km < vehicle.odometer_km:
        raise RuleBroken(
            _l(
                "The reading is lower than the last one (%(km)s km). "
                "If the last one was wrong, record a correction with a reason.",
                km=vehicle.odometer_km,
            ),
            "odometer_km",
        )
    reading = OdometerReading(
        vehicle=vehicle,
        reading_km=reading_km,
        source=source,
        reason=reason,
        recorded_by_id=actor.id if actor else None,
    )
    vehicle.odometer_km = reading_km
    db.session.add(reading)
    db.session.flush()
    return reading


def transfer_vehicle(
    actor: User | None, vehicle: Vehicle, new_owner: Customer, note: str | None = None
) -> Vehicle:
    """Move a vehicle to another customer, keeping the ownership history."""
    if new_owner.id == vehicle.customer_id:
        raise DomainError(_l("The vehicle already belongs to this customer."), "customer_id")
    if new_owner.site_id != vehicle.site_id:
        raise DomainError(_l("No such customer."), "customer_id")
    now = utcnow()
    for ownership in vehicle.ownerships:
        if ownership.ended_at is None:
            ownership.ended_at = now
    vehicle.customer = new_owner
    db.session.add(
        VehicleOwnership(
            vehicle=vehicle, customer=new_owner, started_at=now, note=(note or "")[:300] or None
        )
    )
    db.session.flush()
    return vehicle


def customer_count(site_id: int) -> int:
    """How many customers a site has."""
    return db.session.scalar(select(func.count(Customer.id)).where(Customer.site_id == site_id))
