"""VIN rules, without a database."""

import pytest

from customers.vin import check_digit, check_frame_number, check_vin, clean_vin, with_check_digit


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


def test_a_vin_typed_full_width_or_with_invisible_characters_is_made_plain():
    vin = "1M8GDM9AXKP042788"
    full_width = "".join(chr(ord(ch) + 0xFEE0) for ch in vin)
    assert check_vin(full_width).vin == vin and check_vin(full_width).error is None
    assert check_vin("1M8G\u200bDM9A\u200dXKP\ufeff042788").error is None
    assert check_vin("1M8GDM9AXKP\u00ad042788 ").vin == vin
    assert clean_vin("１Ｍ８ＧＤＭ９ＡＸＫＰ－０４２７８８") == vin


@pytest.mark.parametrize("text", ["ZZT240-1234567", "zzt240－1234567", "AE86 123456", "S30-00123"])
def test_a_frame_number_is_kept_as_written(text):
    verdict = check_frame_number(text)
    assert verdict.error is None and verdict.vin == verdict.vin.upper()
    assert "-" in verdict.vin or " " not in verdict.vin


@pytest.mark.parametrize("text", ["", "AB", "-ABC", "ZZT240-12345678901", "ZZT@240"])
def test_a_malformed_frame_number_is_refused(text):
    assert check_frame_number(text).error == "frame"


def test_a_car_without_a_vin_is_registered_by_its_frame_number(app, client, token_for):
    from dealer.errors import DomainError
    from tests.factories import make_customer, make_vehicle

    owner = make_customer()
    with pytest.raises(DomainError) as refused:
        make_vehicle(customer=owner, vin="ZZT240-1234567")
    assert "frame number" in str(refused.value)
    vehicle = make_vehicle(customer=owner, vin="zzt240-1234567", frame_number=True)
    assert vehicle.vin == "ZZT240-1234567" and vehicle.frame_number
    response = client.post(
        "/api/v1/vehicles",
        json={
            "customer_id": owner.id,
            "vin": "ＡＥ８６－０１２３４５",
            "plate": "沪C12345",
            "make": "Toyota",
            "model": "Sprinter Trueno",
            "frame_number": True,
        },
        headers=token_for("advisor"),
    )
    assert response.status_code == 201, response.json
    assert response.json["vin"] == "AE86-012345" and response.json["frame_number"] is True
    full_width = client.post(
        "/api/v1/vehicles",
        json={
            "customer_id": owner.id,
            "vin": "".join(chr(ord(ch) + 0xFEE0) for ch in "1M8GDM9AXKP042788"),
            "plate": "沪C12346",
            "make": "Ford",
            "model": "F-150",
        },
        headers=token_for("advisor"),
    )
    assert full_width.status_code == 201 and full_width.json["vin"] == "1M8GDM9AXKP042788"
