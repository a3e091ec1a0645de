"""Languages: the browser's choice at login, the user's after; catalogues complete."""

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale

from dealer.config import ROOT
from dealer.i18n import in_language, language_for_header
from tests.conftest import csrf_token
from tests.factories import make_user


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ([("zh-CN", 1)], "zh_Hans"),
        ([("zh", 1)], "zh_Hans"),
        ([("zh-SG", 1)], "zh_Hans"),
        ([("zh-Hans-CN", 1)], "zh_Hans"),
        ([("zh_CN", 1)], "zh_Hans"),
        ([("zh-TW", 1), ("en", 0.5)], "en"),
        ([("en-US", 1), ("zh-CN", 0.8)], "en"),
        ([("fr-FR", 1), ("zh-CN", 0.3)], "zh_Hans"),
        ([("de", 1)], "en"),
        ([], "en"),
    ],
)
def test_browser_language_mapping(header, expected):
    assert language_for_header(header) == expected


def test_login_page_follows_the_browser(client):
    chinese = client.get("/login", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).get_data(
        as_text=True
    )
    assert "登录" in chinese and 'lang="zh-Hans"' in chinese
    english = client.get("/login", headers={"Accept-Language": "en-GB"}).get_data(as_text=True)
    assert "Sign in" in english


def test_language_can_be_chosen_on_the_login_page(client):
    token = csrf_token(client)
    client.post("/language", data={"language": "zh_Hans", "csrf_token": token, "next": "/login"})
    assert "登录" in client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_signed_in_user_sees_their_language(app, client):
    from tests.conftest import sign_in

    make_user(username="lizh", language="zh_Hans", roles=["advisor"])
    sign_in(client, "lizh")
    page = client.get("/customers", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "登记新客户" in page


def test_money_and_dates_follow_the_locale(app):
    from datetime import UTC, datetime
    from decimal import Decimal

    from flask_babel import force_locale

    from dealer.i18n import localtime, money

    with app.test_request_context():
        with force_locale("en"):
            assert money(Decimal("1234.5")) == "CN¥1,234.50"
        with force_locale("zh_Hans"):
            assert money(Decimal("1234.5")) == "¥1,234.50"
            assert localtime(datetime(2026, 3, 1, 1, 30, tzinfo=UTC)).endswith("09:30")


def catalogue(language: str):
    with open(ROOT / "translations" / language / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=language)


def test_chinese_catalogue_is_complete():
    untranslated = [
        m.id
        for m in catalogue("zh_Hans")
        if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)) or m.fuzzy)
    ]
    assert untranslated == []


def test_catalogue_holds_every_string_in_the_code(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            str(Path(sys.executable).with_name("pybabel")),
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-k",
            "N_",
            "--no-location",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
    )
    with open(pot, "rb") as f:
        in_code = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue("zh_Hans") if m.id}
    assert sorted(in_code - translated) == []


def test_quantities_are_plain_digits():
    from decimal import Decimal

    from dealer.i18n import qty

    assert qty(Decimal("10.000")) == "10"
    assert qty(Decimal("4.500")) == "4.5"
    assert qty(Decimal("0.250")) == "0.25"
    assert qty(Decimal("1E+3")) == "1000"
    assert qty(None) == ""


@pytest.mark.parametrize("language", ["en", "zh_Hans"])
@pytest.mark.parametrize("zone_name", ["Asia/Shanghai", "America/New_York"])
def test_dates_read_as_babel_writes_them(app, language, zone_name):
    from datetime import UTC, date, datetime, timedelta

    from babel import dates
    from flask_babel import force_locale

    from dealer.i18n import localdate, localtime

    moments = [
        datetime(2026, 12, 31, 23, 59, tzinfo=UTC),  # a week-based year would say 2027
        datetime(2026, 12, 31, 15, 59, tzinfo=UTC),
        datetime(2027, 1, 1, 0, 30, tzinfo=UTC),
        datetime(2026, 3, 8, 6, 59, tzinfo=UTC),  # New York's clocks go forward at 7:00
        datetime(2026, 3, 8, 7, 1, tzinfo=UTC),
        datetime(2026, 11, 1, 5, 30, tzinfo=UTC),
        datetime(2026, 11, 1, 6, 30, tzinfo=UTC),
        datetime(2026, 7, 4, 12, 0),  # without a zone: UTC
    ]
    moments += [
        datetime(2025, 1, 1, 3, 17, tzinfo=UTC) + timedelta(hours=37 * i) for i in range(60)
    ]
    with app.test_request_context(), force_locale(language):
        from flask_babel import get_timezone

        zone = dates.get_timezone(zone_name)
        from flask import g

        g._flask_babel.babel_tzinfo = zone
        assert get_timezone() is zone
        for moment in moments:
            for style in ("short", "medium", "long", "full", "yyyy-MM-dd'T'HH:mm"):
                assert localtime(moment, style) == dates.format_datetime(
                    moment, style, tzinfo=zone, locale=language
                ), (moment, style)
            for style in ("short", "medium", "long", "full"):
                aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
                assert localdate(moment, style) == dates.format_date(
                    aware.astimezone(zone).date(), style, locale=language
                )
        assert localdate(date(2026, 12, 31), "medium") == dates.format_date(
            date(2026, 12, 31), "medium", locale=language
        )
        assert localtime(None) == "" and localdate(None) == ""


def test_words_between_date_and_time_stay_words(app, monkeypatch):
    """Some locales join the date and the time with words ("{1} 'at' {0}"): those letters are
    text, not parts of the pattern."""
    from datetime import UTC, datetime

    from babel import dates
    from flask_babel import force_locale

    from dealer import i18n

    monkeypatch.setattr(dates, "get_datetime_format", lambda style, locale: "{1} 'at' {0}")
    i18n._pattern.cache_clear()
    moment = datetime(2026, 5, 1, 3, 4, tzinfo=UTC)
    try:
        with app.test_request_context(), force_locale("en"):
            zone = i18n._locale_and_zone()[1]
            expected = dates.format_datetime(moment, "short", tzinfo=zone, locale="en")
            assert expected.startswith("5/1/26 at 11:04")
            assert i18n.localtime(moment) == expected
    finally:
        i18n._pattern.cache_clear()


def test_labels_are_translated_once_per_page(app):
    from flask_babel import force_locale
    from flask_babel import lazy_gettext as _l

    from dealer.i18n import Translated

    asked = []
    labels = {"ready": _l("Ready"), "intake": _l("Intake")}
    with app.test_request_context():
        with force_locale("zh_Hans"):
            page = Translated(labels)
            real = labels["ready"]._func
            labels["ready"]._func = lambda *a, **k: asked.append(1) or real(*a, **k)
            assert [page["ready"], page["ready"], page.get("intake")] == [
                "待交车",
                "待交车",
                "接车",
            ]
            assert asked == [1] and type(page["ready"]) is str
            assert list(page) == ["ready", "intake"] and len(page) == 2
            assert page.get("unknown", "unknown") == "unknown" and "ready" in page
        with force_locale("en"):
            assert Translated(labels)["ready"] == "Ready"


def test_papers_translate_in_the_locale_in_force(app):
    from flask_babel import force_locale
    from flask_babel import gettext as babel_gettext

    from dealer.i18n import gettext

    with app.test_request_context():
        for language in ("zh_Hans", "en", "zh_Hans"):
            with force_locale(language):
                assert gettext("Customer copy") == babel_gettext("Customer copy")
                assert gettext("Bin %(bin)s", bin="A-1") == babel_gettext("Bin %(bin)s", bin="A-1")
        with force_locale("zh_Hans"):
            assert gettext("Customer copy") != "Customer copy"


def test_a_record_reads_in_the_readers_language_where_it_has_both(app):
    job = SimpleNamespace(title="Front brake pads", title_zh="更换前刹车片")
    plain = SimpleNamespace(title="Check the rattle", title_zh=None)
    line = SimpleNamespace(name="Oil filter", name_zh="机油滤清器")
    with app.test_request_context(), force_locale("zh_Hans"):
        assert in_language(job) == "更换前刹车片"
        assert in_language(plain) == "Check the rattle"
        assert in_language(line, "name") == "机油滤清器"
    with app.test_request_context(), force_locale("en"):
        assert in_language(job) == "Front brake pads"
        assert in_language(line, "name") == "Oil filter"


def test_every_package_is_read_for_strings():
    from tests.test_floors import FLOORS

    read = Path("babel.cfg").read_text()
    assert [p for p in FLOORS if f"[python: {p}/**.py]" not in read] == []
