"""Messages per second through the background worker to a local SMS gateway.

Fills a scratch database (a SQLite file, or a new database on the PostgreSQL server that
``DATABASE_URL`` names) with the demo dealership and ``--messages`` messages due now, starts
an HTTP gateway on 127.0.0.1 that takes each at once, then runs the worker
(``flask --app app worker``) as its own process until every message is sent. Prints the
messages per second over the run, the time to send all, and the worker's largest resident
memory.

    .venv/bin/python bench/outbox.py --messages 6000
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from bench.search import scratch_database  # noqa: E402
from care import outbox  # noqa: E402
from care.models import Message  # noqa: E402
from customers.models import Customer  # noqa: E402
from dealer import create_app, services  # noqa: E402
from dealer.extensions import db  # noqa: E402
from demo.dealership import load_demo_data  # noqa: E402


class Taken(BaseHTTPRequestHandler):
    """A gateway that takes every message at once."""

    count = 0
    lock = threading.Lock()

    def do_POST(self):
        json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with Taken.lock:
            Taken.count += 1
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def resident_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=6000)
    args = parser.parse_args()
    url, cleanup = scratch_database(os.environ.get("DATABASE_URL"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    try:
        with app.app_context():
            upgrade()
            load_demo_data(year_orders=0)
            customers = db.session.scalars(select(Customer).where(Customer.phone.is_not(None)))
            customers = list(customers)
            for index in range(args.messages):
                outbox.queue_message(
                    customers[index % len(customers)],
                    "verification_code",
                    values={"code": f"{index:06d}"},
                )
                if index % 500 == 499:
                    db.session.commit()
            db.session.commit()
            site_code = services.default_site().code
        server = ThreadingHTTPServer(("127.0.0.1", 0), Taken)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        queue = tempfile.TemporaryDirectory()
        env = dict(
            os.environ,
            DATABASE_URL=url,
            SMS_GATEWAY_URL=f"http://127.0.0.1:{server.server_address[1]}/send",
            WORKER_DB=f"{queue.name}/queue.db",
        )
        started = time.perf_counter()
        worker = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "app", "worker"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        largest = 0
        first = None
        try:
            with app.app_context():
                while True:
                    time.sleep(0.5)
                    largest = max(largest, resident_kb(worker.pid))
                    db.session.rollback()
                    sent = db.session.scalar(
                        select(func.count(Message.id)).where(Message.status == "sent")
                    )
                    if sent and first is None:
                        first = (time.perf_counter(), sent)
                    if sent >= args.messages:
                        break
                    if time.perf_counter() - started > 900:
                        raise SystemExit(f"only {sent} sent in 15 minutes")
        finally:
            worker.terminate()
            worker.wait(timeout=30)
            server.shutdown()
            queue.cleanup()
        done = time.perf_counter()
        sending = done - first[0]
        print(
            f"{args.messages} messages on {url.split(':')[0]} (site {site_code}), "
            f"gateway took {Taken.count}"
        )
        print(
            f"sent in {sending:.1f} s after the first: {(args.messages - first[1]) / sending:.1f} "
            f"messages/s ({done - started:.1f} s from the worker's start)"
        )
        print(f"worker's largest resident memory: {largest / 1024:.0f} MB")
    finally:
        cleanup()


if __name__ == "__main__":
    main()
