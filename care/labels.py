"""Display names of the callback, complaint and VIP codes, for pages and papers."""

from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "satisfaction": _l("Satisfaction call"),
    "declined_work": _l("Declined work follow-up"),
    "service_reminder": _l("Service reminder"),
    "vip_care": _l("VIP care call"),
    "complaint_follow_up": _l("Complaint follow-up"),
}
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
STATUS_LABELS = {
    "open": _l("Open"),
    "done": _l("Done"),
    "unreachable": _l("Unreachable"),
    "cancelled": _l("Cancelled"),
}
OUTCOME_LABELS = {
    "reached": _l("Reached"),
    "no_answer": _l("No answer"),
    "wrong_number": _l("Wrong number"),
    "refused": _l("Refused to talk"),
}
QUESTION_LABELS = {
    "work_quality": _l("Quality of the work"),
    "on_time": _l("Ready on time"),
    "explanation": _l("Explanation at handover"),
    "staff_attitude": _l("Staff attitude"),
}
ROOT_CAUSE_LABELS = {
    "workmanship": _l("Workmanship"),
    "part": _l("Part"),
    "customer_use": _l("Customer use"),
    "staff_attitude": _l("Staff attitude"),
    "waiting_time": _l("Waiting time"),
    "price": _l("Price"),
}
CHANNEL_LABELS = {
    "call": _l("Callback"),
    "desk": _l("At the desk"),
    "phone": _l("Phone call"),
    "online": _l("Online"),
}
HOLIDAY_LABELS = {
    "new_year": _l("New Year"),
    "spring_festival": _l("Spring Festival"),
    "labour_day": _l("Labour Day"),
    "national_day": _l("National Day"),
    "birthday": _l("Birthday"),
}
