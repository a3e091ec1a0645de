"""The printed papers: what they show, in whose language, numbered as issued, safe with any text."""

import hashlib
import io
import re
import subprocess
from decimal import Decimal as D
from html import unescape

from PIL import Image as PILImage
from pypdf import PdfReader

from dealer import pdf, pdf_fonts
from dealer.extensions import db
from tests.conftest import sign_in
from tests.factories import make_customer, make_order, make_part, make_user, make_vehicle
from tests.workorders.test_services import ALL_CHECKED
from workorders import services as wo
from workorders.models import IssuedDocument
from workorders.services import documents

RARE_NAME = "欧阳䶮喆"
HOSTILE = (
    '<script>alert(1)</script> <img src="/etc/passwd"/> '
    '<a href="javascript:alert(2)">click</a> <font name="/etc/passwd">x</font> & 5 < 6'
)


def text_of(data: bytes) -> list[str]:
    """The text of each page, as a viewer's copy and paste would give it."""
    assert data.startswith(b"%PDF-")
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def png() -> bytes:
    out = io.BytesIO()
    PILImage.new("RGBA", (120, 40), (0, 0, 0, 255)).save(out, "PNG")
    return out.getvalue()


def visit(
    *, language="zh_Hans", name=RARE_NAME, concern="刹车异响", parts=2, deliver=True, prefix="PAD"
):
    """An order with a customer-pay job (genuine and aftermarket parts), a warranty job, a
    supplementary job approved later, QC passed and, unless told not to, handed over."""
    advisor = make_user(roles=["advisor"], full_name="李文静")
    tech = make_user(roles=["technician"], full_name="刘强")
    inspector = make_user(roles=["inspector"], full_name="陈质检")
    customer = make_customer(name=name, preferred_language=language)
    vehicle = make_vehicle(customer=customer, odometer_km=40000)
    order = make_order(advisor=advisor, vehicle=vehicle, concern=concern)
    brakes = wo.add_job(
        advisor, order, title="更换前刹车片", labor_hours=D("1.5"), category="minor_repair"
    )
    recall = wo.add_job(
        advisor,
        order,
        title="Recall: ECU update",
        labor_hours=D("0.5"),
        category="minor_repair",
        pay_type="warranty",
    )
    for n in range(parts):
        number = f"{prefix}-{n:03d}"
        make_part(part_number=number, genuine=n % 2 == 0, name=f"刹车片 {n}")
        wo.add_part_line(advisor, order, brakes, part_number=number, quantity=D("1"))
    assert order.status == "estimating"
    wo.authorize_jobs(
        advisor,
        order,
        approved_job_ids=[brakes.id, recall.id],
        declined_job_ids=[],
        authorized_by=name,
        method="in_person",
        signature=png(),
        amount=wo.total_if_all_approved(order),
    )
    wo.clock_on(tech, brakes)
    extra = wo.add_job(
        tech, order, title="Wiper blades", labor_hours=D("0.2"), category="minor_repair"
    )
    wo.authorize_jobs(
        advisor,
        order,
        approved_job_ids=[extra.id],
        declined_job_ids=[],
        authorized_by=name,
        method="phone",
        phone="13912345678",
        amount=wo.total_if_all_approved(order),
    )
    wo.clock_off(tech, brakes)
    for job in (brakes, recall, extra):
        wo.clock_on(tech, job)
        wo.complete_job(tech, job)
    wo.record_quality_check(inspector, order, passed=True, checklist=ALL_CHECKED)
    if deliver:
        wo.hand_over(
            advisor,
            order,
            payment_method="mobile_payment",
            amount_paid=wo.order_totals(order).total,
            received_by=name,
            signature=png(),
        )
    db.session.commit()
    return order, advisor


def page_totals(html: str) -> dict[str, str]:
    """The amounts of the order page's totals table, by row heading."""
    table = re.search(r'<table[^>]*id="totals">(.*?)</table>', html, re.S).group(1)
    rows = re.findall(r"<th>(.*?)</th><td[^>]*>(.*?)</td>", table, re.S)
    return {unescape(re.sub(r"<[^>]+>", "", k)).strip(): unescape(v).strip() for k, v in rows}


def test_work_order_shows_the_order_as_the_page_does(app, client):
    order, _ = visit(deliver=False)
    chinese = make_user(roles=["advisor"], language="zh_Hans")
    sign_in(client, chinese.username)
    shown = page_totals(client.get(f"/work-orders/{order.id}").get_data(as_text=True))
    response = client.get(f"/work-orders/{order.id}/documents/work-order.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "no-store" in response.headers["Cache-Control"]
    pages = text_of(response.data)
    everything = "\n".join(pages)
    assert order.number in everything
    assert RARE_NAME in everything
    for job in order.jobs:
        assert job.title in everything
    totals = wo.order_totals(order)
    assert shown["工时费"] in everything and shown["配件"] in everything
    assert shown["合计"] == f"¥{totals.total:,.2f}"
    assert re.search(r"合计\s*" + re.escape(shown["合计"]), everything)
    tax_row = next(k for k in shown if k.startswith("税额"))
    assert shown[tax_row] in everything
    assert "客户联" in everything and "存根联" in everything
    assert "刘强" in everything.split("存根联", 1)[1]


def test_each_paper_in_the_customers_language(app, client, token_for):
    headers = token_for("advisor")
    titles = {
        "zh_Hans": ("托修单", "维修估价单", "结算清单", "竣工出厂合格证", "竣工检验单"),
        "en": (
            "Work order",
            "Estimate",
            "Settlement list",
            "Completion certificate",
            "Final inspection sheet",
        ),
    }
    for language, expected in titles.items():
        order, _ = visit(language=language, prefix=language)
        for kind, title in zip(documents.KINDS, expected, strict=True):
            response = client.get(
                f"/api/v1/work-orders/{order.id}/documents/{kind}.pdf", headers=headers
            )
            assert response.status_code == 200, (kind, response.get_data(as_text=True))
            assert response.mimetype == "application/pdf"
            first = text_of(response.data)[0]
            assert title in first, (language, kind)
            assert order.number in first
    estimate = text_of(documents.document(order, "estimate"))[0]
    assert "■ Approve\n□ Decline" in estimate and "刹车片 0" in estimate
    assert "\x00" not in estimate


def test_settlement_and_certificate_are_numbered_at_handover_and_kept_as_issued(app, client):
    order, _ = visit()
    year = order.delivered_at.year
    issued = {d.kind: d for d in documents.issued_documents(order)}
    assert issued["settlement"].number == f"ST-{year}-000001"
    assert issued["certificate"].number == f"CC-{year}-000001"
    invoice = documents.document(order, "invoice")
    assert hashlib.sha256(invoice).hexdigest() == issued["settlement"].sha256
    text = "\n".join(text_of(invoice))
    assert f"ST-{year}-000001" in text and f"CC-{year}-000001" in text
    certificate = "\n".join(text_of(documents.document(order, "certificate")))
    assert f"CC-{year}-000001" in certificate and order.number in certificate
    assert "陈质检" in certificate
    for job in order.jobs:
        assert job.title in certificate
        assert f"{job.warranty_until_km:,} km" in certificate
    order.customer.name = "Renamed Later"
    db.session.commit()
    assert documents.document(order, "invoice") == invoice
    second, _ = visit(prefix="SECOND")
    numbers = {d.number for d in documents.issued_documents(second)}
    assert numbers == {f"ST-{year}-000002", f"CC-{year}-000002"}


def test_before_handover_the_settlement_list_is_a_draft_and_no_certificate(app, client, token_for):
    order, _ = visit(deliver=False)
    headers = token_for("advisor")
    response = client.get(
        f"/api/v1/work-orders/{order.id}/documents/certificate.pdf", headers=headers
    )
    assert response.status_code == 409
    assert "handed over" in response.json["detail"]
    draft = "\n".join(text_of(documents.document(order, "invoice")))
    assert "结算清单（草稿）" in draft and "草稿，未开具" in draft
    assert db.session.query(IssuedDocument).count() == 0


def test_settlement_itemizes_labor_and_materials_and_shows_warranty_at_zero(app):
    order, _ = visit(parts=3)
    text = "\n".join(text_of(documents.document(order, "invoice")))
    lines = text.split("\n")
    for line in order.parts:
        at = lines.index(line.part_number)
        assert lines[at + 1 : at + 6] == [
            line.name,
            "全新原厂件" if line.condition == "new_genuine" else "全新副厂件",
            "1 件",
            "¥68.00",
            "¥68.00",
        ]
    at = lines.index("Recall: ECU update")
    assert lines[at + 1 : at + 6] == ["小修", "保修", "0.5", "¥0.00", "¥0.00"]
    assert "杂费" not in text
    assert "与估价的差异说明" in text
    assert "Wiper blades" in text.split("与估价的差异说明", 1)[1]
    paid = wo.amount_paid(order)
    assert f"¥{paid:,.2f}" in text and "移动支付" in text


def test_sixty_parts_lines_flow_onto_pages_with_the_header_repeated(app):
    order, _ = visit(language="en", parts=60, deliver=False)
    pages = text_of(documents.document(order, "work-order", copy="customer"))
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert order.number in page
        assert f"Page {number} of {len(pages)}" in page
        if "PAD-" in page:
            assert "Part number" in page
    everything = "\n".join(pages)
    for n in range(60):
        assert everything.count(f"PAD-{n:03d}") == 1
    assert "Customer copy" in everything and "Shop copy" not in everything


def test_markup_in_any_field_prints_as_the_characters_typed(app):
    order, _ = visit(name=RARE_NAME + " <b>VIP</b>", concern=HOSTILE, deliver=False)
    data = documents.document(order, "work-order")
    text = "\n".join(text_of(data))
    assert " ".join(HOSTILE.split()) in " ".join(text.split())
    assert RARE_NAME + " <b>VIP</b>" in text
    reader = PdfReader(io.BytesIO(data))
    for page in reader.pages:
        assert "/Annots" not in page
    assert b"/URI" not in data and b"javascript" not in data.lower()


def test_signatures_are_drawn_on_the_papers(app):
    order, _ = visit()
    pages = PdfReader(io.BytesIO(documents.render(order, "work-order", copy="customer"))).pages
    assert any(page.images for page in pages)
    invoice = PdfReader(io.BytesIO(documents.document(order, "invoice"))).pages
    assert any(page.images for page in invoice)


def test_papers_are_for_the_desk_the_inspectors_and_the_manager(app, client, token_for):
    order, _ = visit(deliver=False)
    path = f"/api/v1/work-orders/{order.id}/documents/qc.pdf"
    for role, status in (
        ("inspector", 200),
        ("manager", 200),
        ("technician", 403),
        ("callback", 403),
        ("parts", 403),
    ):
        assert client.get(path, headers=token_for(role)).status_code == status, role
    assert client.get(path).status_code == 401
    unknown = f"/api/v1/work-orders/{order.id}/documents/receipt.pdf"
    assert client.get(unknown, headers=token_for("manager")).status_code == 404
    shop = client.get(
        path.replace("qc", "work-order") + "?copy=garage", headers=token_for("advisor")
    )
    assert shop.status_code == 422


def test_print_menu_lists_the_papers_of_the_orders_state(app, client):
    order, _ = visit(deliver=False)
    user = make_user(roles=["advisor"])
    sign_in(client, user.username)
    page = client.get(f"/work-orders/{order.id}").get_data(as_text=True)
    assert f"/work-orders/{order.id}/documents/estimate.pdf" in page
    assert "certificate.pdf" not in page
    refused = client.get(f"/work-orders/{order.id}/documents/certificate.pdf")
    assert refused.status_code == 302
    followed = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "issued when the car is handed over" in followed


def test_repair_category_is_the_heaviest_work():
    class J:
        def __init__(self, category, status="done"):
            self.category, self.status = category, status

    assert documents.repair_category([J("minor_repair"), J("level2_maintenance")]) == (
        "level2_maintenance"
    )
    assert documents.repair_category([J("minor_repair"), J("major_repair", "declined")]) == (
        "minor_repair"
    )
    assert documents.repair_category([]) == ""


def test_user_text_is_escaped_before_reportlab_reads_it():
    assert pdf.text('<img src="/etc/passwd"/> & <a>') == (
        '&lt;img src="/etc/passwd"/&gt; &amp; &lt;a&gt;'
    )
    assert pdf.text("one\ntwo") == "one<br/>two"
    assert pdf.text(None) == ""


def test_font_choice_skips_what_is_not_a_chinese_truetype_font(tmp_path):
    not_a_font = tmp_path / "notes.ttf"
    not_a_font.write_text("hello")
    assert pdf_fonts.choose_font([None, str(tmp_path / "missing.ttf"), str(not_a_font)]) is None
    registered = pdf_fonts.register_font()
    assert registered.embedded and registered.path
    chosen = pdf_fonts.choose_font([str(not_a_font), registered.path])
    assert chosen is not None and chosen.face.filename == registered.path


def test_embedded_glyphs_are_those_reportlab_itself_would_embed():
    from struct import unpack

    from reportlab.pdfbase.ttfonts import TTFont

    registered = pdf_fonts.register_font()
    face = TTFont("Reference", registered.path, subfontIndex=0).face
    glyf = face.get_table_pos("glyf")[0]

    def composite(code: int) -> bool:
        position = face.glyphPos[face.charToGlyph[code]]
        return unpack(">h", face._ttf_data[glyf + position : glyf + position + 2])[0] < 0

    composites = [code for code in sorted(face.charToGlyph) if composite(code)][:20]
    assert composites
    subsets = [
        [ord(c) for c in "托修单 Work order WO-2026-000123 ¥1,234.50"],
        list(range(0x4E00, 0x4E00 + 250)),
        [*composites, 32, 0x4E2D, 0x1F600],
    ]
    expected = [face.makeSubset(codes) for codes in subsets]
    pdf_fonts._read_large_tables_in_place(face)
    assert [face.makeSubset(codes) for codes in subsets] == expected
    assert face.get_table("head") == TTFont("Again", registered.path).face.get_table("head")


def test_papers_compress_at_the_fastest_level_and_still_read_back():
    import zlib

    from reportlab.pdfbase import pdfdoc

    pdf_fonts.register_font()
    sample = "托修单 Work order ".encode() * 200
    assert isinstance(pdfdoc.PDFZCompress, pdf_fonts.QuickFlate)
    assert pdfdoc.PDFZCompress.encode(sample) == zlib.compress(sample, 1)
    assert pdfdoc.PDFZCompress.decode(pdfdoc.PDFZCompress.encode(sample)) == sample
    assert pdfdoc.PDFZCompress.pdfname == "FlateDecode"


def test_stored_files_are_read_only_from_inside_the_storage_folder(tmp_path):
    assert (
        pdf.stored_file(str(tmp_path), "signatures/1/a.png")
        == (tmp_path / "signatures/1/a.png").resolve()
    )
    assert pdf.stored_file(str(tmp_path), "../../etc/passwd") is None
    assert pdf.stored_file(str(tmp_path), "/etc/passwd") is None
    assert pdf.stored_file(str(tmp_path), None) is None


def test_an_order_read_with_the_snapshot_loads_is_not_read_again(app):
    from sqlalchemy import event, inspect, select

    from workorders.models import WorkOrder

    order = make_order()
    db.session.commit()
    db.session.expire_all()
    loaded = db.session.scalars(
        select(WorkOrder).where(WorkOrder.id == order.id).options(*documents.SNAPSHOT_LOADS)
    ).one()
    relationships = set(inspect(WorkOrder).relationships.keys())
    assert relationships - inspect(loaded).unloaded == documents.SNAPSHOT_RELATIONS
    statements = []

    def count(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        with app.test_request_context():
            assert documents.render(loaded, "work-order").startswith(b"%PDF")
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert not [s for s in statements if s.lstrip().startswith("SELECT work_orders.")]


def test_the_qr_code_on_every_copy_reads_back_as_the_order_number(app, tmp_path):
    order, _ = visit(deliver=False)
    paper = tmp_path / "work-order.pdf"
    paper.write_bytes(documents.document(order, "work-order"))
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", str(paper), str(tmp_path / "page")], check=True
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 2
    for page in pages:
        read = subprocess.run(
            ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(page)],
            capture_output=True,
            text=True,
            check=True,
        )
        assert read.stdout.split() == [order.number]


def test_every_paper_lays_out_the_longest_text_the_api_accepts(app):
    from dealer.extensions import db as database
    from tests.factories import make_authorized_job

    advisor = make_user(roles=["advisor"])
    findings = ("刹车片磨损严重需要更换并检查制动盘厚度" * 250)[:4000]
    concern = "\n".join(f"Line {n}: grinding from the front left wheel" for n in range(90))[:4000]
    order = make_order(advisor=advisor, concern=concern)
    order, job = make_authorized_job(advisor=advisor, order=order, title="长" * 200)
    wo.record_findings(advisor, job, findings)
    tech, inspector = make_user(roles=["technician"]), make_user(roles=["inspector"])
    wo.clock_on(tech, job)
    wo.complete_job(tech, job)
    wo.record_quality_check(
        inspector, order, passed=False, checklist={}, failed_job_ids=[job.id], notes="问题" * 2000
    )
    database.session.commit()
    for kind in ("work-order", "estimate", "invoice", "qc"):
        data = documents.document(order, kind)
        pages = text_of(data)
        packed = "".join("".join(pages).split())
        if kind in ("work-order", "estimate"):
            assert len(pages) > 2, kind
            assert findings[-40:] in packed, kind
            last_line = concern.splitlines()[-1]
            assert "".join(last_line.split()) in packed, kind


def test_labor_taxed_apart_and_the_registration_number_print_on_estimate_and_invoice(app):
    from dealer import services as dealer_services
    from dealer.extensions import db as database
    from tests.factories import make_authorized_job

    settings = dealer_services.settings_for(dealer_services.default_site().id)
    settings.tax_rate, settings.labor_tax_rate = D("0.0725"), D("0")
    settings.repair_dealer_number = "ARD 00281234"
    database.session.commit()
    advisor = make_user(roles=["advisor"])
    order, _job = make_authorized_job(advisor=advisor)
    order.customer.preferred_language = "en"
    assert order.labor_tax_rate == D("0")
    assert wo.order_totals(order).tax == D("0.00")
    database.session.commit()
    for kind in ("estimate", "invoice"):
        text = "".join(" ".join(text_of(documents.document(order, kind))).split())
        assert "ARD00281234" in text, kind
        assert "Tax(labor0%,partsandsublet7.25%)" in text, kind
    work_order = "".join(" ".join(text_of(documents.document(order, "work-order"))).split())
    assert "ARD00281234" not in work_order


def test_chinese_papers_print_chinese_names_units_symptoms_and_declined_work(app):
    from dealer.extensions import db as database
    from tests.factories import make_order as new_order

    advisor = make_user(roles=["advisor"])
    manager = make_user(roles=["manager"])
    make_part(part_number="OIL-1", name="Engine oil 0W-20", name_zh="全合成机油", unit="L")
    canned = wo.save_canned_job(
        manager,
        advisor.site_id,
        title="Oil service",
        title_zh="机油保养",
        labor_hours=D("1"),
        category="level1_maintenance",
        parts=[{"part_number": "OIL-1", "quantity": "4.5"}],
    )
    vehicle = make_vehicle(engine_number="2ZR1234567")
    order = new_order(advisor=advisor, vehicle=vehicle, inspected=False)
    wo.record_inspection(
        advisor,
        order,
        wo.InspectionInput(
            belongings=["spare_wheel"],
            symptoms={"engine_temperature": "cold", "speed": "60 km/h"},
            acknowledged_by="王先生",
        ),
    )
    job = wo.add_canned_job(advisor, order, canned)
    wash = wo.add_job(advisor, order, title="Wash", labor_hours=D("0.5"), category="minor_repair")
    assert order.status == "estimating"
    wo.authorize_jobs(
        advisor,
        order,
        approved_job_ids=[job.id],
        declined_job_ids=[wash.id],
        authorized_by="王先生",
        method="phone",
        phone="13912345678",
        amount=None,
    )
    order.customer.preferred_language = "zh_Hans"
    database.session.commit()
    work_order = "".join("".join(text_of(documents.document(order, "work-order"))).split())
    for expected in ("机油保养", "全合成机油", "4.5升", "2ZR1234567", "冷车", "60km/h", "备胎"):
        assert expected in work_order, expected
    assert "Engineoil" not in work_order and "Oilservice" not in work_order
    settlement = "".join("".join(text_of(documents.document(order, "invoice"))).split())
    assert "Wash" in settlement and "已拒绝" in settlement
