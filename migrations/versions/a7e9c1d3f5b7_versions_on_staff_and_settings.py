"""Staff records and settings carry the version their edit pages show

Revision ID: a7e9c1d3f5b7
Revises: f6d8b0c2e4a5
Create Date: 2026-12-07 14:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "a7e9c1d3f5b7"
down_revision = "f6d8b0c2e4a5"
branch_labels = None
depends_on = None

TABLES = ("users", "dealer_settings")


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
