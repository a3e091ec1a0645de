"""After-sales care's vocabularies: each code with its label (see ``dealer.vocabulary``)."""

from flask_babel import lazy_gettext as _l

from dealer.vocabulary import Vocabulary


class CallbackKind(Vocabulary):
    """Why the customer is called."""

    SATISFACTION = "satisfaction", _l("Satisfaction call")
    DECLINED_WORK = "declined_work", _l("Declined work follow-up")
    SERVICE_REMINDER = "service_reminder", _l("Service reminder")
    VIP_CARE = "vip_care", _l("VIP care call")
    COMPLAINT_FOLLOW_UP = "complaint_follow_up", _l("Complaint follow-up")


class CallbackState(Vocabulary):
    """Where a callback stands."""

    OPEN = "open", _l("Open")
    DONE = "done", _l("Done")
    UNREACHABLE = "unreachable", _l("Unreachable")
    CANCELLED = "cancelled", _l("Cancelled")


class Outcome(Vocabulary):
    """How a try at a call went."""

    REACHED = "reached", _l("Reached")
    NO_ANSWER = "no_answer", _l("No answer")
    WRONG_NUMBER = "wrong_number", _l("Wrong number")
    REFUSED = "refused", _l("Refused to talk")


class Question(Vocabulary):
    """A question of the satisfaction call, scored 1 to 5."""

    WORK_QUALITY = "work_quality", _l("Quality of the work")
    ON_TIME = "on_time", _l("Ready on time")
    EXPLANATION = "explanation", _l("Explanation at handover")
    STAFF_ATTITUDE = "staff_attitude", _l("Staff attitude")


class RootCause(Vocabulary):
    """The root cause a resolved complaint records."""

    WORKMANSHIP = "workmanship", _l("Workmanship")
    PART = "part", _l("Part")
    CUSTOMER_USE = "customer_use", _l("Customer use")
    STAFF_ATTITUDE = "staff_attitude", _l("Staff attitude")
    WAITING_TIME = "waiting_time", _l("Waiting time")
    PRICE = "price", _l("Price")


class ComplaintChannel(Vocabulary):
    """How a complaint came in."""

    CALL = "call", _l("Callback")
    DESK = "desk", _l("At the desk")
    PHONE = "phone", _l("Phone call")
    ONLINE = "online", _l("Online")


class Occasion(Vocabulary):
    """The occasion of a VIP care call."""

    NEW_YEAR = "new_year", _l("New Year")
    SPRING_FESTIVAL = "spring_festival", _l("Spring Festival")
    LABOUR_DAY = "labour_day", _l("Labour Day")
    NATIONAL_DAY = "national_day", _l("National Day")
    BIRTHDAY = "birthday", _l("Birthday")


class ComplaintStatus(Vocabulary):
    """Whether a complaint is still open."""

    OPEN = "open", _l("Open")
    RESOLVED = "resolved", _l("Resolved")


class ComplaintEventKind(Vocabulary):
    """What happened to a complaint."""

    REPLY = "reply", _l("Reply")
    HANDOVER = "handover", _l("Handed over")
    RESOLVE = "resolve", _l("Resolved")


class MessageChannel(Vocabulary):
    """How a message reaches the customer."""

    SMS = "sms", _l("SMS")
    EMAIL = "email", _l("E-mail")
    WECHAT = "wechat", _l("WeChat")


class MessageStatus(Vocabulary):
    """Where a message is: waiting in the outbox, handed to the provider, delivered, given
    up, or held back (no consent, opted out, no address)."""

    QUEUED = "queued", _l("Not sent yet")
    SENT = "sent", _l("Sent")
    DELIVERED = "delivered", _l("Delivered")
    FAILED = "failed", _l("Failed")
    SUPPRESSED = "suppressed", _l("Not sent: held back")


class MessageEvent(Vocabulary):
    """What a message is about."""

    ORDER_RECEIVED = "order_received", _l("Car received")
    ESTIMATE_READY = "estimate_ready", _l("Estimate ready")
    AUTHORIZATION_NEEDED = "authorization_needed", _l("Extra work to approve")
    INSPECTION_READY = "inspection_ready", _l("Inspection ready")
    READY_FOR_PICKUP = "ready_for_pickup", _l("Ready for pickup")
    THANK_YOU_SURVEY = "thank_you_survey", _l("Thank you and survey")
    SERVICE_REMINDER = "service_reminder", _l("Service reminder")
    APPOINTMENT_CONFIRMED = "appointment_confirmed", _l("Appointment confirmed")
    APPOINTMENT_REMINDER = "appointment_reminder", _l("Appointment reminder")
    APPOINTMENT_MOVED = "appointment_moved", _l("Appointment moved")
    APPOINTMENT_MISSED = "appointment_missed", _l("Missed appointment")
    HOLIDAY_GREETING = "holiday_greeting", _l("Holiday greeting")
    BIRTHDAY_GREETING = "birthday_greeting", _l("Birthday greeting")
    VERIFICATION_CODE = "verification_code", _l("Verification code")


SERVICE_EVENTS = frozenset(
    {
        MessageEvent.ORDER_RECEIVED,
        MessageEvent.ESTIMATE_READY,
        MessageEvent.AUTHORIZATION_NEEDED,
        MessageEvent.INSPECTION_READY,
        MessageEvent.READY_FOR_PICKUP,
        MessageEvent.APPOINTMENT_CONFIRMED,
        MessageEvent.APPOINTMENT_REMINDER,
        MessageEvent.APPOINTMENT_MOVED,
        MessageEvent.APPOINTMENT_MISSED,
        MessageEvent.VERIFICATION_CODE,
    }
)
"""Messages about the customer's own car or booking: they need only the contact details.
Every other message (surveys, reminders, greetings) needs the customer's consent."""

URGENT_EVENTS = frozenset({MessageEvent.VERIFICATION_CODE, MessageEvent.AUTHORIZATION_NEEDED})
"""Messages that go at once, quiet hours or not: the rest wait until quiet hours end."""
