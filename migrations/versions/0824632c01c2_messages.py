"""The outbox: messages to customers as sent, the opt-outs they asked for, and the dealer's
quiet hours

Revision ID: 0824632c01c2
Revises: c0d2e4f6a8b1
Create Date: 2026-12-07 07:58:30.088255

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0824632c01c2'
down_revision = 'c0d2e4f6a8b1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('message_opt_outs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('said', sa.String(length=200), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("channel IN ('sms', 'email', 'wechat')", name=op.f('ck_message_opt_outs_known_channel')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_message_opt_outs_customer_id_customers')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_message_opt_outs_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_message_opt_outs_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message_opt_outs')),
    sa.UniqueConstraint('site_id', 'channel', 'address', name='uq_opt_outs_address')
    )
    with op.batch_alter_table('message_opt_outs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_message_opt_outs_customer_id'), ['customer_id'], unique=False)

    op.create_table('messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('work_order_id', sa.Integer(), nullable=True),
    sa.Column('event', sa.String(length=32), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('to_address', sa.String(length=200), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('provider_id', sa.String(length=120), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('queued_by_id', sa.Integer(), nullable=True),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('failed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("channel IN ('sms', 'email', 'wechat')", name=op.f('ck_messages_known_channel')),
    sa.CheckConstraint("event IN ('order_received', 'estimate_ready', 'authorization_needed', 'inspection_ready', 'ready_for_pickup', 'thank_you_survey', 'service_reminder', 'appointment_confirmed', 'appointment_reminder', 'holiday_greeting', 'birthday_greeting', 'verification_code')", name=op.f('ck_messages_known_event')),
    sa.CheckConstraint("status IN ('queued', 'sent', 'delivered', 'failed', 'suppressed')", name=op.f('ck_messages_known_status')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_messages_customer_id_customers')),
    sa.ForeignKeyConstraint(['queued_by_id'], ['users.id'], name=op.f('fk_messages_queued_by_id_users')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_messages_site_id_sites')),
    sa.ForeignKeyConstraint(['work_order_id'], ['work_orders.id'], name=op.f('fk_messages_work_order_id_work_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages'))
    )
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index('ix_messages_customer', ['customer_id', 'id'], unique=False)
        batch_op.create_index('ix_messages_status_due', ['status', 'due_at'], unique=False)
        batch_op.create_index('ix_messages_work_order', ['work_order_id'], unique=False)

    op.create_table(
        "message_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("from_address", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "channel IN ('sms', 'email', 'wechat')", name=op.f("ck_message_replies_known_channel")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_message_replies_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_message_replies_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_replies")),
    )
    with op.batch_alter_table("message_replies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_message_replies_customer_id"), ["customer_id"], unique=False
        )

    with op.batch_alter_table('dealer_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quiet_hours', sa.JSON(), server_default=sa.text('\'{"start": "21:00", "end": "08:00"}\''), nullable=False))



def downgrade():
    with op.batch_alter_table("message_replies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_message_replies_customer_id"))
    op.drop_table("message_replies")
    with op.batch_alter_table('dealer_settings', schema=None) as batch_op:
        batch_op.drop_column('quiet_hours')

    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index('ix_messages_work_order')
        batch_op.drop_index('ix_messages_status_due')
        batch_op.drop_index('ix_messages_customer')

    op.drop_table('messages')
    with op.batch_alter_table('message_opt_outs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_message_opt_outs_customer_id'))

    op.drop_table('message_opt_outs')
