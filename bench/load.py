"""Many desks at once: the busy paths under concurrent users, served by gunicorn.

Starts the app with gunicorn on loopback against the database that
``DATABASE_URL`` names (a history made with ``flask --app app demo-data
--customers N --work-orders M``), signs in ``--users`` virtual users (each a
manager's session for the desk and a technician's session for the
workshop tablet), and has each of them walk through the busy paths in a
random order for ``--seconds``:

front-desk search by plate and by phone, a customer's page, a work order's
page (as it opens, and on one of its sections), its intake page, the
technician's work queue, the job board, a technician clocking on and off a job, the call
list, the VIP archive, the dashboard, a work order PDF, the customer's link as a phone opens
it (``/l/<token>``, no sign-in, counted by the rate limit), and ``/healthz``,
which touches nothing, as the yardstick measured in the same run.

Prints per path the requests per second, p50 and p95 latency, the ratio of
the path's p95 to ``/healthz``'s p95, and the largest resident memory of a
gunicorn worker seen during the run. Run by hand, not in CI:

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/group \\
        .venv/bin/python bench/load.py --users 8 --seconds 60 --workers 2
"""

import argparse
import hashlib
import hmac
import http.client
import json
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from dealer.config import PUBLIC_LIMITS  # noqa: E402
from demo.catalogue import DEMO_PASSWORD  # noqa: E402

CPU = {"gunicorn": ("gunicorn",), "PostgreSQL": ("postgres",), "this client": ("python",)}
"""Whose CPU time the run reports (by process name; gunicorn's workers carry its name)."""
OK = {"GET": (200,), "POST": (200, 302)}
"""The answers that count as served: a page, or a form's redirect after it was done."""
SECTIONS = ("intake", "jobs", "decision", "inspection", "payment", "history")
"""The order page's sections (a section the user does not have opens the default one)."""
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Session:
    """One person's browser: cookies kept, a new connection per request (gunicorn's sync
    workers close each connection after the response)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Accept-Language": "zh-CN"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        connection.close()
        return response.status, data

    def sign_in(self, username: str, password: str) -> None:
        _, page = self.request("GET", "/login")
        token = CSRF.search(page.decode()).group(1)
        status, _ = self.request(
            "POST", "/login", {"username": username, "password": password, "csrf_token": token}
        )
        if status != 302:
            raise SystemExit(f"cannot sign in as {username} (HTTP {status})")
        _, page = self.request("GET", "/account")
        self.csrf = CSRF.search(page.decode()).group(1)


class Samples:
    """What the virtual users ask for, drawn from the database."""

    def __init__(self, url: str, users: int, rng: random.Random):
        engine = create_engine(url)
        with engine.begin() as conn:
            count = conn.execute(text("SELECT max(id) FROM customers")).scalar()
            ids = [rng.randint(1, count) for _ in range(300)]
            rows = conn.execute(
                text(
                    "SELECT c.id, c.phone, v.plate FROM customers c "
                    "JOIN vehicles v ON v.customer_id = c.id WHERE c.id IN :ids"
                ).bindparams(_in("ids")),
                {"ids": ids},
            ).all()
            self.customers = [r[0] for r in rows]
            # The desk types a plate its own way, and a phone number as people say it.
            self.plates = [r[2][2:].lower() for r in rows]
            self.phones = [f"{r[1][3:6]} {r[1][6:10]} {r[1][10:]}" for r in rows]
            top = conn.execute(text("SELECT max(id) FROM work_orders")).scalar()
            self.orders = [rng.randint(1, top) for _ in range(300)]
            self.orders += list(
                conn.execute(
                    text("SELECT id FROM work_orders WHERE delivered_at IS NULL LIMIT 100")
                ).scalars()
            )
            technicians = conn.execute(
                text(
                    "SELECT u.id, u.username FROM users u JOIN user_roles r ON r.user_id = u.id "
                    "WHERE r.role = 'technician' AND u.active ORDER BY u.id LIMIT :n"
                ),
                {"n": users},
            ).all()
            if len(technicians) < users:
                raise SystemExit(f"the database has {len(technicians)} technicians: too few")
            # Each technician gets a job of their own in the workshop to clock on and off:
            # started or approved jobs first, then pending ones of open orders, approved here.
            jobs = (
                conn.execute(
                    text(
                        "SELECT j.id FROM jobs j JOIN work_orders w ON w.id = j.work_order_id "
                        "WHERE w.status IN ('estimating', 'awaiting_approval', 'in_progress') "
                        "AND j.status IN ('pending', 'approved', 'in_progress') "
                        "ORDER BY j.status = 'pending', j.id LIMIT :n"
                    ),
                    {"n": users},
                )
                .scalars()
                .all()
            )
            if len(jobs) < users:
                raise SystemExit("too few jobs in the workshop to clock on")
            conn.execute(
                text(
                    "UPDATE jobs SET status = 'approved' WHERE status = 'pending' AND id IN :ids"
                ).bindparams(_in("ids")),
                {"ids": jobs},
            )
            conn.execute(
                text("UPDATE time_clocks SET ended_at = started_at WHERE ended_at IS NULL")
            )
            # The clocks the run makes are taken out afterwards (see forget_clocks): a run
            # clocks on and off thousands of times, which no workshop does in a day, and
            # the next run's workshop-today figures would sum them all.
            self.last_clock = conn.execute(text("SELECT max(id) FROM time_clocks")).scalar() or 0
            # Links to a hundred orders, as their customers got them by message: the tokens
            # are drawn here and kept as the app keeps them, hashed under its key.
            self.last_link = conn.execute(text("SELECT max(id) FROM customer_links")).scalar() or 0
            self.links = []
            for order_id in self.orders[:100]:
                token = secrets.token_urlsafe(12)
                digest = hmac.new(SECRET_KEY.encode(), token.encode(), hashlib.sha256)
                conn.execute(
                    text(
                        "INSERT INTO customer_links (site_id, work_order_id, token_hash, "
                        "created_at, expires_at) SELECT site_id, id, :hash, :now, :until "
                        "FROM work_orders WHERE id = :id"
                    ),
                    {
                        "hash": digest.hexdigest(),
                        "now": datetime.now(UTC),
                        "until": datetime.now(UTC) + timedelta(days=1),
                        "id": order_id,
                    },
                )
                self.links.append(token)
            self.technicians = []
            for (tech_id, username), job_id in zip(technicians, jobs, strict=False):
                conn.execute(
                    text("UPDATE jobs SET technician_id = :t WHERE id = :j"),
                    {"t": tech_id, "j": job_id},
                )
                self.technicians.append((username, job_id))
        engine.dispose()


def forget_clocks(url: str, samples: Samples) -> int:
    """Delete the time clocks, links and request counts the run made, leaving the history
    as it was."""
    engine = create_engine(url)
    with engine.begin() as conn:
        gone = conn.execute(
            text("DELETE FROM time_clocks WHERE id > :last"), {"last": samples.last_clock}
        ).rowcount
        conn.execute(
            text("DELETE FROM customer_links WHERE id > :last"), {"last": samples.last_link}
        )
        conn.execute(text("DELETE FROM public_hits"))
    engine.dispose()
    return gone


def _in(name: str):
    from sqlalchemy import bindparam

    return bindparam(name, expanding=True)


def machine_speed() -> float:
    """Milliseconds of CPU a fixed piece of plain Python work takes here now: a shared
    virtual machine runs faster or slower from one hour to the next, and the figures of two
    runs compare only alongside this one."""
    data = {f"k{i}": [i, str(i) * 3, {"x": i / 3}] for i in range(300)}
    best = float("inf")
    for _ in range(5):
        started = time.process_time()
        for _ in range(40):
            json.loads(json.dumps(data))
            sorted(str(v) for v in data.values())
        best = min(best, (time.process_time() - started) * 1000)
    return best


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def worker_memory(master: int) -> list[int]:
    """Resident memory in kB of each gunicorn worker (the master's children)."""
    sizes = []
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return sizes
    for pid in children:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]))
        except OSError:
            continue
    return sizes


def cpu_seconds(names: tuple[str, ...]) -> float:
    """CPU time used so far by the processes with one of ``names``."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)
            name = fields[0].split("(", 1)[1]
            if name in names:
                values = fields[1].split()
                total += int(values[11]) + int(values[12])
        except (OSError, IndexError):
            continue
    return total / os.sysconf("SC_CLK_TCK")


SECRET_KEY = "bench-secret-key-" + "x" * 32
LIMITS = {name: "1000000" for name in PUBLIC_LIMITS}
"""Every virtual user comes from 127.0.0.1: the run lifts the per-address limits of the
public pages, which still count each request."""


def start_server(url: str, port: int, workers: int) -> subprocess.Popen:
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY=SECRET_KEY, **LIMITS)
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
            "app:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    for _ in range(300):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start: " + server.stderr.read().decode()[-2000:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        help="gunicorn's sync workers (one per core where the database shares the machine)",
    )
    parser.add_argument("--port", type=int, default=5077)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean pause of a user between requests, in seconds (0: none, the heaviest load)",
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL")
    if not url:
        raise SystemExit("set DATABASE_URL to the database with the generated history")
    rng = random.Random(args.seed)
    speed_before = machine_speed()
    samples = Samples(url, args.users, rng)
    server = start_server(url, args.port, args.workers)
    results: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    memory: list[int] = []
    lock = threading.Lock()
    try:
        people = []
        for username, job_id in samples.technicians:
            desk, tablet = Session(args.port), Session(args.port)
            desk.sign_in("manager", DEMO_PASSWORD)
            tablet.sign_in(username, DEMO_PASSWORD)
            people.append((desk, tablet, job_id))

        def paths(desk: Session, tablet: Session, job_id: int, r: random.Random):
            order = r.choice(samples.orders)
            phone = Session(args.port)
            return {
                "/healthz": (desk, "GET", "/healthz", None),
                "customer link": (phone, "GET", f"/l/{r.choice(samples.links)}", None),
                "search by plate": (
                    desk,
                    "GET",
                    "/customers?" + urlencode({"q": r.choice(samples.plates)}),
                    None,
                ),
                "search by phone": (
                    desk,
                    "GET",
                    "/customers?" + urlencode({"q": r.choice(samples.phones)}),
                    None,
                ),
                "customer page": (desk, "GET", f"/customers/{r.choice(samples.customers)}", None),
                "work order page": (desk, "GET", f"/work-orders/{order}", None),
                "order page tab": (
                    desk,
                    "GET",
                    f"/work-orders/{order}?tab={r.choice(SECTIONS)}",
                    None,
                ),
                "intake page": (desk, "GET", f"/work-orders/{order}/intake", None),
                "work queue": (tablet, "GET", "/", None),
                "job board": (tablet, "GET", "/board", None),
                "clock on, clock off": (tablet, "POST", f"/jobs/{job_id}/clock-", None),
                "call list": (desk, "GET", "/callbacks?scope=all", None),
                "VIP archive": (desk, "GET", "/vip", None),
                "dashboard": (desk, "GET", "/dashboard", None),
                "diary day": (
                    desk,
                    "GET",
                    f"/diary?date={date.today() + timedelta(days=r.randint(0, 13))}",
                    None,
                ),
                "diary week": (desk, "GET", "/diary/week", None),
                "work order PDF": (
                    desk,
                    "GET",
                    f"/work-orders/{order}/documents/work-order.pdf",
                    None,
                ),
            }

        deadline = time.perf_counter() + args.seconds
        started = time.perf_counter()
        cpu_before = {who: cpu_seconds(names) for who, names in CPU.items()}

        def walk(index: int) -> None:
            desk, tablet, job_id = people[index]
            r = random.Random(args.seed * 100 + index)
            while time.perf_counter() < deadline:
                menu = list(paths(desk, tablet, job_id, r).items())
                r.shuffle(menu)
                for label, (session, method, path, _) in menu:
                    if label == "clock on, clock off":
                        # Two presses of the tablet's button, each its own request.
                        steps = [
                            (f"clock {step}", "POST", path + step, {"csrf_token": session.csrf})
                            for step in ("on", "off")
                        ]
                    else:
                        steps = [(label, method, path, None)]
                    for name, verb, target, form in steps:
                        began = time.perf_counter()
                        ok = session.request(verb, target, form)[0] in OK[verb]
                        took = (time.perf_counter() - began) * 1000
                        with lock:
                            results.setdefault(name, []).append(took)
                            if not ok:
                                errors[name] = errors.get(name, 0) + 1
                        if args.think:
                            time.sleep(r.uniform(0, 2 * args.think))

        def sample_memory() -> None:
            while time.perf_counter() < deadline:
                memory.extend(worker_memory(server.pid))
                time.sleep(0.5)

        threads = [threading.Thread(target=walk, args=(i,)) for i in range(len(people))]
        threads.append(threading.Thread(target=sample_memory))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        cpu = {who: cpu_seconds(names) - cpu_before[who] for who, names in CPU.items()}
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        forget_clocks(url, samples)

    speed_after = machine_speed()
    base = percentile(results["/healthz"], 0.95)
    print(
        f"{len(people)} users (mean pause {args.think:g} s), {args.workers} gunicorn workers, "
        f"{elapsed:.0f} s, "
        f"{sum(len(v) for v in results.values())} requests"
    )
    print(
        f"{'path':<18} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p95/healthz':>12} {'errors':>7}"
    )
    for label in sorted(results, key=lambda k: (k != "/healthz", k)):
        values = results[label]
        p95 = percentile(values, 0.95)
        print(
            f"{label:<18} {len(values) / elapsed:7.1f} {statistics.median(values):8.1f} "
            f"{p95:8.1f} {p95 / base:12.2f} {errors.get(label, 0):7d}"
        )
    if memory:
        print(f"largest gunicorn worker: {max(memory) / 1024:.0f} MB resident")
    print(
        f"machine speed: {speed_before:.1f} ms before the run, {speed_after:.1f} ms after "
        "(the same plain Python work; lower is faster)"
    )
    print(
        "CPU used in the run: "
        + ", ".join(f"{who} {seconds / elapsed:.2f} cores" for who, seconds in cpu.items())
    )


if __name__ == "__main__":
    main()
