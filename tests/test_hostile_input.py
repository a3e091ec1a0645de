"""Hostile input: every API body, query and form field refuses what it must, naming the
field, and nothing a client sends gets a 500. The cases are found by walking the API's
declared operations, the forms and the URL map, so a new field or route is probed without a
new test. Each walk prints how many cases it tried (``pytest -s``)."""

import json
import re

import pytest
import wtforms
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict
from wtforms.validators import Length

from customers.models import Customer
from dealer.apikit import REGISTRY
from dealer.extensions import db
from tests.factories import make_user

BAD_NUMBERS = ("NaN", "Infinity", "-Infinity", "1e309", "0.123456789012", "99999999999999999999")
"""The JSON literals Python reads as floats, a number past any float, twelve decimals and a
whole number past the database's integers."""

PRIVILEGED = {
    "id": 1,
    "site_id": 2,
    "status": "delivered",
    "number": "WO-2000-000001",
    "total": "0.00",
    "authorized_amount": "99999.00",
    "advisor_id": 1,
    "created_at": "2020-01-01T00:00:00+00:00",
    "vip_tier": "Gold",
    "roles": ["manager"],
}
"""Fields a client might try to set on a record it creates or changes."""


def report(category: str, cases: int) -> None:
    print(f"\nprobe {category}: {cases} cases")


def body_operations():
    return [spec for spec in REGISTRY if spec.body is not None]


def url_of(path: str) -> str:
    return re.sub(r"<[^>]+>", "999999", path)


def properties(model) -> dict:
    return model.model_json_schema().get("properties", {})


def is_number(prop: dict) -> bool:
    kinds = {prop.get("type")} | {alt.get("type") for alt in prop.get("anyOf", [])}
    return bool(kinds & {"number", "integer"}) or prop.get("pattern", "").startswith("^-?\\d")


def string_limit(prop: dict) -> int | None:
    """The longest text a plain string property takes (None when it is not one)."""
    for alt in [prop, *prop.get("anyOf", [])]:
        if alt.get("type") == "string" and "maxLength" in alt and not is_number(prop):
            if "enum" in alt or "format" in alt or "pattern" in alt:
                return None
            return alt["maxLength"]
    return None


def unlimited_strings(schema, where: str) -> list[str]:
    """Every string in a request schema with no length, choice or format bounding it."""
    found = []
    if isinstance(schema, dict):
        alternatives = schema.get("anyOf", [])
        numeric = any(alt.get("type") in ("number", "integer") for alt in alternatives)
        bounded = ("maxLength", "enum", "format", "const")
        if schema.get("type") == "string" and not any(key in schema for key in bounded):
            found.append(where)
        for key, value in schema.items():
            if not (key == "anyOf" and numeric):
                found += unlimited_strings(value, f"{where}/{key}")
    elif isinstance(schema, list):
        for index, value in enumerate(schema):
            found += unlimited_strings(value, f"{where}[{index}]")
    return found


def all_forms() -> list[type[FlaskForm]]:
    seen, todo = [], list(FlaskForm.__subclasses__())
    while todo:
        form = todo.pop()
        seen.append(form)
        todo.extend(form.__subclasses__())
    ours = ("dealer", "workorders", "customers")
    return sorted(
        (form for form in seen if form.__module__.split(".")[0] in ours),
        key=lambda form: form.__qualname__,
    )


def number_fields(form: FlaskForm) -> list:
    return [f for f in form if isinstance(f, wtforms.DecimalField | wtforms.IntegerField)]


def text_fields(form: FlaskForm) -> list:
    typed = (wtforms.DecimalField, wtforms.IntegerField, wtforms.DateField)
    typed += (wtforms.DateTimeLocalField, wtforms.HiddenField)
    return [
        f
        for f in form
        if isinstance(f, wtforms.StringField)
        and not isinstance(f, typed)
        and f.type != "CSRFTokenField"
    ]


def form_limit(field) -> int | None:
    limits = [v.max for v in field.validators if isinstance(v, Length) and v.max > 0]
    return min(limits) if limits else None


@pytest.fixture
def api(token_for):
    return token_for("manager") | {"Content-Type": "application/json"}


def test_api_numbers_past_reason_are_refused_naming_the_field(client, api):
    cases, wrong = 0, []
    for spec in body_operations():
        for name, prop in properties(spec.body).items():
            if not is_number(prop):
                continue
            for bad in BAD_NUMBERS:
                for text in (bad, json.dumps(bad)):
                    cases += 1
                    body = "{" + f'"{name}": {text}' + "}"
                    response = client.open(
                        url_of(spec.path), method=spec.method, data=body, headers=api
                    )
                    errors = (response.json or {}).get("errors", {})
                    named = response.status_code == 422 and name in errors
                    not_json = response.status_code == 400 and bad in (
                        "NaN",
                        "Infinity",
                        "-Infinity",
                    )
                    if not (named or not_json):
                        wrong.append((spec.method, spec.path, name, text, response.status_code))
    report("API numbers (NaN, Infinity, 1e309, 12 decimals, 20 digits)", cases)
    assert cases > 300
    assert wrong == []


def test_api_bodies_refuse_fields_a_client_may_not_set(client, api):
    cases, wrong = 0, []
    for spec in body_operations():
        own = set(properties(spec.body))
        for name, value in PRIVILEGED.items():
            if name in own:
                continue
            cases += 1
            response = client.open(
                url_of(spec.path), method=spec.method, data=json.dumps({name: value}), headers=api
            )
            errors = (response.json or {}).get("errors", {})
            if response.status_code != 422 or errors.get(name) != ["Unknown field."]:
                wrong.append((spec.method, spec.path, name, response.status_code))
    report("API mass assignment (status, price, owner, site, ids)", cases)
    assert cases > 300
    assert wrong == []


def test_every_api_text_field_has_a_length_limit_and_keeps_to_it(client, api):
    models = {s.body for s in REGISTRY if s.body} | {s.query for s in REGISTRY if s.query}
    unlimited = []
    for model in models:
        unlimited += unlimited_strings(model.model_json_schema(), model.__name__)
    assert sorted(unlimited) == []

    cases, wrong = 0, []
    for spec in body_operations():
        for name, prop in properties(spec.body).items():
            limit = string_limit(prop)
            if limit is None:
                continue
            cases += 1
            body = json.dumps({name: "长" * (limit + 1)}, ensure_ascii=False).encode()
            response = client.open(url_of(spec.path), method=spec.method, data=body, headers=api)
            errors = (response.json or {}).get("errors", {})
            if response.status_code != 422 or name not in errors:
                wrong.append((spec.method, spec.path, name, response.status_code))
    report("API text one character past its limit", cases)
    assert cases > 50
    assert wrong == []


def test_text_with_a_nul_character_is_refused_everywhere(app, client, api, login):
    cases, wrong = 0, []
    for spec in body_operations():
        for name, prop in properties(spec.body).items():
            if string_limit(prop) is None:
                continue
            cases += 1
            body = json.dumps({name: "Zhou\x00Min"})
            response = client.open(url_of(spec.path), method=spec.method, data=body, headers=api)
            if response.status_code != 422 or name not in response.json.get("errors", {}):
                wrong.append((spec.method, spec.path, name, response.status_code))
    inspection = json.dumps({"belongings": ["phone\x00"], "symptoms": {"since\x00": "May"}})
    for body in (inspection,):
        cases += 1
        response = client.put("/api/v1/work-orders/999999/inspection", data=body, headers=api)
        if response.status_code != 422:
            wrong.append(("PUT", "inspection", body, response.status_code))
    login("manager")
    app.config["WTF_CSRF_ENABLED"] = False
    for path in ("/customers", "/vehicles", "/work-orders", "/parts", "/audit", "/vip"):
        cases += 1
        response = client.get(path, query_string={"q": "13800\x00"})
        if response.status_code != 400:
            wrong.append(("GET", path, response.status_code))
    cases += 1
    response = client.post("/customers/new", data={"name": "Zhou\x00Min", "phone": "13800138000"})
    if response.status_code != 400:
        wrong.append(("POST", "/customers/new", response.status_code))
    report("text with a NUL character (API bodies, queries, forms)", cases)
    assert cases > 60
    assert wrong == []


def test_api_queries_refuse_bad_parameters_without_failing(client, api):
    cases, wrong = 0, []
    for spec in REGISTRY:
        if spec.query is None or spec.method != "GET":
            continue
        for name in properties(spec.query):
            for bad in ("NaN", "1e309", "99999999999999999999", "-1", "x" * 5000, "\x00"):
                cases += 1
                response = client.get(url_of(spec.path), query_string={name: bad}, headers=api)
                if response.status_code >= 500:
                    wrong.append((spec.path, name, bad[:20], response.status_code))
    report("API query parameters", cases)
    assert cases > 50
    assert wrong == []


def test_ids_past_the_database_integer_are_missing_records(app, client, api, login):
    app.config["WTF_CSRF_ENABLED"] = False
    login("manager")
    cases, wrong = 0, []
    for rule in app.url_map.iter_rules():
        if "<int:" not in rule.rule:
            continue
        for big in ("2147483648", "99999999999999999999"):
            path = re.sub(r"<int:\w+>", big, rule.rule)
            path = re.sub(r"<any\(([^,)]+)[^>]*\):\w+>", lambda m: m.group(1).strip("'\" "), path)
            path = re.sub(r"<\w+>", "x", path)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                cases += 1
                response = client.open(
                    path, method=method, headers=api if path.startswith("/api/") else {}
                )
                if response.status_code not in (404, 405):
                    wrong.append((method, path, response.status_code))
    report("ids past the database's integer in URLs", cases)
    assert cases > 100
    assert wrong == []


def test_form_numbers_past_reason_are_refused_on_the_field(app):
    cases, wrong = 0, []
    with app.test_request_context():
        for form_class in all_forms():
            for field in number_fields(form_class(formdata=None, meta={"csrf": False})):
                for bad in (*BAD_NUMBERS, "sNaN", "1,5", "0x10", "1_000"):
                    cases += 1
                    form = form_class(formdata=MultiDict({field.name: bad}), meta={"csrf": False})
                    form.validate()
                    if not form[field.name].errors:
                        wrong.append((form_class.__name__, field.name, bad))
    report("form numbers", cases)
    assert cases > 200
    assert wrong == []


def test_every_form_text_field_has_a_length_limit_and_keeps_to_it(app):
    cases, unlimited, wrong = 0, [], []
    with app.test_request_context():
        for form_class in all_forms():
            for field in text_fields(form_class(formdata=None, meta={"csrf": False})):
                limit = form_limit(field)
                if limit is None:
                    unlimited.append((form_class.__name__, field.name))
                    continue
                cases += 1
                form = form_class(
                    formdata=MultiDict({field.name: "x" * (limit + 1)}), meta={"csrf": False}
                )
                form.validate()
                if not form[field.name].errors:
                    wrong.append((form_class.__name__, field.name))
    report("form text one character past its limit", cases)
    assert unlimited == []
    assert cases > 80
    assert wrong == []


def test_a_form_takes_only_its_own_fields(app, client, login):
    user = login("advisor")
    page = client.get("/customers/new").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    other_site = make_user(roles=["advisor"]).site_id
    response = client.post(
        "/customers/new",
        data={
            "csrf_token": token,
            "kind": "person",
            "name": "Zhou Min",
            "phone": "13800138000",
            "preferred_language": "zh_Hans",
            "preferred_channel": "phone",
            "vip_tier": "Gold",
            "site_id": str(other_site + 1),
            "spend_12m": "999999.00",
            "advisor_id": "999",
        },
    )
    assert response.status_code == 302
    customer = db.session.scalar(select(Customer).where(Customer.name == "Zhou Min"))
    assert customer.site_id == user.site_id
    assert customer.vip_tier is None
    assert customer.spend_12m == 0
    assert customer.advisor_id != 999
    assert db.session.scalar(select(func.count()).select_from(Customer)) == 1
