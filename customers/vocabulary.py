"""The customers' vocabularies: each code with its label (see ``dealer.vocabulary``)."""

from flask_babel import lazy_gettext as _l

from dealer.vocabulary import Vocabulary


class CustomerKind(Vocabulary):
    """Whether a customer is a person or a company (with contact persons)."""

    PERSON = "person", _l("Person")
    COMPANY = "company", _l("Company")


class ContactChannel(Vocabulary):
    """How the customer likes to be reached."""

    PHONE = "phone", _l("Phone call")
    SMS = "sms", _l("SMS")
    WECHAT = "wechat", _l("WeChat")
    EMAIL = "email", _l("E-mail")


class VehicleClass(Vocabulary):
    """What kind of vehicle; the warranty rules differ by class."""

    CAR = "car", _l("Car")
    MOTORCYCLE = "motorcycle", _l("Motorcycle")
    OTHER = "other", _l("Other vehicle")


class OdometerSource(Vocabulary):
    """Where an odometer reading came from."""

    REGISTRATION = "registration", _l("registration")
    WORK_ORDER = "work_order", _l("work order")
    MANUAL = "manual", _l("entered")
    CORRECTION = "correction", _l("correction")
