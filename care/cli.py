"""Command-line tools of after-sales care: plan the callbacks, recompute the VIP tiers, send
the messages due."""

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from care import outbox
from care.planning import plan_every_site
from care.worth import refresh_customers
from dealer.audit import acting_as
from dealer.extensions import db
from dealer.models import Site

callbacks_cli = AppGroup("callbacks", help="Plan the date-driven callbacks.")
vip_cli = AppGroup("vip", help="Recompute the VIP tiers.")
outbox_cli = AppGroup("outbox", help="The messages to customers.")


def _sites():
    return db.session.scalars(select(Site).order_by(Site.id)).all()


@vip_cli.command("recompute")
def vip_recompute():
    """Recompute every customer's 12-month spend, visits and VIP tier."""
    with acting_as(None):
        for site in _sites():
            changed = refresh_customers(site.id)
            db.session.commit()
            click.echo(f"{site.code}: {changed} tiers changed")


@callbacks_cli.command("plan")
@click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), help="Plan as of this day.")
def callbacks_plan(day):
    """Daily: recompute VIP tiers, then create the service reminders and VIP care calls due.

    Safe to run twice: what exists is not created again. The worker runs it every hour."""
    for done in plan_every_site(day.date() if day else None):
        click.echo(
            f"{done.code}: {done.plan.service_reminders} service reminders, "
            f"{done.plan.vip_care} VIP care calls, {done.tiers_changed} VIP tiers changed"
        )


@outbox_cli.command("flush")
def outbox_flush():
    """Send every message due now by the channels configured, and exit."""
    sent = outbox.flush(current_app.config)
    waiting = outbox.waiting()
    click.echo(f"{sent} sent, {waiting} waiting")
