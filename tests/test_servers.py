"""Two gunicorn instances on one database, sharing nothing but it and the storage folder:
numbers stay distinct, no update is lost, a session and an upload made on one are good on
the other."""

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from dealer import services
from dealer.extensions import db
from parts.models import Part, StockMovement
from tests.factories import PASSWORD, PHOTO, make_order, make_part, make_user, make_vehicle
from workorders.models import WorkOrder

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = (sys.executable, "-m", "gunicorn", "--workers", "2")
PNG = PHOTO


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serving(port: int) -> bool:
    """Wait up to 15 s for the server on ``port`` to answer /healthz."""
    for _ in range(300):
        try:
            if request(port, "GET", "/healthz")[0] == 200:
                return True
        except OSError:
            time.sleep(0.05)
    return False


def request(port: int, method: str, path: str, *, headers=None, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), data


@pytest.fixture
def servers(app, database_url, tmp_path):
    """Two gunicorn instances of two workers each, on their own ports."""
    db.session.commit()
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        SECRET_KEY="two-servers-secret-" + "k" * 32,
        STORAGE_DIR=str(tmp_path / "shared-storage"),
    )
    started = []
    for _ in range(2):
        port = free_port()
        process = subprocess.Popen(
            [*GUNICORN, "--bind", f"127.0.0.1:{port}", "app:app"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        started.append((port, process))
    try:
        for port, process in started:
            if not serving(port):
                process.kill()
                pytest.fail("gunicorn did not start: " + process.stderr.read().decode()[-2000:])
        yield [port for port, _ in started]
    finally:
        for _, process in started:
            process.terminate()
        for _, process in started:
            process.wait(timeout=30)
        db.session.rollback()


def token(*roles: str) -> dict:
    _, plain = services.create_token(make_user(roles=roles))
    db.session.commit()
    return {"Authorization": f"Bearer {plain}", "Content-Type": "application/json"}


def at_once(calls: list) -> list:
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_orders_opened_on_both_servers_get_distinct_numbers(servers):
    headers = token("advisor")
    vehicles = [(v.id, v.odometer_km) for v in (make_vehicle() for _ in range(16))]
    db.session.commit()

    def open_order(port, vehicle):
        vehicle_id, odometer = vehicle
        body = {
            "vehicle_id": vehicle_id,
            "odometer_km": odometer,
            "fuel_level": 1,
            "concern": "Service",
        }
        status, _, data = request(
            port, "POST", "/api/v1/work-orders", headers=headers, body=json.dumps(body)
        )
        return status, json.loads(data)

    results = at_once(
        [lambda p=servers[i % 2], v=vehicle: open_order(p, v) for i, vehicle in enumerate(vehicles)]
    )
    assert [status for status, _ in results] == [201] * 16, results
    numbers = [body["number"] for _, body in results]
    assert sorted(int(n[-6:]) for n in numbers) == list(range(1, 17))
    db.session.commit()
    assert db.session.scalar(select(func.count(WorkOrder.id))) == 16


def test_stock_received_on_both_servers_loses_no_update(servers):
    part = make_part(on_hand="0")
    db.session.commit()
    headers = token("parts")
    body = json.dumps({"quantity": "1", "unit_cost": "10.00", "supplier": "FAW"})
    path = f"/api/v1/parts/{part.id}/receipts"
    results = at_once(
        [
            lambda p=servers[i % 2]: request(p, "POST", path, headers=headers, body=body)[0]
            for i in range(20)
        ]
    )
    assert results == [201] * 20
    db.session.commit()
    kept = db.session.get(Part, part.id)
    assert kept.on_hand == Decimal("20")
    receipts = db.session.scalar(
        select(func.count(StockMovement.id)).where(StockMovement.part_id == part.id)
    )
    assert receipts == 20


def test_a_session_and_an_upload_made_on_one_server_serve_on_the_other(servers):
    first, second = servers
    user = make_user(roles=["advisor"])
    order = make_order()
    api = token("advisor")
    username, number, order_id = user.username, order.number, order.id
    db.session.commit()
    status, headers, page = request(first, "GET", "/login")
    cookie = _cookies(headers)
    csrf = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page).group(1).decode()
    form = f"username={username}&password={PASSWORD}&csrf_token={csrf}"
    status, headers, _ = request(
        first,
        "POST",
        "/login",
        headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
        body=form,
    )
    assert status == 302
    cookie = _cookies(headers)
    status, _, page = request(second, "GET", f"/work-orders/{order_id}", headers={"Cookie": cookie})
    assert status == 200 and number.encode() in page

    boundary = "photo-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="panel"\r\n\r\nhood\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="a.png"\r\n'
            "Content-Type: image/png\r\n\r\n"
        ).encode()
        + PNG
        + f"\r\n--{boundary}--\r\n".encode()
    )
    status, _, data = request(
        first,
        "POST",
        f"/api/v1/work-orders/{order_id}/photos",
        headers={
            "Authorization": api["Authorization"],
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
        body=body,
    )
    assert status == 201, data
    photo = json.loads(data)["id"]
    status, _, served = request(
        second,
        "GET",
        f"/api/v1/work-orders/{order_id}/photos/{photo}",
        headers={"Authorization": api["Authorization"]},
    )
    assert status == 200 and served.startswith(b"\xff\xd8\xff")


def _cookies(headers: dict) -> str:
    value = headers.get("Set-Cookie", "")
    return value.split(";", 1)[0]


def test_failed_sign_ins_on_one_server_hold_the_account_on_the_other(servers):
    first, second = servers
    username = make_user(roles=["advisor"]).username
    db.session.commit()

    def sign_in(port, password):
        _, headers, page = request(port, "GET", "/login")
        csrf = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page).group(1).decode()
        form = f"username={username}&password={password}&csrf_token={csrf}"
        return request(
            port,
            "POST",
            "/login",
            headers={
                "Cookie": _cookies(headers),
                "Content-Type": "application/x-www-form-urlencoded",
            },
            body=form,
        )[0]

    assert [sign_in(first, "wrong-password") for _ in range(5)] == [422] * 5
    assert sign_in(second, PASSWORD) == 429
