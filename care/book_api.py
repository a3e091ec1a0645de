"""JSON API of booking online: a code to the phone, then the booking with that code. No
token: the phone's code is the credential, and every call is counted per address."""

from datetime import datetime
from typing import Literal

from flask import request
from flask_babel import lazy_gettext as _l
from pydantic import Field

from care import booking_notices, online
from care.api import bp
from care.booking_pages import guard_booking
from dealer.apikit import Input, Output, endpoint
from dealer.errors import DomainError
from dealer.extensions import db
from dealer.models import Site
from diary.vocabulary import AppointmentKind


class VerifyIn(Input):
    phone: str = Field(max_length=40)
    site: str | None = Field(default=None, max_length=20)
    language: Literal[online.LANGUAGES] = "zh_Hans"


class VerifyOut(Output):
    sent: bool
    expires_in_minutes: int


class OnlineAppointmentIn(Input):
    phone: str = Field(max_length=40)
    code: str = Field(max_length=12)
    name: str = Field(max_length=120)
    plate: str = Field(max_length=20)
    vin: str | None = Field(default=None, max_length=17)
    start: datetime
    kind: Literal[AppointmentKind.values()] = "drop_off"
    canned_job_ids: list[int] = Field(default_factory=list, max_length=20)
    concern: str | None = Field(default=None, max_length=4000)
    site: str | None = Field(default=None, max_length=20)
    language: Literal[online.LANGUAGES] = "zh_Hans"


class OnlineJobOut(Output):
    title: str
    skill: str


class OnlineAppointmentOut(Output):
    id: int
    status: str
    source: str
    kind: str
    start: datetime
    end: datetime
    plate: str
    url: str
    jobs: list[OnlineJobOut]


def _site_id(code: str | None) -> int:
    stmt = db.select(Site.id).order_by(Site.id).limit(1)
    if code:
        stmt = db.select(Site.id).where(Site.code == code)
    found = db.session.scalar(stmt)
    if found is None:
        raise DomainError(_l("No such site."), "site")
    return found


@endpoint(
    bp,
    "/public/verify",
    roles=(),
    public=True,
    method="POST",
    status=202,
    summary="Send a code by SMS to the phone that wants to book online",
    body=VerifyIn,
    response=VerifyOut,
)
def post_verify(body: VerifyIn):
    guard_booking(codes=True)
    site_id = _site_id(body.site)
    online.send_code(
        site_id, body.phone, language=body.language, address=request.remote_addr or "-"
    )
    return VerifyOut(sent=True, expires_in_minutes=online.CODE_MINUTES)


@endpoint(
    bp,
    "/public/appointments",
    roles=(),
    public=True,
    method="POST",
    status=201,
    summary="Book online with the code the phone received",
    body=OnlineAppointmentIn,
    response=OnlineAppointmentOut,
)
def post_online_appointment(body: OnlineAppointmentIn):
    guard_booking()
    site_id = _site_id(body.site)
    phone = online.phone_of(site_id, body.phone)
    if not online.check_code(site_id, phone, body.code):
        db.session.commit()
        raise DomainError(online.CODE_REFUSED, "code")
    made = online.book_online(
        site_id,
        online.OnlineBooking(
            phone=phone,
            name=body.name,
            plate=body.plate,
            vin=body.vin,
            start=body.start,
            canned_job_ids=body.canned_job_ids,
            concern=body.concern,
            kind=body.kind,
            language=body.language,
        ),
    )
    return OnlineAppointmentOut(
        id=made.id,
        status=made.status,
        source=made.source,
        kind=made.kind,
        start=made.start_at,
        end=made.end_at,
        plate=made.shown_plate,
        url=booking_notices.booking_url(made),
        jobs=[OnlineJobOut(title=job.title, skill=job.skill) for job in made.jobs],
    )
