"""Helpers the pages share."""

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
