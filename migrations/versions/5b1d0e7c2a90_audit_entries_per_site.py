"""Audit entries belong to a site: a manager reads their own site's log only

Revision ID: 5b1d0e7c2a90
Revises: 102ccd889e92
Create Date: 2026-12-07 09:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "5b1d0e7c2a90"
down_revision = "102ccd889e92"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("site_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_audit_entries_site_id", ["site_id"], unique=False)
        batch_op.create_foreign_key(
            op.f("fk_audit_entries_site_id_sites"), "sites", ["site_id"], ["id"]
        )
    op.execute(
        "UPDATE audit_entries SET site_id = "
        "(SELECT users.site_id FROM users WHERE users.id = audit_entries.user_id) "
        "WHERE user_id IS NOT NULL"
    )
    op.execute(
        "UPDATE audit_entries SET site_id = (SELECT min(id) FROM sites) "
        "WHERE site_id IS NULL AND (SELECT count(*) FROM sites) = 1"
    )


def downgrade():
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("fk_audit_entries_site_id_sites"), type_="foreignkey")
        batch_op.drop_index("ix_audit_entries_site_id")
        batch_op.drop_column("site_id")
