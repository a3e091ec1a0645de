"""A customer's export holds everything kept about the person, files included; erasure
reaches every place the person's data lives, and the issued papers keep their numbers and
amounts without the person."""

import io
import json
import zipfile
from decimal import Decimal as D

from care import complaints as care
from care.models import Complaint
from customers import privacy
from dealer.extensions import db
from dealer.models import AuditEntry
from tests.conftest import csrf_token
from tests.factories import (
    PHOTO,
    SIGNATURE,
    make_customer,
    make_order,
    make_user,
    make_vehicle,
)
from tests.workorders.test_documents import text_of
from workorders import services as wo
from workorders.models import Authorization, Inspection, Payment, WorkOrder
from workorders.services import documents

NAME, PHONE = "Zhang Wei", "13912345678"


def visit_of(customer):
    advisor = make_user(roles=["advisor"])
    tech, inspector = make_user(roles=["technician"]), make_user(roles=["inspector"])
    order = make_order(advisor=advisor, vehicle=make_vehicle(customer=customer), inspected=False)
    wo.record_inspection(
        advisor, order, wo.InspectionInput(acknowledged_by=NAME, signature=SIGNATURE)
    )
    wo.add_photo(advisor, order, "hood", PHOTO)
    job = wo.add_job(advisor, order, title="Brakes", labor_hours=D("1"), category="minor_repair")
    assert order.status == "estimating"
    wo.authorize_jobs(
        advisor,
        order,
        approved_job_ids=[job.id],
        declined_job_ids=[],
        authorized_by=NAME,
        method="in_person",
        signature=SIGNATURE,
        amount=None,
    )
    extra = wo.add_job(
        advisor, order, title="Wipers", labor_hours=D("0.2"), category="minor_repair"
    )
    wo.authorize_jobs(
        advisor,
        order,
        approved_job_ids=[extra.id],
        declined_job_ids=[],
        authorized_by=NAME,
        method="phone",
        phone=PHONE,
        amount=None,
    )
    for j in (job, extra):
        wo.clock_on(tech, j)
        wo.complete_job(tech, j)
    wo.record_quality_check(
        inspector, order, passed=True, checklist=dict.fromkeys(wo.QC_CHECKLIST, True)
    )
    wo.hand_over(
        advisor,
        order,
        payment_method="card",
        amount_paid=wo.order_totals(order).total,
        received_by=NAME,
        payer=NAME,
        signature=SIGNATURE,
    )
    care.raise_complaint(advisor, customer, f"{NAME} says the car was late")
    db.session.commit()
    return order


def test_the_export_is_one_zip_with_everything_and_its_files(app, client, login):
    customer = make_customer(name=NAME, phone=PHONE)
    order = visit_of(customer)
    manager = make_user(roles=["manager"])
    archive = zipfile.ZipFile(io.BytesIO(privacy.export_archive(manager, customer)))
    names = archive.namelist()
    data = json.loads(archive.read("customer.json"))
    (exported,) = data["work_orders"]
    assert exported["number"] == order.number
    assert [a["authorized_by"] for a in exported["authorizations"]] == [NAME, NAME]
    assert exported["authorizations"][1]["phone"] == "+86" + PHONE
    assert exported["payments"][0]["payer"] == NAME
    signatures = [n for n in names if n.startswith("signatures/")]
    assert len(signatures) == 3 and all(archive.read(n).startswith(b"\x89PNG") for n in signatures)
    assert [n for n in names if n.startswith("photos/")]
    papers = [n for n in names if n.startswith("papers/")]
    assert len(papers) == 2 and all(archive.read(n).startswith(b"%PDF") for n in papers)
    assert data["complaints"][0]["description"].startswith(NAME)
    login("manager")
    response = client.post(
        f"/customers/{customer.id}/export",
        data={"csrf_token": csrf_token(client, f"/customers/{customer.id}")},
    )
    assert response.mimetype == "application/zip"
    assert "customer.json" in zipfile.ZipFile(io.BytesIO(response.data)).namelist()


def test_erasure_reaches_every_record_file_and_paper(app):
    customer = make_customer(name=NAME, phone=PHONE)
    order = visit_of(customer)
    total = order.final_total
    issued = {d.kind: (d.number, d.path) for d in documents.issued_documents(order)}
    files = [a.signature_file for a in order.authorizations if a.signature_file]
    files += [order.handover_signature, order.inspection.signature_file]
    storage = app.config["STORAGE_DIR"]
    from pathlib import Path

    assert all((Path(storage) / f).is_file() for f in files)
    privacy.erase_customer(make_user(roles=["manager"]), customer)
    db.session.commit()
    db.session.expire_all()
    order = db.session.get(WorkOrder, order.id)
    assert order.final_total == total
    assert not any((Path(storage) / f).exists() for f in files)
    kept = " ".join(
        json.dumps(
            [[a.authorized_by, a.phone, a.signature_file] for a in db.session.query(Authorization)]
            + [[i.acknowledged_by, i.signature_file] for i in db.session.query(Inspection)]
            + [[p.payer] for p in db.session.query(Payment)]
            + [[order.received_by, order.handover_signature]]
            + [e.changes for e in db.session.query(AuditEntry)]
            + [c.description for c in db.session.query(Complaint)]
        ).split()
    )
    assert NAME not in kept and PHONE not in kept
    for kind, (number, _path) in issued.items():
        (paper,) = [d for d in documents.issued_documents(order) if d.kind == kind]
        assert paper.number == number
        text = " ".join(
            text_of(documents.document(order, "invoice" if kind == "settlement" else kind))
        )
        assert number in text and NAME not in text and PHONE not in text
    invoice = "".join(" ".join(text_of(documents.document(order, "invoice"))).split())
    assert "".join(f"{total:,.2f}".split()) in invoice
