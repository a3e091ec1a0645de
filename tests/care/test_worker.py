"""The background worker as it runs: a real huey consumer in its own process, sending the
outbox to a gateway on 127.0.0.1, killed in the middle and started again."""

import os
import signal
import subprocess
import sys
import time

from huey import RedisHuey, SqliteHuey
from sqlalchemy import delete, select

from care import outbox
from care.models import Message
from dealer import services
from dealer.config import ROOT
from dealer.extensions import db
from dealer.worker import make_queue
from tests.care.servers import Gateway
from tests.factories import make_order


def start_worker(database_url: str, gateway: Gateway, queue_file) -> subprocess.Popen:
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        SMS_GATEWAY_URL=gateway.url,
        WORKER_DB=str(queue_file),
        SECRET_KEY="test-secret-key",
    )
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(condition, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_no_message_goes_twice_when_the_worker_is_killed_and_started_again(
    app, database_url, tmp_path
):
    order = make_order()
    db.session.execute(delete(Message))  # the order's own notice, due or not by the hour
    settings = services.settings_for(order.site_id)
    settings.quiet_hours = {"start": "00:00", "end": "00:00"}
    messages = [
        outbox.queue_message(order.customer, "order_received", order=order, values={})
        for _ in range(12)
    ]
    db.session.commit()
    ids = {str(m.id) for m in messages}
    with Gateway() as gateway:
        gateway.delay = 0.15
        worker = start_worker(database_url, gateway, tmp_path / "queue.db")
        try:
            assert wait_for(lambda: len(gateway.received) >= 3)
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)
            got_before = len(gateway.received)
            db.session.rollback()
            stuck = set(
                db.session.scalars(select(Message.id).where(Message.claimed_at.is_not(None)))
            )
            worker = start_worker(database_url, gateway, tmp_path / "queue.db")

            def settled() -> bool:
                db.session.rollback()
                sent = db.session.scalars(select(Message.id).where(Message.status == "sent"))
                return set(sent) | stuck == {m.id for m in messages}

            assert wait_for(settled)
        finally:
            worker.terminate()
            worker.wait(timeout=10)
    received = [body["id"] for body in gateway.received]
    assert len(received) == len(set(received)), "a message went twice"
    assert len(stuck) <= 1 and got_before < len(ids)
    sent = {str(m.id) for m in db.session.scalars(select(Message)) if m.status == "sent"}
    assert sent <= set(received) and set(received) <= ids
    assert len(sent) >= len(ids) - 1


def test_the_queue_is_redis_when_redis_url_is_set_and_sqlite_otherwise(tmp_path):
    local = make_queue({"WORKER_DB": str(tmp_path / "queue.db")})
    shared = make_queue({"REDIS_URL": "redis://127.0.0.1:6379/15"})
    assert isinstance(local, SqliteHuey) and isinstance(shared, RedisHuey)
    for queue in (local, shared):
        queue.flush()

        @queue.task()
        def add(a, b):
            return a + b

        result = add(2, 3)
        assert len(queue) == 1
        queue.execute(queue.dequeue())
        assert result.get() == 5
        queue.flush()
