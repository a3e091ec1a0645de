"""Phone numbers: parsed and stored as E.164, shown in national format, masked."""

import re
from functools import lru_cache

import phonenumbers
from flask_babel import lazy_gettext as _l

from dealer.errors import DomainError

_NOT_DIGITS = re.compile(r"\D")


def normalize_phone(raw: str, region: str, *, field: str = "phone") -> str:
    """Parse ``raw`` in ``region`` and return it as E.164, or raise naming ``field``."""
    text = (raw or "").strip()
    if not text:
        raise DomainError(_l("Enter a phone number."), field)
    if len(text) > 40:
        raise DomainError(_l("A phone number has at most 40 characters."), field)
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise DomainError(_l("This is not a phone number."), field) from None
    if not phonenumbers.is_valid_number(number):
        raise DomainError(_l("This phone number is not valid."), field)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@lru_cache(maxsize=4096)
def display_phone(e164: str | None, region: str) -> str:
    """Show a stored number nationally formatted at home and internationally otherwise."""
    if not e164:
        return ""
    number = phonenumbers.parse(e164, None)
    home = phonenumbers.region_code_for_number(number) == region
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if home
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


@lru_cache(maxsize=4096)
def mask_phone(e164: str | None) -> str:
    """Hide the middle of a number: ``138****5678``."""
    if not e164:
        return ""
    number = phonenumbers.parse(e164, None)
    national = str(number.national_number)
    if len(national) <= 6:
        return "*" * len(national)
    return national[:3] + "*" * (len(national) - 7) + national[-4:]


def phone_digits(text: str) -> str:
    """Only the digits of ``text``."""
    return _NOT_DIGITS.sub("", text or "")


def phone_search_keys(query: str, region: str) -> tuple[str | None, str]:
    """What a search text could match: an exact E.164 number and a digit run. A text with
    letters is never a phone number here (the phone library would read ``LSVAB218XE...`` as a
    vanity number, and a whole VIN would be looked up as a phone only)."""
    digits = phone_digits(query)
    exact = None
    if any(ch.isalpha() for ch in query):
        return exact, digits
    try:
        number = phonenumbers.parse(query, region)
        if phonenumbers.is_valid_number(number):
            exact = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        pass
    return exact, digits
