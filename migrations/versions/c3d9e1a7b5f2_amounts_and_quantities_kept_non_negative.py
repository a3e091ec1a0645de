"""Amounts and quantities kept non-negative by the database

Revision ID: c3d9e1a7b5f2
Revises: f52a8269daa1
Create Date: 2026-12-02 06:50:00.000000

"""

from alembic import op


revision = "c3d9e1a7b5f2"
down_revision = "f52a8269daa1"
branch_labels = None
depends_on = None

CHECKS = {
    "work_orders": {
        "amounts_positive": "authorized_amount >= 0 AND labor_rate >= 0 AND not_to_exceed >= 0"
        " AND tax_rate >= 0 AND tax_rate < 10000",
        "figures_positive": "final_total >= 0 AND hours_sold >= 0 AND parts_sales >= 0"
        " AND parts_cost >= 0 AND declined_value >= 0 AND first_approved >= 0",
    },
    "authorizations": {"amount_positive": "amount >= 0"},
    "part_lines": {"returned_positive": "returned_quantity >= 0"},
    "jobs": {"sublet_positive": "sublet_cost >= 0 AND sublet_price >= 0"},
    "parts": {"reorder_positive": "reorder_point >= 0 AND reorder_quantity >= 0"},
    "dealer_settings": {
        "discount_limit_range": "discount_limit_percent >= 0 AND discount_limit_percent <= 10000"
    },
    "customers": {"spend_positive": "spend_12m >= 0 AND lifetime_spend >= 0"},
    "stock_movements": {"unit_cost_positive": "unit_cost >= 0"},
}


def upgrade():
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, condition in checks.items():
                batch_op.create_check_constraint(op.f(f"ck_{table}_{name}"), condition)


def downgrade():
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in checks:
                batch_op.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")
