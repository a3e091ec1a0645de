"""Common jobs, jobs and parts lines keep a Chinese title or name for Chinese papers

Revision ID: e5c7a9b1d3f4
Revises: d4b6e8f0a2c3
Create Date: 2026-12-07 13:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "e5c7a9b1d3f4"
down_revision = "d4b6e8f0a2c3"
branch_labels = None
depends_on = None


def upgrade():
    for table, column in (("canned_jobs", "title_zh"), ("jobs", "title_zh"), ("part_lines", "name_zh")):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column(column, sa.String(length=200), nullable=True))
    op.execute(
        "UPDATE part_lines SET name_zh = "
        "(SELECT parts.name_zh FROM parts WHERE parts.id = part_lines.part_id)"
    )


def downgrade():
    for table, column in (("canned_jobs", "title_zh"), ("jobs", "title_zh"), ("part_lines", "name_zh")):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(column)
