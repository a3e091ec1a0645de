"""Command-line tools of after-sales care: plan the callbacks, recompute the VIP tiers."""

import click
from flask.cli import AppGroup
from sqlalchemy import select

from care.planning import plan
from care.worth import refresh_customers
from dealer.audit import acting_as
from dealer.extensions import db
from dealer.models import Site

callbacks_cli = AppGroup("callbacks", help="Plan the date-driven callbacks.")
vip_cli = AppGroup("vip", help="Recompute the VIP tiers.")


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

    Safe to run twice: what exists is not created again."""
    with acting_as(None):
        for site in _sites():
            changed = refresh_customers(site.id)
            made = plan(site.id, day.date() if day else None)
            db.session.commit()
            click.echo(
                f"{site.code}: {made.service_reminders} service reminders, "
                f"{made.vip_care} VIP care calls, {changed} VIP tiers changed"
            )
