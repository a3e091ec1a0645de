"""Staff absences as a manager records them (leave, training, sick): the booking diary
leaves a technician's absent hours out of the workshop's capacity."""

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from dealer.errors import DomainError
from dealer.extensions import db
from dealer.models import Absence, User
from dealer.services import require_manager_of
from dealer.types import utcnow

LONGEST = timedelta(days=366)


def add_absence(
    actor: User, user: User, starts_at: datetime, ends_at: datetime, reason: str | None = None
) -> Absence:
    """Record that ``user`` is away from ``starts_at`` to ``ends_at`` (not committed)."""
    require_manager_of(actor, user)
    errors = []
    if ends_at <= starts_at:
        errors.append(("ends_at", _l("The absence ends after it starts.")))
    elif ends_at - starts_at > LONGEST:
        errors.append(("ends_at", _l("At most a year at a time.")))
    if ends_at <= utcnow():
        errors.append(("ends_at", _l("Record absences that have not ended yet.")))
    reason = (reason or "").strip()
    if len(reason) > 200:
        errors.append(("reason", _l("At most %(n)s characters.", n=200)))
    if errors:
        raise DomainError(errors)
    absence = Absence(
        site_id=user.site_id,
        user_id=user.id,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason or None,
        recorded_by_id=actor.id if actor else None,
    )
    db.session.add(absence)
    db.session.flush()
    return absence


def remove_absence(actor: User, absence: Absence) -> None:
    """Take back an absence recorded by mistake (not committed)."""
    require_manager_of(actor, absence.user)
    db.session.delete(absence)
    db.session.flush()


def upcoming(user_id: int) -> list[Absence]:
    """The person's absences that have not ended, soonest first."""
    return list(
        db.session.scalars(
            select(Absence)
            .where(Absence.user_id == user_id, Absence.ends_at > utcnow())
            .order_by(Absence.starts_at)
        )
    )
