"""The staff roles and their display names."""

from flask_babel import lazy_gettext as _l

ADVISOR = "advisor"
TECHNICIAN = "technician"
INSPECTOR = "inspector"
PARTS = "parts"
CALLBACK = "callback"
MANAGER = "manager"

ROLES = (ADVISOR, TECHNICIAN, INSPECTOR, PARTS, CALLBACK, MANAGER)
ALL_STAFF = ROLES

LABELS = {
    ADVISOR: _l("Service advisor"),
    TECHNICIAN: _l("Technician"),
    INSPECTOR: _l("QC inspector"),
    PARTS: _l("Parts"),
    CALLBACK: _l("Callback staff"),
    MANAGER: _l("Service manager"),
}

PHONE_ROLES = frozenset({ADVISOR, CALLBACK, MANAGER})
"""Roles that see customers' phone numbers in full; others see them masked."""
