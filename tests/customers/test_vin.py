"""VIN rules, without a database."""

import pytest

from customers.vin import check_digit, check_vin, clean_vin, with_check_digit


def test_known_valid_north_american_vin():
    assert check_vin("1M8GDM9AXKP042788").error is None


@pytest.mark.parametrize("vin", ["11111111111111111", "1HGCM82633A004352", "1M8GDM9AXKP042788"])
def test_check_digit_of_published_examples(vin):
    assert check_digit(vin) == vin[8]


def test_wrong_check_digit_is_refused_in_north_america_and_china():
    assert check_vin("1M8GDM9A1KP042788").error == "check_digit"
    chinese = with_check_digit("LSVAB2180E2123456")
    assert check_vin(chinese).error is None
    wrong = chinese[:8] + ("1" if chinese[8] != "1" else "2") + chinese[9:]
    assert check_vin(wrong).error == "check_digit"


def test_wrong_check_digit_elsewhere_is_only_a_warning():
    verdict = check_vin("WVWZZZ1JZXW000001")
    assert verdict.error is None
    assert verdict.warnings == ["check_digit"]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("1M8GDM9AXKP04278", "length"),
        ("1M8GDM9AXKP0427888", "length"),
        ("1M8GDM9AXKO042788", "alphabet"),
        ("IM8GDM9AXKP042788", "alphabet"),
        ("", "length"),
    ],
)
def test_malformed_vins(text, error):
    assert check_vin(text).error == error


def test_vin_is_cleaned_of_case_spaces_and_dashes():
    assert clean_vin(" 1m8gdm9a-xkp 042788 ") == "1M8GDM9AXKP042788"
    assert check_vin(" 1m8gdm9a-xkp 042788 ").vin == "1M8GDM9AXKP042788"
