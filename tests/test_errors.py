"""In production a failure shows a generic page: no traceback, no detail of the error, and
debug mode off unless asked for."""

from dealer import create_app
from tests.conftest import app_config, sign_in
from tests.factories import make_user


def test_an_unexpected_error_shows_a_generic_page_and_logs_the_detail(
    database_url, _schema, caplog
):
    app = create_app(app_config(database_url, TESTING=False))
    assert app.debug is False and app.config["PROPAGATE_EXCEPTIONS"] is None

    def broken():
        raise RuntimeError("secret detail: /etc/passwd and the customer's phone 13800138000")

    app.add_url_rule("/broken", "broken", broken)
    app.add_url_rule("/api/v1/broken", "broken_api", broken)
    with app.app_context():
        client = app.test_client()
        make_user(username="viewer", roles=["advisor"])
        sign_in(client, "viewer")
        page = client.get("/broken")
        api = client.get("/api/v1/broken")
    assert page.status_code == 500 and api.status_code == 500
    text = page.get_data(as_text=True)
    assert "secret detail" not in text and "Traceback" not in text and "RuntimeError" not in text
    assert "Something went wrong on our side" in text
    assert api.mimetype == "application/problem+json"
    assert "secret" not in api.get_data(as_text=True)
    assert "secret detail" in caplog.text
