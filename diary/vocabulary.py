"""The diary's codes, each with its label (shared/API.md, "Appointments")."""

from flask_babel import lazy_gettext as _l

from dealer.vocabulary import Vocabulary


class AppointmentStatus(Vocabulary):
    """Where a booking stands."""

    BOOKED = "booked", _l("Booked in")
    CONFIRMED = "confirmed", _l("Booking confirmed")
    ARRIVED = "arrived", _l("Arrived")
    NO_SHOW = "no_show", _l("Did not come")
    CANCELLED = "cancelled", _l("Cancelled")


class AppointmentKind(Vocabulary):
    """Whether the customer leaves the car or waits for it."""

    DROP_OFF = "drop_off", _l("Drop-off")
    WAITER = "waiter", _l("Waits")


class AppointmentSource(Vocabulary):
    """Where the booking was made."""

    DESK = "desk", _l("At the desk")
    PHONE = "phone", _l("By phone")
    ONLINE = "online", _l("Online")
    CALLBACK = "callback", _l("From a callback")


HOLDING = (AppointmentStatus.BOOKED.value, AppointmentStatus.CONFIRMED.value)
"""The bookings that hold the workshop's room."""
