"""How long the inspection report takes to render, and how large it is, with twenty photos
as a phone camera takes them (4,000 by 3,000 pixels, kept at 2,560 and scaled down again for
print). Loads the demo into a scratch SQLite file, inspects the delivered demo order's car
with the full inspection, colours every item and adds the photos, then renders the report
``--runs`` times in Chinese. Prints the median and slowest time, the pages and the size.

    .venv/bin/python bench/inspection_pdf.py --runs 10
"""

import argparse
import io
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from dealer import create_app, services
from dealer.extensions import db
from demo import dealership as demo
from mpi import inspecting
from mpi.pdf import inspection_document
from workorders.models import WorkOrder

COLOURS = ("green", "green", "green", "yellow", "red")


def camera_photo(rng: random.Random) -> bytes:
    """A photo with a camera's size and detail (noise compresses worst)."""
    small = Image.new("RGB", (160, 120))
    small.putdata([tuple(rng.randrange(256) for _ in "rgb") for _ in range(160 * 120)])
    out = io.BytesIO()
    small.resize((4000, 3000)).save(out, "JPEG", quality=92)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--photos", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
                "STORAGE_DIR": folder,
                "WTF_CSRF_ENABLED": False,
            }
        )
        with app.app_context():
            upgrade()
            demo.load_demo_data()
            order = db.session.scalars(
                select(WorkOrder).where(WorkOrder.status == "in_progress")
            ).first()
            order.customer.preferred_language = "zh_Hans"
            advisor = services.find_user("advisor")
            inspection = inspecting.start(advisor, order)
            rng = random.Random(7)
            for item in inspection.items:
                colour = rng.choice(COLOURS)
                measured = Decimal("2.5") if item.unit else None
                inspecting.record(
                    advisor,
                    item,
                    condition=colour,
                    measurement=measured,
                    note="检查发现" if colour != "green" else None,
                )
            for n in range(args.photos):
                item = inspection.items[n % len(inspection.items)]
                inspecting.add_photo(advisor, item, camera_photo(rng))
            inspecting.complete(advisor, inspection)
            db.session.commit()
            settings = services.settings_for(order.site_id)
            took, data = [], b""
            for _ in range(args.runs):
                started = time.perf_counter()
                data = inspection_document(settings, inspection)
                took.append((time.perf_counter() - started) * 1000)
            pages = len(PdfReader(io.BytesIO(data)).pages)
            print(
                f"inspection report, {len(inspection.items)} items, {args.photos} photos: "
                f"median {statistics.median(took):.0f} ms, slowest {max(took):.0f} ms, "
                f"{pages} pages, {len(data) / 1024:.0f} KB"
            )
            db.session.remove()


if __name__ == "__main__":
    main()
