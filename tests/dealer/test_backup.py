"""``flask backup`` and ``flask restore`` round-trip the database and the stored files; a
damaged archive restores nothing."""

import json
import tarfile
from pathlib import Path

from sqlalchemy import func, select

from customers.models import Customer
from dealer.extensions import db
from tests.factories import make_customer, make_order
from tests.test_servers import PNG
from workorders import services as wo
from workorders.models import InspectionPhoto


def test_backup_and_restore_round_trip(app, tmp_path):
    runner = app.test_cli_runner()
    customer = make_customer(name="欧阳䶮喆")
    order = make_order()
    photo = wo.add_photo(order.advisor, order, "hood", PNG)
    db.session.commit()
    customer_id, photo_path = customer.id, wo.photo_file(photo)
    photo_bytes = Path(photo_path).read_bytes()
    customers_before = db.session.scalar(select(func.count(Customer.id)))
    archive = tmp_path / "nightly.tar.gz"

    made = runner.invoke(args=["backup", str(archive)])
    assert made.exit_code == 0, made.output
    assert "stored files" in made.output
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["format"] == 1 and set(manifest["members"]) <= set(names)
    assert any(n.startswith("storage/") and n.endswith(".jpg") for n in names)
    again = runner.invoke(args=["backup", str(archive)])
    assert again.exit_code == 1 and "exists already" in again.output

    db.session.get(Customer, customer_id).name = "Changed after the backup"
    make_customer(name="Came after the backup")
    db.session.commit()
    Path(photo_path).unlink()

    restored = runner.invoke(args=["restore", str(archive), "--yes"])
    assert restored.exit_code == 0, restored.output
    db.session.remove()
    assert db.session.get(Customer, customer_id).name == "欧阳䶮喆"
    assert db.session.scalar(select(func.count(Customer.id))) == customers_before
    kept = db.session.scalars(select(InspectionPhoto)).one()
    assert Path(wo.photo_file(kept)).read_bytes() == photo_bytes


def test_a_damaged_backup_restores_nothing(app, tmp_path):
    runner = app.test_cli_runner()
    customer_id = make_customer(name="Before").id
    db.session.commit()
    archive = tmp_path / "b.tar.gz"
    assert runner.invoke(args=["backup", str(archive)]).exit_code == 0
    unpacked = tmp_path / "unpacked"
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, filter="data")
    database = next(p for p in unpacked.iterdir() if p.name.startswith("database."))
    data = bytearray(database.read_bytes())
    data[len(data) // 2] ^= 0xFF
    database.write_bytes(bytes(data))
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(damaged, "w:gz") as tar:
        for member in unpacked.iterdir():
            tar.add(member, arcname=member.name)
    db.session.get(Customer, customer_id).name = "After"
    db.session.commit()

    refused = runner.invoke(args=["restore", str(damaged), "--yes"])
    assert refused.exit_code == 1 and "damaged" in refused.output
    db.session.remove()
    assert db.session.get(Customer, customer_id).name == "After"
    asked = runner.invoke(args=["restore", str(archive)], input="n\n")
    assert asked.exit_code == 1
    assert db.session.get(Customer, customer_id).name == "After"
