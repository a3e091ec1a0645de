"""Writing a generated history: rows appended to tables in batches (``COPY`` on PostgreSQL,
``executemany`` on SQLite), and the columns each table is written with."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import column, func, insert, select, text
from sqlalchemy import table as sql_table

from dealer.extensions import db

BATCH = 5000
"""Work orders written per batch: rows are built in memory one batch at a time."""


@dataclass
class Counts:
    """What was written, per table."""

    rows: dict[str, int] = field(default_factory=dict)

    def add(self, table: str, n: int) -> None:
        self.rows[table] = self.rows.get(table, 0) + n


class Writer:
    """Appends rows to tables in batches, with ``COPY`` on PostgreSQL."""

    def __init__(self, connection):
        self.connection = connection
        self.postgres = connection.dialect.name == "postgresql"
        self.counts = Counts()
        if self.postgres and connection.execute(text("SHOW is_superuser")).scalar() == "on":
            # The rows are consistent by construction (and checked with the foreign keys on
            # in the tests on SQLite): a superuser skips the per-row foreign key triggers,
            # which cost PostgreSQL more than the copying itself.
            connection.execute(text("SET LOCAL session_replication_role = replica"))

    def next_id(self, table: str) -> int:
        ids = db.metadata.tables[table].c.id
        return self.connection.execute(select(func.coalesce(func.max(ids), 0))).scalar() + 1

    def write(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        known = db.metadata.tables.get(table.removeprefix(STAGED))
        if known is None or not set(columns) <= {"id", *known.c.keys()}:
            raise ValueError(f"not a table and columns of the schema: {table} {columns}")
        if self.postgres:
            quote = self.connection.dialect.identifier_preparer.quote
            names = ", ".join(quote(name) for name in columns)
            raw = self.connection.connection.driver_connection
            with (
                raw.cursor() as cursor,
                cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
        else:
            # Untyped columns: the values are already in SQLite's own form.
            target = sql_table(table, *(column(name) for name in columns))
            self.connection.execute(
                insert(target), [dict(zip(columns, map(_sqlite, row), strict=True)) for row in rows]
            )
        self.counts.add(table, len(rows))

    def reset_sequences(self, tables: Iterable[str]) -> None:
        if not self.postgres:
            return
        for table in tables:
            ids = db.metadata.tables[table].c.id
            highest = select(func.coalesce(func.max(ids), 1)).scalar_subquery()
            sequence = func.pg_get_serial_sequence(table, "id")
            self.connection.execute(select(func.setval(sequence, highest)))


STAGED = "staged_"
"""The prefix of the temporary tables that stage many rows' new values."""


def _sqlite(value):
    """A value as SQLAlchemy stores it on SQLite: UTC times as naive ISO text."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


COLUMNS = {
    "customers": (
        "id", "site_id", "kind", "name", "name_key", "phone", "phone_digits", "contact_name",
        "contact_phone", "preferred_language", "preferred_channel", "callback_consent",
        "marketing_consent", "birthday", "spend_12m", "visits_12m", "lifetime_spend",
        "vip_manual", "created_at", "updated_at",
    ),
    "vehicles": (
        "id", "site_id", "customer_id", "vin", "plate", "plate_key", "make", "model", "year",
        "colour", "vehicle_class", "odometer_km", "last_service_at", "last_service_km",
        "created_at",
    ),
    "vehicle_ownerships": ("id", "vehicle_id", "customer_id", "started_at", "note"),
    "odometer_readings": (
        "id", "vehicle_id", "reading_km", "source", "recorded_at", "recorded_by_id",
    ),
    "work_orders": (
        "id", "site_id", "number", "customer_id", "vehicle_id", "advisor_id", "status", "version",
        "received_at", "odometer_in", "fuel_level", "concern", "promised_at",
        "authorized_amount", "tax_rate", "labor_rate", "return_old_parts", "cancel_reason",
        "delivered_at", "received_by", "final_total", "odometer_out", "hours_sold",
        "clocked_seconds", "parts_sales", "parts_cost", "declined_value", "first_approved",
        "proposed_approved", "proposed_decided", "created_at",
    ),
    "jobs": (
        "id", "work_order_id", "version", "title", "is_diagnosis", "labor_hours", "labor_rate",
        "category", "pay_type", "requires_road_test", "status", "technician_id",
        "waiting_for_parts", "warranty_claim_number", "proposed_by_id",
        "decided_by_authorization_id", "completed_at", "warranty_until", "warranty_until_km",
        "created_at",
    ),
    "part_lines": (
        "id", "work_order_id", "job_id", "part_id", "part_number", "name", "quantity", "unit",
        "unit_price", "unit_cost", "condition", "reserved_quantity", "issued_quantity",
        "returned_quantity", "created_at",
    ),
    "time_clocks": ("id", "job_id", "work_order_id", "technician_id", "started_at", "ended_at"),
    "authorizations": (
        "id", "work_order_id", "authorized_by", "method", "phone", "amount", "amount_added",
        "approved_job_ids", "declined_job_ids", "supplementary", "recorded_by_id", "at",
    ),
    "inspections": (
        "id", "work_order_id", "panels", "warning_lights", "belongings", "keys_count",
        "underbody", "symptoms", "acknowledged_by", "acknowledged_at", "recorded_by_id",
        "recorded_at",
    ),
    "quality_checks": (
        "id", "work_order_id", "inspector_id", "passed", "checklist", "road_test_done",
        "failed_job_ids", "notes", "at",
    ),
    "payments": ("id", "work_order_id", "method", "amount", "payer", "recorded_by_id", "at"),
    "callbacks": (
        "id", "site_id", "customer_id", "vehicle_id", "work_order_id", "kind", "status",
        "due_at", "priority", "assignee_id", "attempts", "note", "plan_key", "outcome",
        "closed_at", "created_at",
    ),
    "call_attempts": (
        "id", "callback_id", "user_id", "outcome", "satisfaction", "answers", "notes", "at",
    ),
    "complaints": (
        "id", "site_id", "customer_id", "vehicle_id", "work_order_id", "channel", "description",
        "status", "received_at", "received_by_id", "owner_id", "first_reply_due",
        "first_reply_at", "root_cause", "resolution", "resolved_at", "resolved_by_id",
    ),
    "complaint_events": ("id", "complaint_id", "kind", "user_id", "to_user_id", "text", "at"),
}  # fmt: skip


ORDER = [
    "vehicle_ownerships",
    "odometer_readings",
    "work_orders",
    "authorizations",
    "jobs",
    "part_lines",
    "time_clocks",
    "inspections",
    "quality_checks",
    "payments",
    "callbacks",
    "call_attempts",
    "complaints",
    "complaint_events",
]
"""Tables in the order their rows can be written (parents first)."""
