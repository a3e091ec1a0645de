"""A working calendar per site: public holidays and make-up working days

Revision ID: f6d8b0c2e4a5
Revises: e5c7a9b1d3f4
Create Date: 2026-12-07 13:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "f6d8b0c2e4a5"
down_revision = "e5c7a9b1d3f4"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("dealer_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("calendar", sa.JSON(), server_default=sa.text("'{}'"), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("dealer_settings", schema=None) as batch_op:
        batch_op.drop_column("calendar")
