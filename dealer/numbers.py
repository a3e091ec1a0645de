"""Human-friendly numbers, unique per year, safe when two desks ask at the same moment.

The next value comes from one ``INSERT ... ON CONFLICT DO UPDATE ...
RETURNING`` statement: the database serializes it on both SQLite and
PostgreSQL, so no two callers ever get the same number and no lock has
to be taken by hand.
"""

from sqlalchemy.dialects import postgresql, sqlite

from dealer.extensions import db
from dealer.models import NumberSequence


def next_number(site_id: int, series: str, year: int) -> int:
    """The next value of ``series`` for ``year`` at a site, starting at 1."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(NumberSequence).values(site_id=site_id, series=series, year=year, last_value=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=["site_id", "series", "year"],
        set_={"last_value": NumberSequence.last_value + 1},
    ).returning(NumberSequence.last_value)
    return db.session.execute(stmt).scalar_one()


def format_number(series: str, year: int, value: int) -> str:
    """``WO-2026-000123``."""
    return f"{series}-{year}-{value:06d}"
