"""Bodies are capped by the kind of route and refused before they are read; JSON nested past
reason is a 400; the API speaks the client's language; its document names every model once."""

import io
import json
import time

from pydantic import BaseModel

from dealer.apikit import REGISTRY, Endpoint
from dealer.openapi import model_name_collisions
from tests.conftest import csrf_token
from tests.factories import make_order
from workorders.services import SYMPTOM_KEYS

MB = 1024 * 1024


def test_a_huge_anonymous_sign_in_post_is_refused_at_once(client, app):
    started = time.monotonic()
    response = client.post(
        "/login",
        data=b"username=a&password=" + b"x" * (10 * MB),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert time.monotonic() - started < 1


def test_forms_are_held_to_a_forms_size_and_uploads_may_be_larger(client, app, login):
    login("advisor", "parts")
    token = csrf_token(client, "/customers/new")
    big_form = client.post("/customers/new", data={"csrf_token": token, "name": "x" * (2 * MB)})
    assert big_form.status_code == 413
    order = make_order()
    upload = client.post(
        f"/work-orders/{order.id}/photos",
        data={"csrf_token": token, "panel": "hood", "photo": (_io(3 * MB), "a.jpg")},
        content_type="multipart/form-data",
    )
    assert upload.status_code != 413


def _io(size: int):
    return io.BytesIO(b"\xff\xd8\xff" + b"\0" * size)


def test_an_oversized_json_body_is_413_and_nested_json_is_400(client, token_for):
    headers = token_for("advisor") | {"Content-Type": "application/json"}
    huge = client.post(
        "/api/v1/customers", data=b'{"name": "' + b"x" * (11 * MB) + b'"}', headers=headers
    )
    assert huge.status_code == 413
    assert huge.mimetype == "application/problem+json"
    for depth in (50, 100_000):
        body = "[" * depth + "]" * depth
        nested = client.post(
            "/api/v1/customers",
            data=json.dumps({"name": "x"})[:-1] + f', "phone": {body}}}',
            headers=headers,
        )
        assert nested.status_code == 400, depth
        assert "nested" in nested.json["detail"] or "JSON" in nested.json["detail"]


def test_a_method_not_taken_is_405_with_allow(client, token_for):
    response = client.delete("/api/v1/settings", headers=token_for("advisor"))
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    doc = client.get("/api/v1/openapi.json").json
    assert "Allow" in doc["components"]["responses"]["MethodNotAllowed"]["headers"]


def test_api_messages_follow_accept_language(client, token_for):
    headers = token_for("advisor", language="en") | {"Content-Type": "application/json"}
    zh = client.post(
        "/api/v1/customers",
        json={"phone": "+8613800138000"},
        headers=headers | {"Accept-Language": "zh-CN,zh;q=0.9"},
    )
    assert zh.status_code == 422
    assert zh.json["title"] == "输入无效"
    assert zh.json["errors"]["name"] == ["此项为必填项。"]
    en = client.post(
        "/api/v1/customers",
        json={"phone": "+8613800138000"},
        headers=headers | {"Accept-Language": "en-US"},
    )
    assert en.json["title"] == "Invalid input" and en.json["errors"]["name"] == [
        "This field is required."
    ]
    chinese_user = token_for("advisor", language="zh_Hans") | {"Content-Type": "application/json"}
    plain = client.post("/api/v1/customers", json={"phone": "+8613800138000"}, headers=chinese_user)
    assert plain.json["errors"]["name"] == ["此项为必填项。"]
    rule = client.post(
        "/api/v1/customers",
        json={"name": "A", "phone": "12"},
        headers=headers | {"Accept-Language": "zh"},
    )
    assert rule.status_code == 422 and rule.json["title"] == "输入无效"


def test_no_two_api_models_share_a_name(app):
    assert model_name_collisions(REGISTRY) == {}

    def twin(name: str) -> type[BaseModel]:
        return type(name, (BaseModel,), {"__annotations__": {"x": int}})

    first, second = twin("HandoverIn"), twin("HandoverIn")
    specs = [
        Endpoint(path="/a", method="POST", roles=frozenset(), summary="", body=first),
        Endpoint(path="/b", method="POST", roles=frozenset(), summary="", body=second),
    ]
    assert set(model_name_collisions(specs)) == {"HandoverIn"}


def test_the_document_describes_uploads_errors_and_the_symptom_interview(client):
    doc = client.get("/api/v1/openapi.json").json
    upload = doc["paths"]["/work-orders/{order_id}/photos"]["post"]
    schema_ref = upload["requestBody"]["content"]["multipart/form-data"]["schema"]["$ref"]
    schema = doc["components"]["schemas"][schema_ref.rsplit("/", 1)[1]]
    assert set(schema["properties"]) == {"panel", "photo"}
    assert schema["properties"]["photo"]["format"] == "binary"
    assert "413" in upload["responses"] and "400" in upload["responses"]
    for path, methods in doc["paths"].items():
        for method, operation in methods.items():
            if "requestBody" in operation:
                assert "400" in operation["responses"], (method, path)
    inspection = doc["paths"]["/work-orders/{order_id}/inspection"]["put"]
    body_ref = inspection["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = doc["components"]["schemas"][body_ref.rsplit("/", 1)[1]]
    symptoms_ref = (
        body["properties"]["symptoms"].get("$ref")
        or body["properties"]["symptoms"]["allOf"][0]["$ref"]
    )
    symptoms = doc["components"]["schemas"][symptoms_ref.rsplit("/", 1)[1]]
    assert set(symptoms["properties"]) == set(SYMPTOM_KEYS)
    assert symptoms["additionalProperties"] is False
    handover = doc["paths"]["/work-orders/{order_id}/handover"]["post"]
    ref = handover["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert "payment_method" in doc["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]


def test_an_unknown_symptom_question_is_refused(client, token_for):
    order = make_order()
    headers = token_for("advisor")
    response = client.put(
        f"/api/v1/work-orders/{order.id}/inspection",
        json={"symptoms": {"favourite_colour": "red"}, "acknowledged_by": "Owner"},
        headers=headers,
    )
    assert response.status_code == 422
    assert "symptoms.favourite_colour" in response.json["errors"]
    ok = client.put(
        f"/api/v1/work-orders/{order.id}/inspection",
        json={
            "symptoms": {"speed": "60 km/h", "road_test_with_customer": True},
            "acknowledged_by": "Owner",
        },
        headers=headers,
    )
    assert ok.status_code == 200, ok.json
    assert ok.json["inspection"]["symptoms"] == {
        "speed": "60 km/h",
        "road_test_with_customer": True,
    }
