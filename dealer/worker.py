"""The background worker: one process running a huey queue, with no extra server on one
machine (the queue is a SQLite file, ``WORKER_DB``) and on Redis when ``REDIS_URL`` is set,
for a group whose application servers share it.

Each department adds its work through ``SCHEDULES`` (connected by ``dealer.register_hooks``):
a function that registers its periodic tasks on the queue, each run in an app context.
Sending never happens in a web request: the pages put messages in the outbox, and this
process sends them.
"""

import logging

from huey import Huey, RedisHuey, SqliteHuey
from huey.consumer import Consumer

from dealer.hooks import Hook

SCHEDULES = Hook(
    "schedules", "Functions ``(queue, app)`` that register a department's tasks on the queue."
)


def make_queue(config) -> Huey:
    """The queue the configuration names: Redis when ``REDIS_URL`` is set, else SQLite."""
    if config.get("REDIS_URL"):
        return RedisHuey("servicedesk", url=config["REDIS_URL"])
    return SqliteHuey("servicedesk", filename=config["WORKER_DB"])


def run(app, *, workers: int = 1) -> None:
    """Run the worker until stopped: every department's periodic tasks, and what the pages
    ask for."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    queue = make_queue(app.config)
    for schedule in SCHEDULES:
        schedule(queue, app)
    Consumer(queue, workers=workers, periodic=True, check_worker_health=True).run()
