"""Every route declares who may use it, and the server enforces it for anonymous users."""

import re

import pytest

PUBLIC = {
    "dealer.login",
    "dealer.choose_language",
    "dealer.healthz",
    "dealer.readyz",
    "dealer_api.openapi",
    "static",
    "links.page",
    "links.decide",
    "links.answer",
    "links.photo",
    "links.settlement",
    "links.inspection_photo",
    "care_api.get_link",
    "care_api.post_link_decision",
    "care_api.post_verify",
    "care_api.post_online_appointment",
    "booking.start",
    "booking.verify",
    "booking.times",
    "booking.manage",
    "booking.cancel",
    "booking.again",
}
SIGNED = {"webhooks.sms_status", "webhooks.sms_inbound"}
"""Open to the gateway that signs its body with the shared secret, refused to anyone else."""


def test_every_route_declares_its_roles(app):
    undeclared = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        declared = getattr(view, "allowed_roles", None)
        if rule.endpoint == "static":
            continue
        if declared is None:
            undeclared.append(rule.endpoint)
        elif declared == "public":
            assert rule.endpoint in PUBLIC | SIGNED, f"{rule.endpoint} is public but not listed"
    assert undeclared == []


def concrete(rule) -> str:
    """A URL matching ``rule``: 1 for numbers, the first choice of an ``any(...)``."""
    path = re.sub(r"<int:\w+>", "1", rule.rule)
    path = re.sub(r"<any\(([^,)]+)[^>]*\):\w+>", lambda m: m.group(1).strip("'\" "), path)
    return re.sub(r"<\w+>", "x", path)


def test_anonymous_users_are_kept_out_everywhere(app, client):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC:
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = client.open(concrete(rule), method=method)
            if rule.endpoint in SIGNED:
                assert response.status_code == 403, (method, rule.rule)
            elif rule.rule.startswith("/api/"):
                assert response.status_code == 401, (method, rule.rule)
            elif method == "GET":
                assert response.status_code == 302, (method, rule.rule)
                assert response.headers["Location"].startswith("/login")
            else:
                assert response.status_code in (302, 400), (method, rule.rule)


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_endpoints(client, path):
    response = client.get(path)
    assert response.status_code == 200 and response.get_data(as_text=True) == "ok"


def test_security_headers(client):
    response = client.get("/login")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
