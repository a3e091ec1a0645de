"""Intake photos: checked, kept outside the database without their metadata, served only
to staff."""

import pytest

from dealer.errors import DomainError, Forbidden
from dealer.extensions import db
from tests.conftest import csrf_token
from tests.factories import make_order, make_user, photo_jpeg
from tests.workorders.photos import JPEG, PNG
from workorders import services as wo
from workorders.models import WorkOrder


def test_photos_are_checked_and_kept_outside_the_database(advisor, app):
    order = make_order(advisor=advisor)
    photo = wo.add_photo(advisor, order, "hood", JPEG)
    kept = wo.photo_file(photo).read_bytes()
    assert photo.content_type == "image/jpeg" and kept.startswith(b"\xff\xd8\xff")
    assert str(wo.photo_file(photo)).startswith(app.config["STORAGE_DIR"])
    for panel, data, message in (
        ("hood", b"GIF89a" + b"\x00" * 10, "JPEG, PNG or WebP"),
        ("sunroof", PNG, "Unknown body panel"),
        ("hood", b"", "Choose a photo"),
        ("hood", JPEG + b"\x00" * wo.MAX_PHOTO_BYTES, "8 MB"),
    ):
        with pytest.raises(DomainError, match=message):
            wo.add_photo(advisor, order, panel, data)
    with pytest.raises(Forbidden):
        wo.add_photo(make_user(roles=["technician"]), order, "hood", PNG)


def test_photos_through_the_page_are_served_only_to_staff(app, client, login):
    user = login("advisor")
    order = make_order(advisor=user)
    page = f"/work-orders/{order.id}/intake"
    from io import BytesIO

    response = client.post(
        f"/work-orders/{order.id}/photos",
        data={
            "panel": "left_front_door",
            "photo": (BytesIO(PNG), "door.png"),
            "csrf_token": csrf_token(client, page),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    db.session.expire_all()
    photo = db.session.get(WorkOrder, order.id).photos[0]
    url = f"/work-orders/{order.id}/photos/{photo.id}"
    served = client.get(url)
    kept = wo.photo_file(photo).read_bytes()
    assert served.status_code == 200 and served.mimetype == "image/jpeg" and served.data == kept
    assert "no-store" in served.headers["Cache-Control"]
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    disposition = served.headers["Content-Disposition"]
    assert disposition == f"attachment; filename={order.number}-left_front_door-{photo.id}.jpg"
    assert app.test_client().get(url).status_code == 302
    too_big = client.post(
        f"/work-orders/{order.id}/photos",
        data={
            "panel": "hood",
            "photo": (BytesIO(PNG + b"\x00" * app.config["MAX_CONTENT_LENGTH"]), "big.png"),
            "csrf_token": csrf_token(client, page),
        },
        content_type="multipart/form-data",
    )
    assert too_big.status_code == 413
    assert len(db.session.get(WorkOrder, order.id).photos) == 1
    bad = client.post(
        f"/work-orders/{order.id}/photos",
        data={
            "panel": "hood",
            "photo": (BytesIO(b"not an image"), "x.png"),
            "csrf_token": csrf_token(client, page),
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "JPEG, PNG or WebP" in bad.get_data(as_text=True)


def test_photos_are_written_again_without_metadata_and_bombs_are_refused(advisor, app):
    from io import BytesIO

    from PIL import Image

    order = make_order(advisor=advisor)
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (31.0, 14.0, 0.0), 3: "E", 4: (121.0, 28.0, 0.0)}
    exif[0x010F] = "PhoneMaker"
    big = photo_jpeg(size=(4000, 3000), exif=exif.tobytes())
    assert Image.open(BytesIO(big)).getexif().get(0x8825)
    photo = wo.add_photo(advisor, order, "hood", big)
    kept = Image.open(wo.photo_file(photo))
    assert max(kept.size) == 2560 and kept.format == "JPEG"
    assert not kept.getexif() and "exif" not in kept.info
    bomb = BytesIO()
    Image.new("1", (30000, 30000)).save(bomb, "PNG")
    assert len(bomb.getvalue()) < wo.MAX_PHOTO_BYTES
    with pytest.raises(DomainError, match="megapixels"):
        wo.add_photo(advisor, order, "hood", bomb.getvalue())
    fake = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    with pytest.raises(DomainError, match="JPEG, PNG or WebP"):
        wo.add_photo(advisor, order, "hood", fake)
    with pytest.raises(DomainError, match="signature"):
        wo.store_image(fake, "signatures/1", "signature")
