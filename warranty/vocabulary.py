"""The warranty desk's codes, each with its label (shared/API.md, "Recalls, campaigns,
warranty claims, three-guarantee (三包) watch")."""

from flask_babel import lazy_gettext as _l

from dealer.vocabulary import Vocabulary


class CampaignKind(Vocabulary):
    """What the manufacturer calls the work: a safety recall or a service campaign."""

    RECALL = "recall", _l("Recall")
    SERVICE_CAMPAIGN = "service_campaign", _l("Service campaign")


class ClaimStatus(Vocabulary):
    """Where a warranty claim stands with the manufacturer."""

    DRAFT = "draft", _l("Draft")
    SUBMITTED = "submitted", _l("Submitted")
    ACCEPTED = "accepted", _l("Accepted")
    REJECTED = "rejected", _l("Rejected")
    PAID = "paid", _l("Paid")


class FaultSystem(Vocabulary):
    """The systems whose serious faults the three-guarantee rules count (严重安全性能故障
    and the main parts of engine and transmission)."""

    ENGINE = "engine", _l("Engine")
    TRANSMISSION = "transmission", _l("Transmission")
    STEERING = "steering", _l("Steering")
    BRAKES = "brakes", _l("Braking")
    SUSPENSION = "suspension", _l("Suspension")
    AXLES = "axles", _l("Front and rear axles")
    BODY = "body", _l("Body structure")
    FUEL = "fuel", _l("Fuel system")
    HIGH_VOLTAGE = "high_voltage", _l("Traction battery and drive motor")


class TagFate(Vocabulary):
    """What became of an old part kept for the manufacturer."""

    KEPT = "kept", _l("On the shelf")
    RETURNED = "returned", _l("Returned to the manufacturer")
    SCRAPPED = "scrapped", _l("Scrapped")
