"""Failed sign-ins, counted for throttling

Revision ID: 8a10763bde75
Revises: 8983959072eb
Create Date: 2026-11-24 01:44:24.269366

"""

from alembic import op
import sqlalchemy as sa


revision = "8a10763bde75"
down_revision = "8983959072eb"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(length=40), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.create_index("ix_login_failures_account_at", ["account", "at"], unique=False)
        batch_op.create_index("ix_login_failures_address_at", ["address", "at"], unique=False)


def downgrade():
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.drop_index("ix_login_failures_address_at")
        batch_op.drop_index("ix_login_failures_account_at")

    op.drop_table("login_failures")
