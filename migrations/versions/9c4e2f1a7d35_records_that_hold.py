"""Records that hold: who completed a job and recorded its findings, why a job has no clocked
time, technicians' parts requests, change given back on payments, versions of the intake
record the customer acknowledged, declined work booked for the car's next visit

Revision ID: 9c4e2f1a7d35
Revises: 5b1d0e7c2a90
Create Date: 2026-12-07 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "9c4e2f1a7d35"
down_revision = "5b1d0e7c2a90"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("findings_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("completed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("no_clock_reason", sa.String(length=300), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_jobs_findings_by_id_users"), "users", ["findings_by_id"], ["id"]
        )
        batch_op.create_foreign_key(
            op.f("fk_jobs_completed_by_id_users"), "users", ["completed_by_id"], ["id"]
        )
    op.execute("UPDATE jobs SET completed_by_id = technician_id WHERE status = 'done'")
    with op.batch_alter_table("part_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("request_status", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("requested_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_part_lines_requested_by_id_users"), "users", ["requested_by_id"], ["id"]
        )
        batch_op.create_check_constraint(
            op.f("ck_part_lines_known_request_status"), "request_status IN ('requested', 'declined')"
        )
    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    op.create_table(
        "inspection_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("acknowledged_by", sa.String(length=120), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("signature_file", sa.String(length=200), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspections.id"],
            name=op.f("fk_inspection_versions_inspection_id_inspections"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_inspection_versions_recorded_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_versions")),
        sa.UniqueConstraint(
            "inspection_id", "version", name=op.f("uq_inspection_versions_inspection_id")
        ),
    )
    with op.batch_alter_table("inspection_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inspection_versions_inspection_id"), ["inspection_id"], unique=False
        )
    op.create_table(
        "booked_work",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("vehicle_id", sa.Integer(), nullable=False),
        sa.Column("source_job_id", sa.Integer(), nullable=False),
        sa.Column("callback_id", sa.Integer(), nullable=True),
        sa.Column("wanted_on", sa.Date(), nullable=True),
        sa.Column("booked_by_id", sa.Integer(), nullable=True),
        sa.Column("booked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("work_order_id", sa.Integer(), nullable=True),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("pulled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["booked_by_id"], ["users.id"], name=op.f("fk_booked_work_booked_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["callback_id"], ["callbacks.id"], name=op.f("fk_booked_work_callback_id_callbacks")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_booked_work_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(["job_id"], ["jobs.id"], name=op.f("fk_booked_work_job_id_jobs")),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=op.f("fk_booked_work_site_id_sites")),
        sa.ForeignKeyConstraint(
            ["source_job_id"], ["jobs.id"], name=op.f("fk_booked_work_source_job_id_jobs")
        ),
        sa.ForeignKeyConstraint(
            ["vehicle_id"], ["vehicles.id"], name=op.f("fk_booked_work_vehicle_id_vehicles")
        ),
        sa.ForeignKeyConstraint(
            ["work_order_id"],
            ["work_orders.id"],
            name=op.f("fk_booked_work_work_order_id_work_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booked_work")),
        sa.UniqueConstraint("source_job_id", name=op.f("uq_booked_work_source_job_id")),
    )
    with op.batch_alter_table("booked_work", schema=None) as batch_op:
        batch_op.create_index("ix_booked_work_vehicle_open", ["vehicle_id", "work_order_id"])
        batch_op.create_index(batch_op.f("ix_booked_work_customer_id"), ["customer_id"])
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("change_given", sa.BigInteger(), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_payments_change_within_amount"),
            "change_given IS NULL OR (change_given >= 0 AND change_given <= amount)",
        )


def downgrade():
    op.drop_table("booked_work")
    op.drop_table("inspection_versions")
    with op.batch_alter_table("inspections", schema=None) as batch_op:
        batch_op.drop_column("version")
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_payments_change_within_amount"), type_="check")
        batch_op.drop_column("change_given")
    with op.batch_alter_table("part_lines", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_part_lines_known_request_status"), type_="check")
        batch_op.drop_constraint(op.f("fk_part_lines_requested_by_id_users"), type_="foreignkey")
        batch_op.drop_column("requested_by_id")
        batch_op.drop_column("request_status")
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("fk_jobs_completed_by_id_users"), type_="foreignkey")
        batch_op.drop_constraint(op.f("fk_jobs_findings_by_id_users"), type_="foreignkey")
        batch_op.drop_column("no_clock_reason")
        batch_op.drop_column("completed_by_id")
        batch_op.drop_column("findings_by_id")
