"""Display names of the callback, complaint and VIP codes, for pages and papers: each
vocabulary's labels (``care.vocabulary``), and the callers' script for each kind of call."""

from flask_babel import lazy_gettext as _l

from care.vocabulary import (
    CallbackKind,
    CallbackState,
    ComplaintChannel,
    Occasion,
    Outcome,
    Question,
    RootCause,
)

KIND_LABELS = CallbackKind.labels()
TIER_LABELS = {
    "Diamond": _l("Diamond"),
    "Platinum": _l("Platinum"),
    "Gold": _l("Gold"),
    "Silver": _l("Silver"),
    "Bronze": _l("Bronze"),
}
"""The usual VIP tier names, as the default tiers name them, in the reader's language; a
dealer's own tier names show as the dealer wrote them."""


def tier_name(name: str | None) -> str:
    """A VIP tier's name in the reader's language, when it is one of the usual names."""
    if not name:
        return ""
    label = TIER_LABELS.get(name)
    return str(label) if label is not None else name


SCRIPT_HINTS = {
    "satisfaction": _l(
        "Thank them for the visit; ask about the work, the time, the explanation at handover "
        "and the staff, each from 1 to 5; note anything not right."
    ),
    "declined_work": _l(
        "Remind them of the work they declined and why it was advised; offer to book it now "
        "at the estimate shown."
    ),
    "service_reminder": _l(
        "The next service is due soon; offer a time that suits them and say how long it takes."
    ),
    "vip_care": _l(
        "A courtesy call for the occasion: best wishes from the dealer, no selling; ask whether "
        "anything about the car needs attention."
    ),
    "complaint_follow_up": _l(
        "Ask whether the resolution of their complaint has held and whether they are satisfied "
        "now; raise a new complaint if not."
    ),
}
STATUS_LABELS = CallbackState.labels()
OUTCOME_LABELS = Outcome.labels()
QUESTION_LABELS = Question.labels()
ROOT_CAUSE_LABELS = RootCause.labels()
CHANNEL_LABELS = ComplaintChannel.labels()
HOLIDAY_LABELS = Occasion.labels()
