"""After-sales care's work in the background worker: sending the messages due (every
minute, and as soon as the worker starts), and the daily planning of callbacks with the VIP
recompute (every hour: planning is idempotent, so a missed hour costs nothing), the
bookings' evening run (every ten minutes: no-shows, reminders and the pick list, each once),
and forgetting the public pages' request counts once they no longer matter."""

from datetime import timedelta

from huey import crontab

from care import booking_notices, outbox
from care.planning import plan_every_site
from dealer import throttle
from dealer.types import utcnow


def schedule(queue, app) -> None:
    """Register care's periodic tasks on the worker's queue."""

    @queue.periodic_task(crontab(minute="*"), name="send_messages")
    def send_messages():
        with app.app_context():
            return outbox.flush(app.config)

    @queue.periodic_task(crontab(minute="7"), name="plan_callbacks")
    def plan_callbacks():
        with app.app_context():
            return plan_every_site()

    @queue.periodic_task(crontab(minute="*/10"), name="bookings_evening")
    def bookings_evening():
        with app.app_context():
            return booking_notices.evening()

    @queue.periodic_task(crontab(minute="37"), name="forget_hits")
    def forget_hits():
        with app.app_context():
            return throttle.forget_hits(utcnow(), older_than=timedelta(hours=1))

    @queue.on_startup()
    def send_what_waited():
        with app.app_context():
            outbox.flush(app.config)
