"""Phone numbers: normalized to E.164, shown nationally, masked."""

import pytest

from dealer.errors import DomainError
from dealer.phones import display_phone, mask_phone, normalize_phone, phone_search_keys


@pytest.mark.parametrize(
    "raw",
    ["13800138000", "138 0013 8000", "138-0013-8000", "+86 138 0013 8000", "0086 13800138000"],
)
def test_any_format_becomes_e164(raw):
    assert normalize_phone(raw, "CN") == "+8613800138000"


def test_landline_and_foreign_numbers():
    assert normalize_phone("010 6552 9988", "CN") == "+861065529988"
    assert normalize_phone("+1 650-253-0000", "CN") == "+16502530000"


@pytest.mark.parametrize("raw", ["", "12345", "hello", "1" * 41])
def test_bad_numbers_name_the_field(raw):
    with pytest.raises(DomainError) as caught:
        normalize_phone(raw, "CN", field="alt_phone")
    assert caught.value.errors[0][0] == "alt_phone"


def test_display_and_mask():
    assert display_phone("+8613800138000", "CN") == "138 0013 8000"
    assert display_phone("+16502530000", "CN") == "+1 650-253-0000"
    assert mask_phone("+8613812345678") == "138****5678"


def test_search_keys():
    exact, digits = phone_search_keys("138 0013 8000", "CN")
    assert exact == "+8613800138000" and digits == "13800138000"
    assert phone_search_keys("8000", "CN") == (None, "8000")


def test_a_text_with_letters_is_never_a_phone_number():
    """The phone library reads letters as a keypad's: this whole VIN would be the valid
    Shanghai-area number +86 21 8200 0000, and the search would look for that phone only."""
    assert phone_search_keys("LSVAB218XE2000000", "CN")[0] is None
    assert phone_search_keys("021-8200-0000", "CN")[0] == "+862182000000"
