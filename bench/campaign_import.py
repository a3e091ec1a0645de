"""The manufacturer's campaign file at its real size: a recall naming N cars (100,000 by
default), checked row by row and written, into a scratch database (a SQLite file by default,
or a new database on the PostgreSQL server that ``DATABASE_URL`` names, dropped afterwards).
Prints the time to check the file, the time to write it, and the rows per second; then loads
the same file again, where every VIN is known (the file sent a second time).

    .venv/bin/python bench/campaign_import.py --vins 100000
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/campaign_import.py --vins 100000
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade

from bench.search import scratch_database
from customers.vin import with_check_digit
from dealer import create_app, services
from dealer.extensions import db
from parts.models import Part
from parts.stock import part_number_key
from warranty import campaign_csv


def campaign_file(vins: int) -> str:
    """A recall's file: its facts repeated on each row, one VIN per row."""
    out = io.StringIO()
    out.write("code,kind,title,title_zh,labor_op,labor_hours,parts,ends_on,vin\n")
    for n in range(vins):
        vin = with_check_digit(f"LFVAB2180F{n // 1_000_000}{n % 1_000_000:06d}")
        out.write(
            f"RC-2026-099,recall,Replace the airbag inflator,更换气囊气体发生器,AB1902,1.2,"
            f"13590232:1,2027-12-31,{vin}\n"
        )
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vins", type=int, default=100_000)
    args = parser.parse_args()
    url, cleanup = scratch_database(os.environ.get("DATABASE_URL"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    text = campaign_file(args.vins)
    try:
        with app.app_context():
            upgrade()
            site = services.default_site()
            services.settings_for(site.id)
            db.session.add(
                Part(
                    site_id=site.id,
                    part_number="13590232",
                    number_key=part_number_key("13590232"),
                    name="Airbag inflator",
                    unit="pcs",
                )
            )
            db.session.commit()
            print(
                f"{args.vins:,} rows ({len(text.encode()) / 1e6:.1f} MB) "
                f"on {db.engine.dialect.name}"
            )
            for label in ("first load", "same file again"):
                started = time.perf_counter()
                plan = campaign_csv.plan_import(site.id, text)
                checked = time.perf_counter() - started
                assert plan.ok, plan.errors[:5]
                started = time.perf_counter()
                result = campaign_csv.apply_import(None, site.id, plan)
                db.session.commit()
                written = time.perf_counter() - started
                total = checked + written
                print(
                    f"{label:16} check {checked:5.2f} s  write {written:5.2f} s  "
                    f"total {total:5.2f} s  ({args.vins / total:,.0f} rows/s; "
                    f"{result.added:,} added, {result.already:,} known)"
                )
    finally:
        cleanup()


if __name__ == "__main__":
    main()
