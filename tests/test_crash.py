"""Killing the server (SIGKILL, no shutdown of any kind) in the middle of a burst of writes
loses no committed record and leaves no half-written order, on SQLite in WAL mode.

The test runs on its own SQLite file whatever database the suite runs on."""

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import func, select, text

from dealer import create_app, services
from dealer.extensions import db
from dealer.models import AuditEntry, NumberSequence
from tests.conftest import app_config
from tests.factories import make_user, make_vehicle
from tests.test_servers import free_port, request, serving
from workorders.models import StatusChange, WorkOrder

ROOT = Path(__file__).resolve().parent.parent
DESKS = 6


def test_sigkill_mid_burst_keeps_every_acknowledged_order_whole(tmp_path):
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    app = create_app(app_config(url, STORAGE_DIR=str(tmp_path / "storage")))
    with app.app_context():
        db.create_all()
        advisor = make_user(roles=["advisor"])
        _, token = services.create_token(advisor)
        cars = [(v.id, v.odometer_km) for v in (make_vehicle() for _ in range(DESKS))]
        db.session.commit()
        db.engine.dispose()

    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "3",
            "--bind",
            f"127.0.0.1:{port}",
            "app:app",
        ],
        cwd=ROOT,
        env=dict(os.environ, DATABASE_URL=url, SECRET_KEY="crash-" + "s" * 40),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    assert serving(port), "gunicorn did not start"
    acknowledged: list[str] = []
    failed = []
    lock = threading.Lock()
    killed = threading.Event()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def desk(vehicle_id: int, odometer: int) -> None:
        while not killed.is_set():
            odometer += 7
            body = {
                "vehicle_id": vehicle_id,
                "odometer_km": odometer,
                "fuel_level": 0.5,
                "concern": "Noise at speed",
            }
            try:
                status, _, data = request(
                    port, "POST", "/api/v1/work-orders", headers=headers, body=json.dumps(body)
                )
            except (OSError, http.client.HTTPException):
                with lock:
                    failed.append(vehicle_id)
                return
            if status == 201:
                with lock:
                    acknowledged.append(json.loads(data)["number"])

    threads = [threading.Thread(target=desk, args=car) for car in cars]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while len(acknowledged) < 40 and time.monotonic() < deadline:
        time.sleep(0.01)
    os.killpg(server.pid, signal.SIGKILL)
    killed.set()
    server.wait(timeout=30)
    for thread in threads:
        thread.join(timeout=60)
    assert len(acknowledged) >= 40, "the burst did not get going"
    assert failed, "the kill came after the burst, not in the middle of it"

    with app.app_context():
        assert db.session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        orders = db.session.scalars(select(WorkOrder)).all()
        numbers = {o.number for o in orders}
        assert set(acknowledged) <= numbers, "an acknowledged order was lost"
        sequence = db.session.scalars(select(NumberSequence)).one()
        assert sequence.last_value == len(orders), "a number was taken by a half-written order"
        for order in orders:
            opened = db.session.scalar(
                select(func.count(StatusChange.id)).where(
                    StatusChange.work_order_id == order.id, StatusChange.from_status.is_(None)
                )
            )
            logged = db.session.scalar(
                select(func.count(AuditEntry.id)).where(
                    AuditEntry.entity == "work_order",
                    AuditEntry.entity_id == order.id,
                    AuditEntry.action == "create",
                )
            )
            reading = [r.reading_km for r in order.vehicle.readings]
            assert opened == 1 and logged == 1 and order.odometer_in in reading, order.number
        db.engine.dispose()
