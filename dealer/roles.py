"""The staff roles and their display names."""

from flask_babel import lazy_gettext as _l

from dealer.vocabulary import Vocabulary


class Role(Vocabulary):
    """What a member of staff does; a person may hold several roles."""

    ADVISOR = "advisor", _l("Service advisor")
    TECHNICIAN = "technician", _l("Technician")
    INSPECTOR = "inspector", _l("QC inspector")
    PARTS = "parts", _l("Parts")
    CALLBACK = "callback", _l("Callback staff")
    WARRANTY = "warranty", _l("Warranty administrator")
    MANAGER = "manager", _l("Service manager")


ADVISOR = Role.ADVISOR.value
TECHNICIAN = Role.TECHNICIAN.value
INSPECTOR = Role.INSPECTOR.value
PARTS = Role.PARTS.value
CALLBACK = Role.CALLBACK.value
WARRANTY = Role.WARRANTY.value
MANAGER = Role.MANAGER.value

ROLES = Role.values()
ALL_STAFF = ROLES

LABELS = Role.labels()

PHONE_ROLES = frozenset({ADVISOR, CALLBACK, MANAGER})
"""Roles that see customers' phone numbers in full; others see them masked."""
