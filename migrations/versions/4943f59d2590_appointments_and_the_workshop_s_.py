"""Appointments and the workshop's capacity: technicians' skills and absences, bays, equipment and the walk-in share, the skill and equipment of common jobs

Revision ID: 4943f59d2590
Revises: c1f734a0740e
Create Date: 2026-12-07 16:19:34.635764

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4943f59d2590'
down_revision = 'c1f734a0740e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('absences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_absences_ends_after_start')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_absences_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_absences_site_id_sites')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_absences_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_absences'))
    )
    with op.batch_alter_table('absences', schema=None) as batch_op:
        batch_op.create_index('ix_absences_user_period', ['user_id', 'starts_at', 'ends_at'], unique=False)

    op.create_table('appointments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('vehicle_id', sa.Integer(), nullable=False),
    sa.Column('start_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('end_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('concern', sa.Text(), nullable=True),
    sa.Column('cancel_reason', sa.String(length=500), nullable=True),
    sa.Column('work_order_id', sa.Integer(), nullable=True),
    sa.Column('callback_id', sa.Integer(), nullable=True),
    sa.Column('booked_by_id', sa.Integer(), nullable=True),
    sa.Column('booked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('drop_off', 'waiter')", name=op.f('ck_appointments_known_kind')),
    sa.CheckConstraint("source IN ('desk', 'phone', 'online', 'callback')", name=op.f('ck_appointments_known_source')),
    sa.CheckConstraint("status IN ('booked', 'confirmed', 'arrived', 'no_show', 'cancelled')", name=op.f('ck_appointments_known_status')),
    sa.CheckConstraint('end_at > start_at', name=op.f('ck_appointments_ends_after_start')),
    sa.ForeignKeyConstraint(['booked_by_id'], ['users.id'], name=op.f('fk_appointments_booked_by_id_users')),
    sa.ForeignKeyConstraint(['callback_id'], ['callbacks.id'], name=op.f('fk_appointments_callback_id_callbacks')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_appointments_customer_id_customers')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_appointments_site_id_sites')),
    sa.ForeignKeyConstraint(['vehicle_id'], ['vehicles.id'], name=op.f('fk_appointments_vehicle_id_vehicles')),
    sa.ForeignKeyConstraint(['work_order_id'], ['work_orders.id'], name=op.f('fk_appointments_work_order_id_work_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointments'))
    )
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appointments_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index('ix_appointments_site_start', ['site_id', 'start_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_appointments_vehicle_id'), ['vehicle_id'], unique=False)

    op.create_table('appointment_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appointment_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('title_zh', sa.String(length=200), nullable=True),
    sa.Column('labor_hours', sa.BigInteger(), nullable=False),
    sa.Column('skill', sa.String(length=12), nullable=False),
    sa.Column('equipment', sa.String(length=20), nullable=True),
    sa.Column('canned_job_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("equipment IS NULL OR equipment IN ('alignment', 'paint_booth')", name=op.f('ck_appointment_jobs_known_equipment')),
    sa.CheckConstraint("skill IN ('maintenance', 'diagnosis', 'electrical', 'engine', 'chassis', 'body', 'paint')", name=op.f('ck_appointment_jobs_known_skill')),
    sa.CheckConstraint('labor_hours > 0', name=op.f('ck_appointment_jobs_hours_positive')),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointments.id'], name=op.f('fk_appointment_jobs_appointment_id_appointments')),
    sa.ForeignKeyConstraint(['canned_job_id'], ['canned_jobs.id'], name=op.f('fk_appointment_jobs_canned_job_id_canned_jobs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointment_jobs'))
    )
    with op.batch_alter_table('appointment_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appointment_jobs_appointment_id'), ['appointment_id'], unique=False)

    with op.batch_alter_table('canned_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('skill', sa.String(length=12), server_default='maintenance', nullable=False))
        batch_op.add_column(sa.Column('equipment', sa.String(length=20), nullable=True))
        batch_op.create_check_constraint(
            'known_skill',
            "skill IN ('maintenance', 'diagnosis', 'electrical', 'engine', 'chassis', 'body', 'paint')",
        )
        batch_op.create_check_constraint(
            'known_equipment', "equipment IS NULL OR equipment IN ('alignment', 'paint_booth')"
        )

    with op.batch_alter_table('dealer_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('bays', sa.Integer(), server_default='4', nullable=False))
        batch_op.add_column(sa.Column('equipment', sa.JSON(), server_default='{}', nullable=False))
        batch_op.add_column(sa.Column('walk_in_share', sa.BigInteger(), server_default='20', nullable=False))
        batch_op.create_check_constraint('bays_range', 'bays >= 0 AND bays <= 500')
        batch_op.create_check_constraint(
            'walk_in_share_range', 'walk_in_share >= 0 AND walk_in_share < 100'
        )

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('skills', sa.JSON(), server_default='[]', nullable=False))



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('skills')

    with op.batch_alter_table('dealer_settings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_dealer_settings_bays_range'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_dealer_settings_walk_in_share_range'), type_='check')
        batch_op.drop_column('walk_in_share')
        batch_op.drop_column('equipment')
        batch_op.drop_column('bays')

    with op.batch_alter_table('canned_jobs', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_canned_jobs_known_skill'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_canned_jobs_known_equipment'), type_='check')
        batch_op.drop_column('equipment')
        batch_op.drop_column('skill')

    with op.batch_alter_table('appointment_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appointment_jobs_appointment_id'))

    op.drop_table('appointment_jobs')
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appointments_vehicle_id'))
        batch_op.drop_index('ix_appointments_site_start')
        batch_op.drop_index(batch_op.f('ix_appointments_customer_id'))

    op.drop_table('appointments')
    with op.batch_alter_table('absences', schema=None) as batch_op:
        batch_op.drop_index('ix_absences_user_period')

    op.drop_table('absences')
