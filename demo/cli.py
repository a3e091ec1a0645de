"""The ``demo-data`` command: the demo dealership, and a generated history on request."""

import time

import click

from dealer import services
from demo.catalogue import DEMO_PASSWORD
from demo.dealership import demo_logins, load_demo_data
from demo.history import generate


@click.command("demo-data")
@click.option("--if-empty", is_flag=True, help="Load only when the database has no staff yet.")
@click.option(
    "--customers",
    type=click.IntRange(min=1, max=50_000_000),
    help="Also generate a history of this many customers (with their cars).",
)
@click.option(
    "--work-orders",
    type=click.IntRange(min=0, max=100_000_000),
    default=None,
    help="Work orders over ten years in the generated history (default: 3 per customer).",
)
@click.option(
    "--year",
    "year_orders",
    type=click.IntRange(min=0, max=20_000),
    default=0,
    show_default=True,
    help="Visits over the last twelve months, made through the operations before today's cars.",
)
@click.option("--seed", type=int, default=2026, show_default=True, help="Seed of the history.")
def demo_data_command(
    if_empty: bool, customers: int | None, work_orders: int | None, year_orders: int, seed: int
) -> None:
    """Load the demo dealership (idempotent) and print the demo logins.

    With ``--year``, the dealership has that many visits over the last twelve months, each
    made through the operations at its own moment. With ``--customers`` (and
    ``--work-orders``), also write a generated history of a dealer group: customers, cars,
    ten years of work orders with their jobs, parts, authorizations, QC and handover,
    callbacks with their tries, complaints and VIPs."""
    if if_empty and services.staff_count() > 0:
        logins = demo_logins()
    else:
        if year_orders:
            click.echo(f"Loading the demo dealership with {year_orders} visits over a year...")
        started = time.perf_counter()
        logins = load_demo_data(year_orders)
        click.echo(f"Demo data loaded in {time.perf_counter() - started:.0f} s.")
    if customers is None and work_orders is not None:
        raise click.UsageError("--work-orders needs --customers.")
    if customers is not None:
        orders = customers * 3 if work_orders is None else work_orders
        started = time.perf_counter()
        with click.progressbar(length=orders, label="Work orders", show_pos=True) as bar:
            counts = generate(customers, orders, seed=seed, progress=bar.update)
        seconds = time.perf_counter() - started
        click.echo(
            f"Generated {counts.rows.get('customers', 0):,} customers, "
            f"{counts.rows.get('work_orders', 0):,} work orders and "
            f"{sum(counts.rows.values()):,} rows in all in {seconds:.0f} s."
        )
        for table, n in sorted(counts.rows.items()):
            click.echo(f"  {table:20} {n:>12,}")
    if logins:
        click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, name, roles in logins:
            click.echo(f"  {username:10} {roles:12} {name}")
