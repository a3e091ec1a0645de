"""The inspection's codes, each with its label (shared/API.md, "Multi-point inspection")."""

from flask_babel import lazy_gettext as _l

from dealer.vocabulary import Vocabulary


class Condition(Vocabulary):
    """What the technician found of an item: fine, soon, now, or not looked at."""

    GREEN = "green", _l("Good")
    YELLOW = "yellow", _l("Needs attention soon")
    RED = "red", _l("Needs attention now")
    NOT_CHECKED = "not_checked", _l("Not checked")


class ItemGroup(Vocabulary):
    """The car's systems an inspection goes through, in the order a technician walks them."""

    TYRES = "tyres", _l("Tyres and wheels")
    BRAKES = "brakes", _l("Brakes")
    FLUIDS = "fluids", _l("Fluids")
    BATTERY = "battery", _l("Battery")
    LIGHTS = "lights", _l("Lights")
    WIPERS = "wipers", _l("Wipers and glass")
    BELTS_HOSES = "belts_hoses", _l("Belts and hoses")
    SUSPENSION = "suspension", _l("Suspension and steering")
    EXHAUST = "exhaust", _l("Exhaust")
    UNDERBODY = "underbody", _l("Underbody and leaks")


class Worse(Vocabulary):
    """Which way a measurement goes bad: tread wears down, play grows."""

    LOWER = "lower", _l("Lower is worse")
    HIGHER = "higher", _l("Higher is worse")


class InspectionStatus(Vocabulary):
    """Where an inspection of an order stands."""

    OPEN = "open", _l("Being inspected")
    COMPLETED = "completed", _l("Completed")
    RELEASED = "released", _l("Sent to the customer")
