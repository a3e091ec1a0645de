"""Every CSV the app writes opens in a spreadsheet as text: no cell runs as a formula."""

import csv
import io
from decimal import Decimal as D

import pytest

from dealer.extensions import db
from dealer.spreadsheet import safe_cell, unquote_cell
from parts.catalogue_csv import apply_import, export_csv, plan_import
from reports.archive import ARCHIVE_FIELDS, archive_csv
from tests.care.visits import delivered
from tests.factories import make_part, make_user

DANGEROUS = ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_a_formula_start_is_written_as_text_and_reads_back(text):
    cell = safe_cell(text)
    assert cell == "'" + text
    assert unquote_cell(cell) == text


@pytest.mark.parametrize("value", ["-12.50", "+3", "12", D("-1.00"), 7, None, "Brake pads"])
def test_numbers_and_plain_text_are_left_alone(value):
    assert safe_cell(value) == value


def test_the_parts_export_quotes_a_formula_and_imports_it_back(app):
    manager = make_user(roles=["manager"])
    part = make_part(part_number="X-1", name='=HYPERLINK("http://evil","pads")', brand="@Brand")
    text = export_csv(part.site_id)
    row = next(r for r in csv.reader(io.StringIO(text.lstrip("\ufeff"))) if r[0] == "X-1")
    assert row[1].startswith("'=") and row[3] == "'@Brand"
    plan = plan_import(part.site_id, text)
    assert plan.ok
    apply_import(manager, part.site_id, plan)
    assert part.name == '=HYPERLINK("http://evil","pads")' and part.brand == "@Brand"


def test_the_report_csv_quotes_an_advisors_name(app, client, login):
    order = delivered()
    order.advisor.full_name = "=1+1"
    db.session.commit()
    login("manager")
    body = client.get("/reports.csv?table=advisors").get_data(as_text=True)
    assert "\r\n'=1+1," in body


def test_the_repair_archive_csv_quotes_a_customers_text(app):
    record = {field: "=2*3" for field in ARCHIVE_FIELDS}
    record |= {
        "repairprojectlist": [{"repairproject": "@job", "workinghours": "1"}],
        "partslist": [],
    }
    rows = list(csv.reader(io.StringIO(archive_csv([record]).decode("utf-8-sig"))))
    assert rows[1][0] == "'=2*3" and "'@job" in rows[1]
