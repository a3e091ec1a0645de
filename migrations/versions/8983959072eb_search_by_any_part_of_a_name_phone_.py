"""Indexes for the busy paths: search by any part of a name, phone, plate or VIN; the
workshop's open orders by promised time; the VIP archive

Revision ID: 8983959072eb
Revises: 0634abf1c1dc
Create Date: 2026-11-24 01:20:00

On PostgreSQL, trigram GIN indexes (pg_trgm) serve ``LIKE '%...%'`` on the
searched columns. On SQLite, B-trees carrying the searched column with the
site (and the owner, for vehicles) let a search scan a small index instead
of the table. Open orders are found by status and promised time in one index, and
the VIPs (a few among many customers) in a partial index.
"""

import sqlalchemy as sa
from alembic import op

revision = "8983959072eb"
down_revision = "0634abf1c1dc"
branch_labels = None
depends_on = None

SEARCHED = {
    "customers": (("name_key", "phone_digits"), ("site_id",)),
    "vehicles": (("plate_key", "vin"), ("site_id", "customer_id")),
}


def upgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, (columns, covering) in SEARCHED.items():
        for column in columns:
            if postgres:
                op.create_index(
                    f"ix_{table}_{column}_trgm",
                    table,
                    [column],
                    postgresql_using="gin",
                    postgresql_ops={column: "gin_trgm_ops"},
                )
            else:
                op.create_index(f"ix_{table}_{column}_scan", table, [*covering, column])
    with op.batch_alter_table("work_orders") as batch_op:
        batch_op.drop_index("ix_work_orders_site_status")
        batch_op.create_index(
            "ix_work_orders_site_status_promised", ["site_id", "status", "promised_at"]
        )
    with op.batch_alter_table("customers") as batch_op:
        batch_op.drop_index("ix_customers_vip_tier")
        batch_op.create_index(
            "ix_customers_site_vip",
            ["site_id", "vip_tier"],
            sqlite_where=sa.text("vip_tier IS NOT NULL"),
            postgresql_where=sa.text("vip_tier IS NOT NULL"),
        )
    if not postgres:
        op.execute("ANALYZE")


def downgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    with op.batch_alter_table("customers") as batch_op:
        batch_op.drop_index("ix_customers_site_vip")
        batch_op.create_index("ix_customers_vip_tier", ["vip_tier"])
    with op.batch_alter_table("work_orders") as batch_op:
        batch_op.drop_index("ix_work_orders_site_status_promised")
        batch_op.create_index("ix_work_orders_site_status", ["site_id", "status"])
    for table, (columns, _covering) in SEARCHED.items():
        for column in columns:
            op.drop_index(f"ix_{table}_{column}_{'trgm' if postgres else 'scan'}", table_name=table)
