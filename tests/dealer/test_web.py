"""Helpers the pages share."""

import pytest

from dealer.web import csrf_field, options_by_selection


def test_options_are_rendered_once_per_selection_and_escaped():
    options = options_by_selection([(0, "Shared pool"), (7, "<b>Li & Wang</b>"), (9, "Sun")])
    assert set(options) == {0, 7, 9}
    assert str(options[7]) == (
        '<option value="0">Shared pool</option>'
        '<option value="7" selected>&lt;b&gt;Li &amp; Wang&lt;/b&gt;</option>'
        '<option value="9">Sun</option>'
    )
    assert str(options[0]).count("selected") == 1
    assert str(options[0]).startswith('<option value="0" selected>')


def test_the_csrf_input_is_made_once_per_request(app):
    with app.test_request_context("/"):
        first = csrf_field()
        assert 'name="csrf_token"' in first and first is csrf_field()
    with app.test_request_context("/"):
        assert 'name="csrf_token"' in csrf_field()


def test_a_long_list_is_counted_only_a_few_pages_ahead(app, monkeypatch):
    from sqlalchemy import select

    from customers.models import Customer
    from dealer import web
    from tests.factories import make_customer

    for n in range(10):
        make_customer(name=f"Customer {n:02d}")
    monkeypatch.setattr(web, "PAGES_COUNTED_AHEAD", 1)
    stmt = select(Customer).order_by(Customer.name)
    seen = {}
    for page in (1, 3, 5):
        with app.test_request_context(f"/?page={page}"):
            pagination = web.paginate(stmt, 2)
            seen[page] = (pagination.total, pagination.more, pagination.pages, pagination.has_next)
            assert [c.name for c in pagination.items] == [
                f"Customer {n:02d}" for n in (2 * page - 2, 2 * page - 1)
            ]
    assert seen[1] == (4, True, 2, True)
    assert seen[3] == (8, True, 4, True)
    assert seen[5] == (10, False, 5, False)


def test_the_pager_says_more_than_when_it_stopped_counting(app, login, client, monkeypatch):
    from dealer import web
    from tests.factories import make_customer

    for n in range(60):
        make_customer(name=f"Customer {n:02d}")
    monkeypatch.setattr(web, "PAGES_COUNTED_AHEAD", 1)
    login("advisor")
    page = client.get("/customers").get_data(as_text=True)
    assert "Page 1 of more than 2" in page and "More than 50 customers" in page
    last = client.get("/customers?page=3").get_data(as_text=True)
    assert "Page 3 of 3" in last and "more than" not in last


def test_the_main_menu_follows_the_roles_and_the_language(app):
    from tests.conftest import sign_in
    from tests.factories import make_user

    technician = make_user(roles=["technician"], language="en")
    manager = make_user(roles=["manager"], language="zh_Hans")
    menus = {}
    for user in (technician, manager, technician):
        client = app.test_client()
        sign_in(client, user.username)
        page = client.get("/account").get_data(as_text=True)
        menus.setdefault(user.username, []).append(
            page[page.index("me-auto") : page.index("/account")]
        )
    tech_menu, manager_menu = menus[technician.username][0], menus[manager.username][0]
    assert menus[technician.username][0] == menus[technician.username][1]
    assert "Job board" in tech_menu and "Customers" not in tech_menu and "/audit" not in tech_menu
    assert (
        "/audit" in manager_menu and "审计日志" in manager_menu and "Job board" not in manager_menu
    )


def test_a_submitted_form_commits_once_or_leaves_nothing_and_names_the_field(app):
    from flask import get_flashed_messages

    from dealer.errors import DomainError
    from dealer.extensions import db
    from dealer.models import Site
    from dealer.web import submitted

    class Form:
        class Field:
            type = "StringField"
            errors: list = []

        code = Field()

    with app.test_request_context("/"):
        with submitted() as done:
            db.session.add(Site(code="N1", name="North"))
        assert done
        form = Form()
        with submitted(form) as refused:
            db.session.add(Site(code="N2", name="South"))
            raise DomainError("Choose another code.", "code")
        assert not refused
        assert form.code.errors == ["Choose another code."]
        with submitted() as flashed:
            raise DomainError("Not now.", "version")
        assert not flashed and get_flashed_messages() == ["Not now."]
        with pytest.raises(ZeroDivisionError), submitted():
            db.session.add(Site(code="N3", name="East"))
            raise ZeroDivisionError
        db.session.rollback()
        codes = set(db.session.scalars(db.select(Site.code)))
    assert "N1" in codes and "N2" not in codes and "N3" not in codes
