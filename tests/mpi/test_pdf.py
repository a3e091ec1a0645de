"""The inspection report on paper: in the customer's language, with the car, the technician,
the items by system with measurements, notes and the recommended work (red marked as safety),
and twenty photos scaled down for print, read back as text and looked at as a picture."""

import io
import random
import shutil
import subprocess
from decimal import Decimal as D

import pytest
from PIL import Image
from pypdf import PdfReader

from dealer.extensions import db
from mpi import inspecting
from mpi.pdf import THUMB_EDGE, thumbnail
from tests.mpi.test_inspecting import _item
from tests.mpi.test_inspecting import order_with_template as order_with_template


def camera_photo(seed: int) -> bytes:
    """A phone camera's photo: 4,000 by 3,000 pixels of noise-like detail, as a JPEG."""
    rng = random.Random(seed)
    small = Image.new("RGB", (80, 60))
    small.putdata(
        [(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(4800)]
    )
    out = io.BytesIO()
    small.resize((4000, 3000)).save(out, "JPEG", quality=92)
    return out.getvalue()


def test_the_report_reads_in_the_customers_language_with_its_photos(
    order_with_template,
    client,
    token_for,
    tmp_path,
):
    order, _, tech, _ = order_with_template
    order.customer.preferred_language = "zh_Hans"
    tech.full_name = "张师傅"
    inspection = inspecting.start(tech, order)
    pads = _item(inspection, "pads_front")
    inspecting.record(
        tech,
        pads,
        measurement=D("1.8"),
        note="刹车片已磨到报警线",
        recommendation={"title": "更换前刹车片", "labor_hours": "1.2"},
    )
    inspecting.record(tech, _item(inspection, "tread_lf"), measurement=D("2.5"))
    inspecting.record(tech, _item(inspection, "lights"), condition="green")
    photos = ["pads_front", "tread_lf", "lights", "underbody", "oil_pan"]
    for n in range(20):
        inspecting.add_photo(tech, _item(inspection, photos[n % 5]), camera_photo(n))
    inspecting.complete(tech, inspection)
    db.session.commit()

    answer = client.get(
        f"/api/v1/work-orders/{order.id}/documents/inspection.pdf", headers=token_for("inspector")
    )
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    data = answer.data
    (tmp_path / "inspection.pdf").write_bytes(data)
    assert len(data) < 3 * 1024 * 1024, "twenty photos scaled down for print"
    reader = PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() for page in reader.pages)
    for expected in (
        "车辆检查报告",
        order.vehicle.plate,
        "张师傅",
        "前刹车片厚度",
        "需立即处理",
        "1.8 mm",
        "刹车片已磨到报警线",
        "更换前刹车片",
        "安全",
        "需尽快关注",
        "照片",
    ):
        assert expected in text, expected
    images = sum(len(page.images) for page in reader.pages)
    assert images == 20
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", "-", str(tmp_path / "page")],
            input=data,
            check=True,
        )
        [picture] = list(tmp_path.glob("page*.png"))
        with Image.open(picture) as page:
            assert page.width > 200 and page.getextrema() != ((255, 255),) * 3


def test_a_thumbnail_is_small_and_a_missing_file_is_left_out(tmp_path):
    big = tmp_path / "big.jpg"
    big.write_bytes(camera_photo(1))
    thumb = thumbnail(big)
    assert max(thumb.width, thumb.height) == THUMB_EDGE and len(thumb.data) < 200_000
    assert thumbnail(tmp_path / "gone.jpg") is None


@pytest.mark.parametrize("role", ["technician", "callback"])
def test_the_report_is_for_the_desk_and_the_inspector(order_with_template, client, token_for, role):
    order, *_ = order_with_template
    answer = client.get(
        f"/api/v1/work-orders/{order.id}/documents/inspection.pdf", headers=token_for(role)
    )
    assert answer.status_code == 403


def test_the_work_order_paper_marks_the_safety_work(order_with_template, client, token_for):
    order, _, tech, _ = order_with_template
    order.customer.preferred_language = "zh_Hans"
    inspection = inspecting.start(tech, order)
    inspecting.record(
        tech,
        _item(inspection, "pads_front"),
        measurement=D("1.2"),
        recommendation={"title": "更换前刹车片", "labor_hours": "1.2"},
    )
    inspecting.complete(tech, inspection)
    db.session.commit()
    answer = client.get(
        f"/api/v1/work-orders/{order.id}/documents/work-order.pdf", headers=token_for("advisor")
    )
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.data)).pages)
    assert "更换前刹车片 (安全)" in text
