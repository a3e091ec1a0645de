"""Vehicles without a 17-character VIN are registered by their frame number

Revision ID: b2f7c9d4e6a1
Revises: 9c4e2f1a7d35
Create Date: 2026-12-07 11:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "b2f7c9d4e6a1"
down_revision = "9c4e2f1a7d35"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("vehicles", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("frame_number", sa.Boolean(), server_default=sa.text("false"), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("vehicles", schema=None) as batch_op:
        batch_op.drop_column("frame_number")
