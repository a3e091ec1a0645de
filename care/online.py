"""Booking online (``/book`` and the public API): the customer proves their phone with a
code sent by SMS, picks a service and a free time, and the booking is made in the diary
with ``source: online``. A phone the dealer does not know becomes a prospect customer, and a
plate it does not know stays on the booking until the desk registers the car.

A code is six digits, kept only as a keyed hash, good for ``CODE_MINUTES`` and
``CODE_TRIES`` wrong tries; a phone gets at most ``CODES_PER_HOUR`` codes an hour.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from care import links, outbox
from care.models import VerificationCode
from customers import services as customer_services
from customers.models import Customer, Vehicle
from customers.services import plate_key
from dealer.errors import DomainError, RuleBroken
from dealer.extensions import db
from dealer.phones import normalize_phone
from dealer.services import settings_for
from dealer.types import utcnow
from diary import booking
from diary.models import Appointment
from diary.vocabulary import AppointmentKind, AppointmentSource
from workorders.models import CannedJob

CODE_MINUTES = 10
CODE_TRIES = 5
CODES_PER_HOUR = 5
VERIFIED_MINUTES = 30
"""How long a phone proven on the page may book without a new code."""
CONCERN_HOURS = Decimal("1")
"""The hours a booking with only the customer's words holds, as diagnosis."""
LANGUAGES = ("zh_Hans", "en")


def phone_of(site_id: int, raw: str) -> str:
    """The number as kept (E.164), or the error naming ``phone``."""
    return normalize_phone(raw, settings_for(site_id).phone_region, field="phone")


def _digest(phone: str, code: str) -> str:
    return links.token_hash(f"code:{phone}:{code}")


def send_code(
    site_id: int, raw_phone: str, *, language: str, address: str, now: datetime | None = None
) -> VerificationCode:
    """A new code for the phone, queued to go by SMS at once (not committed)."""
    now = now or utcnow()
    phone = phone_of(site_id, raw_phone)
    recent = db.session.scalar(
        select(func.count(VerificationCode.id)).where(
            VerificationCode.site_id == site_id,
            VerificationCode.phone == phone,
            VerificationCode.created_at > now - timedelta(hours=1),
        )
    )
    if recent >= CODES_PER_HOUR:
        raise RuleBroken(_l("Too many codes for this number: try again in an hour."), "phone")
    code = f"{secrets.randbelow(10**6):06d}"
    row = VerificationCode(
        site_id=site_id,
        phone=phone,
        code_hash=_digest(phone, code),
        address=(address or "-")[:64],
        created_at=now,
        expires_at=now + timedelta(minutes=CODE_MINUTES),
    )
    db.session.add(row)
    outbox.queue_code(site_id, phone, code, language if language in LANGUAGES else "zh_Hans")
    db.session.flush()
    return row


def check_code(site_id: int, phone: str, code: str, now: datetime | None = None) -> bool:
    """Whether ``code`` is the phone's live code; a right one is used up, a wrong one counts
    as a try (not committed: the caller commits either way, so tries are never lost)."""
    now = now or utcnow()
    row = db.session.scalar(
        select(VerificationCode)
        .where(
            VerificationCode.site_id == site_id,
            VerificationCode.phone == phone,
            VerificationCode.used_at.is_(None),
            VerificationCode.expires_at > now,
            VerificationCode.tries < CODE_TRIES,
        )
        .order_by(VerificationCode.id.desc())
        .limit(1)
    )
    if row is None:
        return False
    if secrets.compare_digest(row.code_hash, _digest(phone, (code or "").strip())):
        row.used_at = now
        db.session.flush()
        return True
    row.tries += 1
    db.session.flush()
    return False


CODE_REFUSED = _l("The code is wrong or has expired: ask for a new one.")


def services_offered(site_id: int) -> list[CannedJob]:
    """The common jobs a customer may book online."""
    return list(
        db.session.scalars(
            select(CannedJob)
            .where(CannedJob.site_id == site_id, CannedJob.active.is_(True))
            .order_by(CannedJob.title)
        )
    )


def wanted_jobs(canned_job_ids: list[int], concern: str | None) -> list[booking.JobInput]:
    """The booked work: the chosen common jobs, else the customer's words as diagnosis."""
    jobs = [
        booking.JobInput(title="", labor_hours=None, canned_job_id=int(i)) for i in canned_job_ids
    ]
    if not jobs:
        words = (concern or "").strip()
        if not words:
            raise DomainError(_l("Choose a service or say what the car needs."), "canned_job_ids")
        jobs.append(
            booking.JobInput(
                title=words.splitlines()[0][:200],
                labor_hours=CONCERN_HOURS,
                skill="diagnosis",
            )
        )
    return jobs


@dataclass
class OnlineBooking:
    phone: str
    name: str
    plate: str
    start: datetime
    canned_job_ids: list[int]
    concern: str | None = None
    vin: str | None = None
    kind: str = AppointmentKind.DROP_OFF.value
    language: str = "zh_Hans"


def _customer(site_id: int, wanted: OnlineBooking) -> Customer:
    found = db.session.scalar(
        select(Customer)
        .where(
            Customer.site_id == site_id,
            Customer.phone == wanted.phone,
            Customer.erased_at.is_(None),
        )
        .order_by(Customer.id)
        .limit(1)
    )
    if found is not None:
        return found
    customer = customer_services.create_customer(
        None,
        site_id,
        customer_services.CustomerInput(
            name=wanted.name,
            phone=wanted.phone,
            preferred_language=wanted.language if wanted.language in LANGUAGES else "zh_Hans",
            preferred_channel="sms",
        ),
        settings_for(site_id).phone_region,
    )
    customer.prospect = True
    return customer


def book_online(site_id: int, wanted: OnlineBooking) -> Appointment:
    """Make the booking a proven phone asked for (not committed): the customer by the
    phone (a prospect when new), the car by the plate among theirs (else kept as the plate
    for the desk to register), if the workshop has room then."""
    errors = []
    name = (wanted.name or "").strip()
    if not name or len(name) > 120:
        errors.append(("name", _l("Enter your name (at most 120 characters).")))
    plate = (wanted.plate or "").strip()
    if len(plate_key(plate)) < 2 or len(plate) > 20:
        errors.append(("plate", _l("Enter the car's plate.")))
    vin = (wanted.vin or "").strip().upper()
    if vin and len(vin) != 17:
        errors.append(("vin", _l("A VIN has 17 letters and digits.")))
    try:
        jobs = wanted_jobs(wanted.canned_job_ids, wanted.concern)
    except DomainError as exc:
        errors.extend(exc.errors)
    if errors:
        raise DomainError(errors)
    wanted.name = name
    customer = _customer(site_id, wanted)
    key = plate_key(plate)
    vehicle = db.session.scalar(
        select(Vehicle).where(Vehicle.customer_id == customer.id, Vehicle.plate_key == key)
    )
    return booking.book(
        None,
        customer,
        vehicle,
        start=wanted.start,
        kind=wanted.kind,
        jobs=jobs,
        concern=wanted.concern,
        source=AppointmentSource.ONLINE.value,
        plate=plate,
        vin=vin or None,
    )
