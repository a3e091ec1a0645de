"""Work orders by site, state and id: a list of one state, newest first, without sorting

Revision ID: 102ccd889e92
Revises: c3d9e1a7b5f2
Create Date: 2026-12-02 12:02:22.083139

"""

from alembic import op


revision = "102ccd889e92"
down_revision = "c3d9e1a7b5f2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("work_orders", schema=None) as batch_op:
        batch_op.create_index(
            "ix_work_orders_site_status_id", ["site_id", "status", "id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("work_orders", schema=None) as batch_op:
        batch_op.drop_index("ix_work_orders_site_status_id")
