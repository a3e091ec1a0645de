"""Builders of test records: keyword-only, with believable defaults."""

import itertools

from customers.models import Customer, Vehicle
from customers.services import CustomerInput, VehicleInput, create_customer, register_vehicle
from customers.vin import with_check_digit
from dealer import services
from dealer.extensions import db
from dealer.models import User

PASSWORD = "correct-horse-battery"


def _signature_png() -> bytes:
    from io import BytesIO

    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (120, 40), (255, 255, 255, 0))
    ImageDraw.Draw(image).line([(5, 30), (40, 8), (70, 32), (115, 10)], fill="black", width=3)
    out = BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


SIGNATURE = _signature_png()


def _photo_png() -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (64, 48), (180, 40, 40)).save(out, "PNG")
    return out.getvalue()


PHOTO = _photo_png()
"""A small photo as a camera or file picker sends it (a PNG)."""


def photo_jpeg(size=(64, 48), exif: bytes | None = None) -> bytes:
    """A photo as a phone camera sends it: a JPEG, with EXIF metadata when given."""
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    extra = {"exif": exif} if exif else {}
    Image.new("RGB", size, (40, 90, 160)).save(out, "JPEG", **extra)
    return out.getvalue()


"""A customer's signature as the signature pad sends it (a PNG)."""
SIGNATURE_URL = "data:image/png;base64," + __import__("base64").b64encode(SIGNATURE).decode()
"""The same signature as a data URL, as the API takes it."""
_seq = itertools.count(1)


def make_user(
    *,
    username: str | None = None,
    roles=("advisor",),
    password: str = PASSWORD,
    full_name: str | None = None,
    language: str = "en",
) -> User:
    """A member of staff, committed."""
    n = next(_seq)
    username = username or f"user{n}"
    site = services.default_site()
    services.settings_for(site.id)
    user = services.create_user(
        None,
        username=username,
        password=password,
        data=services.StaffInput(
            full_name=full_name or f"Staff {n}", roles=list(roles), language=language
        ),
        site=site,
    )
    db.session.commit()
    return user


def make_customer(**overrides) -> Customer:
    """A customer, committed; phone numbers are unique per call."""
    n = next(_seq)
    fields = {"name": f"Customer {n}", "phone": f"+86138{n:08d}"}
    fields.update(overrides)
    site = services.default_site()
    settings = services.settings_for(site.id)
    customer = create_customer(None, site.id, CustomerInput(**fields), settings.phone_region)
    db.session.commit()
    return customer


def make_vin(n: int | None = None, wmi: str = "LSV") -> str:
    """A valid VIN with a right check digit."""
    n = next(_seq) if n is None else n
    return with_check_digit(f"{wmi}AB2180E2{n:06d}")


def make_vehicle(*, customer: Customer | None = None, **overrides) -> Vehicle:
    """A vehicle, committed, for ``customer`` or a new one."""
    customer = customer or make_customer()
    n = next(_seq)
    fields = {"vin": make_vin(n), "plate": f"沪A{n:05d}", "make": "Volkswagen", "model": "Passat"}
    fields.update(overrides)
    vehicle = register_vehicle(None, customer, VehicleInput(**fields))
    db.session.commit()
    return vehicle


def make_part(*, part_number: str | None = None, on_hand: str = "10", **overrides):
    """A catalogue part with stock, committed."""
    from decimal import Decimal

    from parts.models import Part
    from parts.stock import part_number_key

    n = next(_seq)
    number = part_number or f"P-{n:05d}"
    site = services.default_site()
    fields = {
        "site_id": site.id,
        "part_number": number,
        "number_key": part_number_key(number),
        "name": f"Part {n}",
        "unit_cost": Decimal("40.00"),
        "unit_price": Decimal("68.00"),
        "on_hand": Decimal(on_hand),
        "genuine": True,
        "unit": "pcs",
    }
    fields.update(overrides)
    part = Part(**fields)
    db.session.add(part)
    db.session.commit()
    return part


def make_order(
    *,
    advisor: User | None = None,
    vehicle: Vehicle | None = None,
    inspected: bool = True,
    **overrides,
):
    """An open work order, committed, with its intake inspection recorded unless told not to."""
    from decimal import Decimal

    from workorders import services as wo

    advisor = advisor or make_user(roles=["advisor"])
    vehicle = vehicle or make_vehicle(odometer_km=40000)
    fields = {
        "odometer_km": vehicle.odometer_km + 100,
        "fuel_level": Decimal("0.5"),
        "concern": "Squeal when braking",
    }
    fields.update(overrides)
    order = wo.open_work_order(advisor, vehicle, **fields)
    if inspected:
        wo.record_inspection(
            advisor, order, wo.InspectionInput(belongings=["spare wheel"], acknowledged_by="Owner")
        )
    db.session.commit()
    return order


def make_authorized_job(
    *,
    advisor: User,
    order=None,
    title: str = "Brakes",
    hours: str = "1",
    category: str = "minor_repair",
    amount: str | None = None,
    **job_fields,
):
    """An order (new unless given) with one job the customer authorized by phone; not committed.

    The authorized amount is the estimate's total unless ``amount`` leaves headroom, which
    the customer gives as the not-to-exceed ceiling.
    """
    from decimal import Decimal

    from workorders import services as wo

    order = order or make_order(advisor=advisor)
    job = wo.add_job(
        advisor, order, title=title, labor_hours=Decimal(hours), category=category, **job_fields
    )
    if order.status == "intake":
        wo.move_order(advisor, order, "estimating")
    if amount:
        order.not_to_exceed = Decimal(amount)
    wo.authorize_jobs(
        advisor,
        order,
        approved_job_ids=[job.id],
        declined_job_ids=[],
        authorized_by="Owner",
        method="phone",
        phone="13912345678",
        amount=Decimal(amount) if amount else wo.total_if_all_approved(order),
    )
    return order, job


def make_callback(*, order, assignee, kind: str = "vip_care", hours_overdue: int = 1):
    """An open callback about ``order``'s customer, due ``hours_overdue`` ago; not committed."""
    from datetime import datetime, timedelta

    from care.models import Callback

    callback = Callback(
        site_id=order.site_id,
        customer_id=order.customer_id,
        kind=kind,
        due_at=datetime.now().astimezone() - timedelta(hours=hours_overdue),
        assignee_id=assignee.id,
    )
    db.session.add(callback)
    return callback
