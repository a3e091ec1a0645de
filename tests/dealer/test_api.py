"""The API base: tokens, problems, the OpenAPI document, settings, decimals."""

import re
from decimal import Decimal

import pytest
from pydantic import ValidationError

from dealer import services
from dealer.apikit import Input, MoneyIn
from dealer.extensions import db
from tests.factories import make_user


def test_bad_and_revoked_tokens_are_401(client, app):
    assert client.get("/api/v1/settings").status_code == 401
    bad = client.get("/api/v1/settings", headers={"Authorization": "Bearer sd_nonsense"})
    assert bad.status_code == 401 and bad.mimetype == "application/problem+json"
    assert bad.headers["WWW-Authenticate"].startswith("Bearer")
    user = make_user(roles=["advisor"])
    _, plain = services.create_token(user)
    db.session.commit()
    headers = {"Authorization": f"Bearer {plain}"}
    assert client.get("/api/v1/settings", headers=headers).status_code == 200
    services.revoke_tokens(user)
    db.session.commit()
    assert client.get("/api/v1/settings", headers=headers).status_code == 401


def test_token_of_deactivated_user_is_401(client, app):
    user = make_user(roles=["advisor"])
    _, plain = services.create_token(user)
    db.session.commit()
    services.set_active(None, user, False)
    db.session.commit()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"}).status_code == 401


def test_tokens_are_stored_only_as_sha256(app):
    user = make_user()
    token, plain = services.create_token(user)
    assert plain not in token.token_hash
    assert token.token_hash == services.token_digest(plain) and len(token.token_hash) == 64


def test_browser_session_does_not_authorize_the_api(login, client):
    login("manager")
    assert client.get("/api/v1/settings").status_code == 401


def test_settings_endpoint(client, token_for):
    response = client.get("/api/v1/settings", headers=token_for("technician"))
    assert response.status_code == 200
    body = response.json
    assert body["tax_rate"] == "0.13"
    assert body["labor_rate"] == "200.00"
    assert body["currency"] == "CNY" and body["time_zone"] == "Asia/Shanghai"
    assert body["working_hours"]["mon"] == [["08:30", "17:30"]]


def test_me(client, token_for):
    body = client.get("/api/v1/me", headers=token_for("parts", "callback")).json
    assert body["roles"] == ["callback", "parts"]


def test_unknown_api_path_and_method_are_problems(client, token_for):
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    wrong = client.delete("/api/v1/customers", headers=token_for("manager"))
    assert wrong.status_code == 405 and wrong.mimetype == "application/problem+json"


def test_money_is_never_read_through_float():
    class Body(Input):
        amount: MoneyIn

    assert Body.model_validate({"amount": "12.30"}).amount == Decimal("12.30")
    assert Body.model_validate({"amount": Decimal("0.1")}).amount == Decimal("0.1")
    for bad in (0.1, "1e5", "twelve", ""):
        with pytest.raises(ValidationError):
            Body.model_validate({"amount": bad})


def test_openapi_describes_every_api_route(client, app):
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.1")
    documented = {(path, method.upper()) for path, ops in doc["paths"].items() for method in ops}
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") and rule.endpoint != "dealer_api.openapi":
            path = re.sub(r"<(?:[^:>]+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
            served |= {(path, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert served == documented
    create = doc["paths"]["/customers"]["post"]
    schema_name = create["requestBody"]["content"]["application/json"]["schema"]["$ref"].split("/")[
        -1
    ]
    assert "name" in doc["components"]["schemas"][schema_name]["required"]
    assert create["x-roles"] == ["advisor", "manager"]
    assert "201" in create["responses"] and "422" in create["responses"]
    listing = doc["paths"]["/customers"]["get"]["responses"]["200"]["content"]["application/json"]
    assert set(listing["schema"]["required"]) == {"items", "page", "per_page", "total"}
    labor = doc["components"]["schemas"]["SettingsOut"]["properties"]["labor_rate"]
    assert labor["type"] == "string"


def test_openapi_document_is_valid_and_answers_match_it(client, token_for):
    from jsonschema import Draft202012Validator
    from openapi_spec_validator import validate

    from tests.factories import make_vehicle

    doc = client.get("/api/v1/openapi.json").json
    validate(doc)
    vehicle = make_vehicle(odometer_km=100)
    headers = token_for("advisor")

    def check(path: str, method: str, answer: dict) -> None:
        op = doc["paths"][path][method]
        schema = op["responses"]["200"]["content"]["application/json"]["schema"]
        Draft202012Validator({**schema, "components": doc["components"]}).validate(answer)

    check(
        "/customers/{customer_id}",
        "get",
        client.get(f"/api/v1/customers/{vehicle.customer_id}", headers=headers).json,
    )
    check("/customers", "get", client.get("/api/v1/customers", headers=headers).json)
    check(
        "/vehicles/{vehicle_id}",
        "get",
        client.get(f"/api/v1/vehicles/{vehicle.id}", headers=headers).json,
    )
    check("/settings", "get", client.get("/api/v1/settings", headers=headers).json)
