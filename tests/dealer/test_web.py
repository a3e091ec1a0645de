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
