"""How long each printed paper takes to render.

Loads the demo data into a scratch SQLite file, adds to the delivered demo
order a long job list (``--lines`` parts lines, default 60) so the papers
run over several pages, then renders every kind of paper ``--runs`` times
in English and in Chinese, straight from the records (the stored copy of
issued papers is not used). Prints the median and the slowest time per
paper, its pages, the median per page and its size. ``--longest-text``
also fills the concern and each job's findings with the longest text the
API accepts (4,000 characters: a concern of short lines, findings in
Chinese), which lays out over many pages.

    .venv/bin/python bench/documents.py --runs 20
    .venv/bin/python bench/documents.py --runs 5 --longest-text
"""

import argparse
import io
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade
from pypdf import PdfReader
from sqlalchemy import select

from dealer import create_app
from dealer.extensions import db
from demo import dealership as demo
from parts import stock
from workorders.models import PartLine, WorkOrder
from workorders.services import documents


def long_order(lines: int) -> WorkOrder:
    """The demo's delivered order with ``lines`` parts lines added under its job."""
    order = db.session.scalar(select(WorkOrder).where(WorkOrder.status == "delivered"))
    job = order.jobs[0]
    site = order.site_id

    for n in range(lines):
        part = stock.create_part(
            None,
            site,
            part_number=f"BENCH-{n:04d}",
            name=f"Bench part {n} 刹车片",
            unit="pcs",
            unit_cost=Decimal("10.00"),
            unit_price=Decimal("12.50"),
        )
        job.parts.append(
            PartLine(
                work_order_id=order.id,
                part_id=part.id,
                part_number=part.part_number,
                name=part.name,
                quantity=Decimal("2"),
                unit="pcs",
                unit_price=part.unit_price,
                unit_cost=part.unit_cost,
                condition="new_genuine",
            )
        )
    db.session.flush()
    return order


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--lines", type=int, default=60)
    parser.add_argument("--longest-text", action="store_true")
    args = parser.parse_args()
    folder = tempfile.TemporaryDirectory()
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder.name}/bench.db",
            "STORAGE_DIR": f"{folder.name}/storage",
        }
    )
    print(f"font: {app.extensions['pdf_font']}")
    with app.test_request_context():
        upgrade()
        demo.load_demo_data()
        db.session.commit()
        order = long_order(args.lines)
        if args.longest_text:
            order.concern = "\n".join(f"{n}: noise from the front left" for n in range(200))[:4000]
            for job in order.jobs:
                job.findings = ("刹车片磨损严重需要更换并检查制动盘厚度" * 250)[:4000]
            db.session.flush()
        print(f"order {order.number}: {len(order.parts)} parts lines, {len(order.jobs)} jobs")
        print(
            f"{'paper':<14}{'language':<10}{'median ms':>10}{'max ms':>9}{'pages':>7}"
            f"{'ms/page':>9}{'KB':>7}"
        )
        for language in ("en", "zh_Hans"):
            order.customer.preferred_language = language
            for kind in documents.KINDS:
                times = []
                for _ in range(args.runs):
                    started = time.perf_counter()
                    data = documents.render(order, kind)
                    times.append((time.perf_counter() - started) * 1000)
                pages = len(PdfReader(io.BytesIO(data)).pages)
                median = statistics.median(times)
                print(
                    f"{kind:<14}{language:<10}{median:>10.1f}{max(times):>9.1f}{pages:>7}"
                    f"{median / pages:>9.1f}{len(data) / 1024:>7.0f}"
                )
        db.session.rollback()
    folder.cleanup()


if __name__ == "__main__":
    main()
