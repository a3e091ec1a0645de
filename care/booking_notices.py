"""Telling the customer about their booking: a confirmation when it is made, a message when
the desk moves it, a reminder the evening before (at the time in Settings), and for a car
that did not come, a message with the link to pick a new time.

Each message carries the booking's own link (``/b/<token>``), where the customer sees the
booking and changes or cancels it. The token is derived from the booking under the app's
secret key, so every message of one booking carries the same link while only its keyed hash
is kept; the link ends with the booking.

``after_change`` is connected to the diary's ``appointment_changed`` by the app factory; the
evening run (``evening``) is the worker's. Both only queue: the worker sends.
"""

import base64
import hashlib
import hmac
from datetime import date, datetime, time, timedelta

from flask import current_app
from flask_babel import force_locale, format_datetime
from sqlalchemy import select

from care import links, outbox
from dealer.extensions import db
from dealer.models import DealerSettings, User
from dealer.services import settings_for
from dealer.timeutil import zone
from dealer.types import utcnow
from diary import booking, picking
from diary.models import Appointment
from diary.vocabulary import AppointmentStatus

OPEN_AFTER = timedelta(days=7)
"""A booking's link still opens this long after its time, so a missed car can rebook."""


def booking_token(appointment: Appointment) -> str:
    """The booking's token: 16 URL-safe characters derived under the app's secret key."""
    key = current_app.config["SECRET_KEY"].encode()
    made = f"appointment:{appointment.id}:{appointment.booked_at.isoformat()}".encode()
    digest = hmac.new(key, made, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:12]).decode()


def booking_url(appointment: Appointment) -> str:
    """The booking's link, kept as its hash on the booking."""
    token = booking_token(appointment)
    appointment.link_hash = links.token_hash(token)
    return links.public_url(f"/b/{token}")


def find_booking(token: str) -> Appointment | None:
    """The booking a link opens, while it may: until a week after its time."""
    if not token or len(token) > 40:
        return None
    found = db.session.scalar(
        select(Appointment).where(Appointment.link_hash == links.token_hash(token))
    )
    if found is None or found.start_at + OPEN_AFTER < utcnow():
        return None
    return found


def when(appointment: Appointment) -> str:
    """The booking's time as the customer reads it."""
    local = appointment.start_at.astimezone(zone(settings_for(appointment.site_id).time_zone))
    with force_locale(appointment.customer.preferred_language):
        return format_datetime(local.replace(tzinfo=None), "short")


def tell(appointment: Appointment, event: str, actor: User | None = None):
    """Queue the booking's message for ``event`` with its link (not committed)."""
    plate = appointment.shown_plate
    return outbox.queue_message(
        appointment.customer,
        event,
        values={"link": booking_url(appointment), "when": when(appointment), "plate": plate},
        actor=actor,
    )


def after_change(appointment: Appointment, *, event: str, actor: User | None) -> None:
    """The message a booking's change implies, where the site sends them: a confirmation
    for a new booking (or one the customer moved), a notice when the desk moves it, and the
    offer of a new time when the car did not come."""
    appointment.link_hash = links.token_hash(booking_token(appointment))
    if not settings_for(appointment.site_id).order_messages:
        return
    if event == "booked" or (event == "moved" and actor is None):
        tell(appointment, "appointment_confirmed", actor)
    elif event == "moved":
        tell(appointment, "appointment_moved", actor)
    elif event == AppointmentStatus.NO_SHOW.value:
        tell(appointment, "appointment_missed", actor)


def _due(settings: DealerSettings, now: datetime) -> date | None:
    """Tomorrow, once the site's evening time has come today; None before then."""
    local = now.astimezone(zone(settings.time_zone))
    hour, minute = (int(n) for n in settings.appointment_reminder_at.split(":"))
    if local.time() < time(hour, minute):
        return None
    return local.date() + timedelta(days=1)


def evening(now: datetime | None = None) -> dict[str, int]:
    """For every site past its evening time: mark the day's bookings whose car never came
    as no-shows (each gets the offer of a new time), remind the customers booked tomorrow
    (once each) and make tomorrow's pick list, reserving the booked jobs' parts. Safe to
    run as often as wanted; each site commits on its own."""
    now = now or utcnow()
    done = {"missed": 0, "reminded": 0, "picked": 0}
    for settings in db.session.scalars(select(DealerSettings)).all():
        tomorrow = _due(settings, now)
        if tomorrow is None:
            continue
        for appointment in picking.bookings_of(settings.site_id, tomorrow - timedelta(days=1)):
            if appointment.start_at < now:
                booking.set_status(None, appointment, AppointmentStatus.NO_SHOW.value)
                done["missed"] += 1
        for appointment in picking.bookings_of(settings.site_id, tomorrow):
            if appointment.reminded_at is None:
                if settings.order_messages:
                    tell(appointment, "appointment_reminder")
                appointment.reminded_at = now
                done["reminded"] += 1
            if appointment.picked_at is None or appointment.parts_missing:
                picking.pick(None, appointment)
                done["picked"] += 1
        db.session.commit()
    return done
