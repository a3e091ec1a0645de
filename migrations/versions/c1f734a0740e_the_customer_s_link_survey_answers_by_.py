"""The customer's link, survey answers by link, the dealer's message texts, VIP care by message

Revision ID: c1f734a0740e
Revises: 0824632c01c2
Create Date: 2026-12-07 15:15:29.145454

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c1f734a0740e'
down_revision = '0824632c01c2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('public_hits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bucket', sa.String(length=80), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_hits'))
    )
    with op.batch_alter_table('public_hits', schema=None) as batch_op:
        batch_op.create_index('ix_public_hits_bucket_at', ['bucket', 'at'], unique=False)

    op.create_table('message_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('event', sa.String(length=32), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("event IN ('order_received', 'estimate_ready', 'authorization_needed', 'inspection_ready', 'ready_for_pickup', 'thank_you_survey', 'service_reminder', 'appointment_confirmed', 'appointment_reminder', 'holiday_greeting', 'birthday_greeting', 'verification_code')", name=op.f('ck_message_templates_known_event')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_message_templates_site_id_sites')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_message_templates_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message_templates')),
    sa.UniqueConstraint('site_id', 'event', 'language', name='uq_message_templates_event')
    )
    op.create_table('customer_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('work_order_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_customer_links_created_by_id_users')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_customer_links_site_id_sites')),
    sa.ForeignKeyConstraint(['work_order_id'], ['work_orders.id'], name=op.f('fk_customer_links_work_order_id_work_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_customer_links_token_hash'))
    )
    with op.batch_alter_table('customer_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_links_work_order_id'), ['work_order_id'], unique=False)

    with op.batch_alter_table('authorizations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('user_agent', sa.String(length=300), nullable=True))
        batch_op.drop_constraint(batch_op.f('ck_authorizations_known_method'), type_='check')
        batch_op.create_check_constraint(
            'known_method', "method IN ('in_person', 'phone', 'link')"
        )

    with op.batch_alter_table('call_attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('via', sa.String(length=10), server_default='call', nullable=False))
        batch_op.alter_column('user_id',
               existing_type=sa.INTEGER(),
               nullable=True)

    with op.batch_alter_table('dealer_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('care_contact', sa.String(length=8), server_default='call', nullable=False))
        batch_op.add_column(sa.Column('order_messages', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.create_check_constraint(
            'known_care_contact', "care_contact IN ('call', 'message', 'both')"
        )



def downgrade():
    with op.batch_alter_table('dealer_settings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_dealer_settings_known_care_contact'), type_='check')
        batch_op.drop_column('care_contact')
        batch_op.drop_column('order_messages')

    with op.batch_alter_table('call_attempts', schema=None) as batch_op:
        batch_op.alter_column('user_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('via')

    with op.batch_alter_table('authorizations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_authorizations_known_method'), type_='check')
        batch_op.create_check_constraint('known_method', "method IN ('in_person', 'phone')")
        batch_op.drop_column('user_agent')
        batch_op.drop_column('address')

    with op.batch_alter_table('customer_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_links_work_order_id'))

    op.drop_table('customer_links')
    op.drop_table('message_templates')
    with op.batch_alter_table('public_hits', schema=None) as batch_op:
        batch_op.drop_index('ix_public_hits_bucket_at')

    op.drop_table('public_hits')
