"""Language and time zone for each request, and the formatting filters."""

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache

from babel import Locale, dates, numbers
from flask import g, has_request_context, request, session
from flask_babel import (
    get_locale,
    get_timezone,
    get_translations,
)
from flask_login import current_user

from dealer.models import LANGUAGES, DealerSettings
from dealer.phones import display_phone, mask_phone
from dealer.roles import PHONE_ROLES
from dealer.services import default_site, settings_for

_GLUE = re.compile(r"(\{[01]\})")
SIMPLIFIED = ("zh", "zh-cn", "zh-sg", "zh-hans", "zh-my")
TRADITIONAL = ("zh-tw", "zh-hk", "zh-mo", "zh-hant")


def language_for_header(accepted: list[tuple[str, float]]) -> str:
    """The language to show a visitor, from ``Accept-Language`` entries by preference.

    Babel's matchers turn a bare ``zh-CN`` into English, so Chinese tags are
    mapped here: simplified tags and bare ``zh`` to ``zh_Hans``; traditional
    ones are passed over, as no traditional catalogue exists.
    """
    for tag, quality in sorted(accepted, key=lambda item: -item[1]):
        tag = tag.lower().replace("_", "-")
        if quality <= 0:
            continue
        if tag.startswith(TRADITIONAL):
            continue
        if tag in SIMPLIFIED or tag.startswith(("zh-hans", "zh-cn", "zh-sg")):
            return "zh_Hans"
        if tag == "en" or tag.startswith("en-"):
            return "en"
    return "en"


def select_locale() -> str:
    """The signed-in user's language, else the one chosen on the login page, else the browser's.

    An API client that sends ``Accept-Language`` gets its answers in that language; a page
    for a customer (their link) is in the customer's language."""
    if has_request_context() and g.get("page_language") in LANGUAGES:
        return g.page_language
    actor = g.get("actor")
    if actor is not None:
        if (
            has_request_context()
            and request.path.startswith("/api/")
            and request.headers.get("Accept-Language")
        ):
            return language_for_header(list(request.accept_languages))
        return actor.language
    if not has_request_context():
        return "en"
    if current_user and current_user.is_authenticated:
        return current_user.language
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    return language_for_header(list(request.accept_languages))


def current_settings() -> DealerSettings:
    """The settings of the site the request works in."""
    if "settings" not in g:
        actor = g.get("actor")
        if actor is None and has_request_context() and current_user.is_authenticated:
            actor = current_user
        site_id = actor.site_id if actor is not None else default_site().id
        g.settings = settings_for(site_id)
    return g.settings


def select_timezone() -> str:
    """The dealer's time zone from settings."""
    return current_settings().time_zone


def qty(value: Decimal | None) -> str:
    """A quantity, hours or percentage as plain digits: 10, 4.5, 0.25 (never 1E+1)."""
    if value is None:
        return ""
    return format(Decimal(value).normalize(), "f")


def money(amount: Decimal | None) -> str:
    """An amount in the dealer's currency, formatted for the locale."""
    if amount is None:
        return ""
    return numbers.format_currency(
        amount, current_settings().currency, locale=_locale_and_zone()[0]
    )


def gettext(string: str, **variables) -> str:
    """Flask-Babel's ``gettext`` through this request's translations, looked up once per
    locale in force (a paper translates a few hundred labels)."""
    text = _translations().ugettext(string)
    return text % variables if variables else text


def localtime(moment, style: str = "short") -> str:
    """A time in the dealer's zone, formatted for the locale."""
    if not moment:
        return ""
    locale, zone = _locale_and_zone()
    return _pattern(str(locale), style, "datetime").apply(_in_zone(moment, zone), locale)


NAMED_STYLES = ("full", "long", "medium", "short")


@lru_cache(maxsize=64)
def _pattern(locale: str, style: str, kind: str) -> dates.DateTimePattern:
    """Babel's pattern for a date (``kind`` "date") or a date and time ("datetime") in one
    of the named styles or a pattern of its own, parsed once.

    Babel formats a named date-and-time style as the date and the time apart, then fills
    them into the locale's glue ("{1}, {0}"); here the glue's text is quoted into one
    pattern instead, which reads the same at a third of the cost (a page formats hundreds
    of times).
    """
    if style not in NAMED_STYLES:
        return dates.parse_pattern(style)
    parsed = Locale.parse(locale)
    date = dates.get_date_format(style, locale=parsed).pattern
    if kind == "date":
        return dates.parse_pattern(date)
    time = dates.get_time_format(style, locale=parsed).pattern
    glue = dates.get_datetime_format(style, locale=parsed).replace("'", "")
    parts = {"{0}": time, "{1}": date}
    pattern = []
    for piece in _GLUE.split(glue):
        if piece in parts:
            pattern.append(parts[piece])
        elif piece:
            pattern.append(f"'{piece}'")
    return dates.parse_pattern("".join(pattern))


def _in_zone(moment: datetime, zone) -> datetime:
    """``moment`` in ``zone``, a moment without a zone being UTC (as Babel takes it)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        moment = moment.astimezone(zone)
    except OverflowError:
        return moment
    return zone.normalize(moment) if hasattr(zone, "normalize") else moment


def _locale_and_zone():
    """The locale and time zone in force, as Flask-Babel keeps them for the request (a
    page formats hundreds of times; ``force_locale`` swaps the locale kept)."""
    state = g.get("_flask_babel")
    locale = getattr(state, "babel_locale", None)
    zone = getattr(state, "babel_tzinfo", None)
    if locale is None or zone is None:
        return get_locale(), get_timezone()
    return locale, zone


def localdate(day, style: str = "medium") -> str:
    """A date formatted for the locale; a moment's date in the dealer's zone."""
    if not day:
        return ""
    locale, zone = _locale_and_zone()
    if isinstance(day, datetime):
        day = _in_zone(day, zone).date()
    return _pattern(str(locale), style, "date").apply(day, locale)


def phone(e164: str | None) -> str:
    """A phone number masked (138****5678): shown in full only on request, which is logged."""
    if not e164:
        return ""
    return mask_phone(e164)


def phone_full(e164: str | None) -> str:
    """A phone number in full for roles that need it (the call list, a logged request)."""
    if not e164:
        return ""
    if current_user.is_authenticated and current_user.has_role(*PHONE_ROLES):
        return display_phone(e164, current_settings().phone_region)
    return mask_phone(e164)


def html_lang() -> str:
    """The ``lang`` attribute of the page."""
    return "zh-Hans" if str(get_locale()) == "zh_Hans" else "en"


def _translations():
    """This request's translations, looked up once per locale in force (``force_locale``
    swaps the locale, and with it the translations)."""
    state = g.get("_flask_babel")
    locale = getattr(state, "babel_locale", None)
    cached = getattr(state, "page_translations", None)
    if cached is not None and cached[0] is locale and locale is not None:
        return cached[1]
    translations = get_translations()
    state = g._flask_babel
    state.page_translations = (getattr(state, "babel_locale", None), translations)
    return translations


def install_template_gettext(app) -> None:
    """Templates translate through :func:`_translations`: a page calls gettext hundreds of
    times, and Flask-Babel's own lookup costs tens of microseconds each time."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True,
    )


class Translated(Mapping):
    """Lazy labels as one page reads them: each translated the first time it is asked for,
    then kept as plain text for the rest of the page.

    A lazy label printed in a template is translated twice each time (once to see whether
    it is markup, once to print it); a list of a hundred rows printed its status a few
    hundred times. Make one per page, in the locale the page is written in.
    """

    __slots__ = ("_done", "_labels")

    def __init__(self, labels: Mapping):
        self._labels = labels
        self._done: dict = {}

    def __getitem__(self, key):
        try:
            return self._done[key]
        except KeyError:
            text = self._done[key] = str(self._labels[key])
            return text

    def __iter__(self):
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)


def in_language(record, field: str = "title") -> str:
    """A record's ``field`` in the reader's language: its Chinese twin (``title_zh``,
    ``name_zh``) on a Chinese page when the record has one, the field itself otherwise."""
    if str(get_locale()) == "zh_Hans":
        chinese = getattr(record, f"{field}_zh", None)
        if chinese:
            return chinese
    return getattr(record, field)
