"""The intake's standard belongings are kept as codes and translated when shown

Revision ID: b9d1f3a5c7e2
Revises: a7e9c1d3f5b7
Create Date: 2026-12-07 05:00:00

The intake page used to store a standard belonging as its label in the advisor's language
("Spare wheel", "备胎"); it now stores the code ("spare_wheel"), which pages and papers show
in the reader's language. Belongings typed by hand stay as typed. The labels are copied
here as they were: migrations never import the application.
"""

import sqlalchemy as sa
from alembic import op

revision = "b9d1f3a5c7e2"
down_revision = "a7e9c1d3f5b7"
branch_labels = None
depends_on = None

LABELS = {
    "spare_wheel": ("Spare wheel", "备胎"),
    "jack_and_tools": ("Jack and tools", "千斤顶和随车工具"),
    "floor_mats": ("Floor mats", "脚垫"),
    "first_aid_kit": ("First-aid kit", "急救包"),
    "warning_triangle": ("Warning triangle", "三角警示牌"),
    "charging_cable": ("Charging cable", "充电线"),
}


def _rewrite(convert) -> None:
    """Convert each belonging of the intake records, and of the versions the customers
    acknowledged (kept whole in their ``record``)."""
    conn = op.get_bind()
    inspections = sa.table(
        "inspections", sa.column("id", sa.Integer), sa.column("belongings", sa.JSON)
    )
    for row_id, belongings in conn.execute(sa.select(inspections.c.id, inspections.c.belongings)):
        changed = [convert(item) for item in belongings or []]
        if changed != (belongings or []):
            conn.execute(
                inspections.update().where(inspections.c.id == row_id).values(belongings=changed)
            )
    versions = sa.table(
        "inspection_versions", sa.column("id", sa.Integer), sa.column("record", sa.JSON)
    )
    for row_id, record in conn.execute(sa.select(versions.c.id, versions.c.record)):
        belongings = (record or {}).get("belongings") or []
        changed = [convert(item) for item in belongings]
        if changed != belongings:
            conn.execute(
                versions.update()
                .where(versions.c.id == row_id)
                .values(record={**record, "belongings": changed})
            )


def upgrade():
    codes = {label: code for code, labels in LABELS.items() for label in labels}
    _rewrite(lambda item: codes.get(item, item))


def downgrade():
    _rewrite(lambda item: LABELS[item][0] if item in LABELS else item)
