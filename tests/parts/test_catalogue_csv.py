"""Parts CSV: every row checked first; a broken file imports nothing; export round-trips."""

from decimal import Decimal as D
from io import BytesIO

from sqlalchemy import func, select

from dealer.extensions import db
from parts.catalogue_csv import apply_import, export_csv, plan_import
from parts.models import Part
from tests.conftest import csrf_token
from tests.factories import make_part, make_user

GOOD = """part_number,name,name_zh,unit_price,unit_cost,genuine,unit,reorder_point,bin_location
04465-33450,Brake pads front,前刹车片,350.00,210.00,yes,pcs,4,A-01-03
08880-83715,Engine oil 0W-20,机油,78,45,是,L,20.5,B-02
"""
BROKEN = """part_number,name,unit_price,genuine,unit
P-1,Good part,10.00,yes,pcs
,No number,10.00,yes,pcs
P-3,Bad price,ten,yes,pcs
P-4,Bad flag,10.00,maybe,box
P-1,Same again,12.00,no,pcs
"""


def count_parts() -> int:
    return db.session.scalar(select(func.count(Part.id)))


def test_a_good_file_adds_and_updates(app):
    manager = make_user(roles=["manager"])
    existing = make_part(part_number="0446533450", on_hand="7", unit_price=D("300.00"))
    plan = plan_import(existing.site_id, GOOD)
    assert plan.ok and (plan.new, plan.updated) == (1, 1)
    apply_import(manager, existing.site_id, plan)
    db.session.commit()
    db.session.refresh(existing)
    assert existing.unit_price == D("350.00") and existing.on_hand == D("7")
    assert existing.name_zh == "前刹车片" and existing.bin_location == "A-01-03"
    oil = db.session.scalar(select(Part).where(Part.number_key == "0888083715"))
    assert oil.unit == "L" and oil.reorder_point == D("20.500") and oil.genuine


def test_a_broken_file_names_every_bad_row_and_imports_nothing(app):
    make_user(roles=["manager"])
    site_id = make_part(part_number="KEEP").site_id
    plan = plan_import(site_id, BROKEN)
    found = {(e.row, e.field) for e in plan.errors}
    assert found == {
        (3, "part_number"),
        (4, "unit_price"),
        (5, "genuine"),
        (5, "unit"),
        (6, "part_number"),
    }
    assert not plan.ok and count_parts() == 1
    missing = plan_import(site_id, "number,name\nx,y\n")
    assert missing.errors and missing.errors[0].row == 1


def test_cli_import_dry_run_and_progress(app, tmp_path):
    runner = app.test_cli_runner()
    make_user(roles=["manager"])
    good, broken = tmp_path / "good.csv", tmp_path / "broken.csv"
    good.write_text(GOOD, encoding="utf-8")
    broken.write_text(BROKEN, encoding="utf-8")
    refused = runner.invoke(args=["parts", "import", str(broken)])
    assert refused.exit_code == 1 and "row 4: unit_price" in refused.output and count_parts() == 0
    dry = runner.invoke(args=["parts", "import", str(good), "--dry-run"])
    assert dry.exit_code == 0 and "2 new" in dry.output and count_parts() == 0
    done = runner.invoke(args=["parts", "import", str(good)])
    assert done.exit_code == 0 and "imported" in done.output and count_parts() == 2
    out = tmp_path / "out.csv"
    assert runner.invoke(args=["parts", "export", str(out)]).exit_code == 0
    assert "04465-33450" in out.read_text(encoding="utf-8")


def test_export_imports_back_unchanged(app):
    manager = make_user(roles=["manager"])
    part = make_part(part_number="X-9", unit_price=D("12.34"), name_zh="螺栓")
    text = export_csv(part.site_id)
    assert text.splitlines()[0].endswith("on_hand,reserved,available")
    plan = plan_import(part.site_id, text)
    assert plan.ok and plan.updated == 1
    apply_import(manager, part.site_id, plan)
    db.session.refresh(part)
    assert part.unit_price == D("12.34") and part.name_zh == "螺栓"


def test_import_page_previews_then_imports(app, client, login):
    login("parts")
    page = "/parts/import"
    preview = client.post(
        page,
        data={"file": (BytesIO(BROKEN.encode()), "p.csv"), "csrf_token": csrf_token(client, page)},
        content_type="multipart/form-data",
    )
    assert preview.status_code == 422 and "Nothing is imported" in preview.get_data(as_text=True)
    assert count_parts() == 0
    ok = client.post(
        page,
        data={"file": (BytesIO(GOOD.encode()), "p.csv"), "csrf_token": csrf_token(client, page)},
        content_type="multipart/form-data",
    )
    assert (
        ok.status_code == 200 and "Import now" in ok.get_data(as_text=True) and count_parts() == 0
    )
    done = client.post(
        page, data={"content": GOOD, "apply": "1", "csrf_token": csrf_token(client, page)}
    )
    assert done.status_code == 302 and count_parts() == 2
    export = client.get("/parts/export.csv")
    assert export.mimetype == "text/csv" and "前刹车片" in export.get_data(as_text=True)
