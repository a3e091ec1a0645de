"""Customers, vehicles and parts carry a version: a stale edit is refused, never applied

Revision ID: c8a1d3e5f7b9
Revises: b2f7c9d4e6a1
Create Date: 2026-12-07 12:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "c8a1d3e5f7b9"
down_revision = "b2f7c9d4e6a1"
branch_labels = None
depends_on = None

TABLES = ("customers", "vehicles", "parts")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("version", sa.Integer(), server_default="1", nullable=False)
            )


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
