"""Jobs waiting for parts found by a partial index

Revision ID: a01b165a9d6e
Revises: 8a10763bde75
Create Date: 2026-12-02 05:35:00.841911

"""

from alembic import op
import sqlalchemy as sa


revision = "a01b165a9d6e"
down_revision = "8a10763bde75"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.create_index(
            "ix_jobs_waiting_for_parts",
            ["work_order_id"],
            unique=False,
            sqlite_where=sa.text("waiting_for_parts IS 1"),
            postgresql_where=sa.text("waiting_for_parts IS true"),
        )
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ANALYZE jobs")


def downgrade():
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_jobs_waiting_for_parts")
