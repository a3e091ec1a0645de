"""Customer and vehicle operations with a database: validation, search, odometer, owners."""

from datetime import date

import pytest

from customers import services
from customers.models import Vehicle
from customers.services import CustomerInput, VehicleInput
from dealer.errors import DomainError, RuleBroken
from dealer.extensions import db
from dealer.services import default_site, settings_for
from tests.factories import make_customer, make_vehicle, make_vin


def search(text: str) -> list[str]:
    site = default_site()
    stmt = services.customer_search(site.id, text, "CN")
    return [c.name for c in db.session.scalars(stmt)]


def test_customer_fields_are_checked_together(app):
    site = default_site()
    data = CustomerInput(
        name=" ",
        phone="12",
        email="not-an-email",
        kind="alien",
        preferred_channel="pigeon",
        birthday=date(2999, 1, 1),
    )
    with pytest.raises(DomainError) as caught:
        services.create_customer(None, site.id, data, "CN")
    fields = {field for field, _ in caught.value.errors}
    assert fields == {"name", "phone", "email", "kind", "preferred_channel", "birthday"}


def test_customer_phone_is_normalized(app):
    customer = make_customer(name="王伟", phone="139-1234 5678", alt_phone="021 5080 1234")
    assert customer.phone == "+8613912345678"
    assert customer.phone_digits == "8613912345678"
    assert customer.alt_phone == "+862150801234"
    assert customer.callback_consent is True and customer.marketing_consent is False


def test_overlong_name_is_refused(app):
    with pytest.raises(DomainError) as caught:
        make_customer(name="x" * 121)
    assert caught.value.errors[0][0] == "name"


def test_company_keeps_its_contact_person(app):
    company = make_customer(
        name="上海安达物流有限公司",
        kind="company",
        contact_name="周经理",
        contact_phone="13700000001",
    )
    person = make_customer(name="Li Na", contact_name="ignored for a person")
    assert company.contact_name == "周经理" and company.contact_phone == "+8613700000001"
    assert person.contact_name is None


def test_search_by_name_phone_plate_and_vin(app):
    wang = make_customer(name="王伟", phone="13912345678")
    make_customer(name="James Wilson", phone="13800001111")
    make_vehicle(customer=wang, plate="沪A·12345", vin=make_vin(777))
    assert search("王") == ["王伟"]
    assert search("james") == ["James Wilson"]
    assert search("wilson") == ["James Wilson"]
    assert search("139 1234 5678") == ["王伟"]
    assert search("+86 139-1234-5678") == ["王伟"]
    assert search("5678") == ["王伟"]
    assert search("沪a 12345") == ["王伟"]
    assert search("沪A12345") == ["王伟"]
    assert search(make_vin(777)[-6:]) == ["王伟"]
    assert search(make_vin(777).lower()) == ["王伟"]
    assert search("nobody here") == []
    assert sorted(search("")) == ["James Wilson", "王伟"]
    letters_like_a_phone = make_customer(name="Keypad")
    make_vehicle(customer=letters_like_a_phone, vin="LSVAB218XE2000000")
    assert search("LSVAB218XE2000000") == ["Keypad"], "a whole VIN, not a vanity phone number"


def test_search_tries_only_what_the_text_could_be(app):
    wang = make_customer(name="王伟", phone="13912345678")
    odd = make_customer(name="Odd Plate", phone="13800001111")
    make_vehicle(customer=wang, plate="沪B·99999")
    make_vehicle(customer=odd, plate="13912345678")
    # Letters: not a phone number, so the digits in it are not looked for in phones.
    assert search("b5678") == []
    assert search("5678") == ["Odd Plate", "王伟"]
    # A whole valid phone number is that customer's phone, not part of a plate.
    assert search("139 1234 5678") == ["王伟"]
    assert search("1391234") == ["Odd Plate", "王伟"]


def test_search_treats_like_wildcards_as_text(app):
    make_customer(name="100% Motors")
    make_customer(name="Anna")
    assert search("%") == ["100% Motors"]
    assert search("_") == []


def test_search_sees_only_its_site(app):
    from dealer.models import Site

    make_customer(name="At home")
    other = Site(code="B2", name="Branch 2")
    db.session.add(other)
    db.session.flush()
    settings_for(other.id)
    services.create_customer(
        None, other.id, CustomerInput(name="Elsewhere", phone="13100000000"), "CN"
    )
    db.session.commit()
    assert search("Elsewhere") == []


def test_vehicle_registration_checks_vin_and_duplicates(app):
    owner = make_customer()
    vin = make_vin(42)
    make_vehicle(customer=owner, vin=vin)
    with pytest.raises(DomainError, match="registered already"):
        make_vehicle(customer=owner, vin=vin.lower())
    db.session.rollback()
    with pytest.raises(DomainError) as caught:
        services.register_vehicle(
            None,
            owner,
            VehicleInput(
                vin="LSVAB2180E212345",
                plate="",
                make="",
                model="M",
                year=1800,
                vehicle_class="tank",
                odometer_km=-5,
            ),
        )
    assert {f for f, _ in caught.value.errors} == {
        "vin",
        "plate",
        "make",
        "year",
        "vehicle_class",
        "odometer_km",
    }


def test_foreign_vin_with_wrong_check_digit_is_kept_with_a_warning(app):
    owner = make_customer()
    data = VehicleInput(vin="WVWZZZ1JZXW000001", plate="沪B 1", make="VW", model="Golf")
    vehicle = services.register_vehicle(None, owner, data)
    assert vehicle.vin == "WVWZZZ1JZXW000001"
    assert data.warnings and "check digit" in data.warnings[0]


def test_plate_is_stored_upper_case_with_a_search_key(app):
    vehicle = make_vehicle(plate="沪a 123-45")
    assert vehicle.plate == "沪A 123-45"
    assert vehicle.plate_key == "沪A12345"


def test_odometer_never_goes_down_without_a_correction(app):
    vehicle = make_vehicle(odometer_km=52000)
    assert vehicle.odometer_km == 52000
    services.record_odometer(None, vehicle, 53000)
    with pytest.raises(RuleBroken, match="lower than the last one"):
        services.record_odometer(None, vehicle, 50000)
    with pytest.raises(DomainError) as caught:
        services.record_odometer(None, vehicle, 50000, correction=True)
    assert caught.value.errors[0][0] == "reason"
    services.record_odometer(None, vehicle, 35000, correction=True, reason="typo at intake: 53000")
    db.session.commit()
    db.session.expire_all()
    vehicle = db.session.get(Vehicle, vehicle.id)
    assert vehicle.odometer_km == 35000
    assert [(r.reading_km, r.source) for r in vehicle.readings] == [
        (35000, "correction"),
        (53000, "manual"),
        (52000, "registration"),
    ]


@pytest.mark.parametrize("bad", [-1, 3_000_001, "12", True, 1.5])
def test_odometer_must_be_whole_kilometres_in_range(app, bad):
    vehicle = make_vehicle()
    with pytest.raises(DomainError) as caught:
        services.record_odometer(None, vehicle, bad)
    assert caught.value.errors[0][0] == "odometer_km"


def test_transfer_keeps_the_ownership_history(app):
    first, second = make_customer(name="First"), make_customer(name="Second")
    vehicle = make_vehicle(customer=first)
    services.transfer_vehicle(None, vehicle, second, "sold privately")
    db.session.commit()
    db.session.expire_all()
    vehicle = db.session.get(Vehicle, vehicle.id)
    assert vehicle.customer.name == "Second"
    history = [(o.customer.name, o.ended_at is None) for o in vehicle.ownerships]
    assert history == [("Second", True), ("First", False)]
    with pytest.raises(DomainError):
        services.transfer_vehicle(None, vehicle, vehicle.customer)
