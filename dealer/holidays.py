"""The working calendar: public holidays the workshop is closed on and make-up working days
(调休) it opens on, kept per site in Settings. China's official list for a year can be
imported from the State Council's notice, shipped in ``calendars/cn.json``.

Working time (``dealer.workhours``) reads the calendar, so promised times, callback retries
and complaint deadlines skip a holiday and count a make-up Saturday.
"""

import json
from datetime import date
from functools import cache
from pathlib import Path

from flask_babel import lazy_gettext as _l

from dealer.errors import DomainError
from dealer.extensions import db
from dealer.models import DealerSettings, User
from dealer.services import require_manager

OFFICIAL = Path(__file__).with_name("calendars")


@cache
def official_calendars(country: str = "cn") -> dict:
    """The official lists shipped with the product, by year."""
    path = OFFICIAL / f"{country}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def parse_days(text: str, field: str) -> list[str]:
    """Dates typed one a line or separated by commas or spaces, as sorted ISO dates."""
    days, bad = set(), []
    for word in (text or "").replace(",", " ").replace("，", " ").split():
        try:
            days.add(date.fromisoformat(word).isoformat())
        except ValueError:
            bad.append(word)
    if bad:
        raise DomainError(_l("Write dates as YYYY-MM-DD: %(bad)s", bad=", ".join(bad[:5])), field)
    if len(days) > 1000:
        raise DomainError(_l("At most 1000 dates."), field)
    return sorted(days)


def set_calendar(
    actor: User | None, settings: DealerSettings, *, holidays: str, workdays: str
) -> dict:
    """Keep the site's public holidays and make-up working days; a day is not both."""
    require_manager(actor)
    errors = []
    parsed = {}
    for name, text in (("holidays", holidays), ("workdays", workdays)):
        try:
            parsed[name] = parse_days(text, name)
        except DomainError as exc:
            errors.extend(exc.errors)
    if errors:
        raise DomainError(errors)
    both = sorted(set(parsed["holidays"]) & set(parsed["workdays"]))
    if both:
        raise DomainError(
            _l("A day is a holiday or a working day, not both: %(days)s", days=", ".join(both)),
            "workdays",
        )
    settings.calendar = parsed
    db.session.flush()
    return parsed


def import_official(
    actor: User | None, settings: DealerSettings, year: int, country: str = "cn"
) -> dict:
    """Add a year's official holidays and make-up working days to the site's calendar."""
    official = official_calendars(country).get(str(year))
    if official is None:
        raise DomainError(_l("No official calendar for %(year)s is known.", year=year), "year")
    current = settings.calendar or {}
    return set_calendar(
        actor,
        settings,
        holidays=" ".join(sorted({*current.get("holidays", []), *official["holidays"]})),
        workdays=" ".join(sorted({*current.get("workdays", []), *official["workdays"]})),
    )
