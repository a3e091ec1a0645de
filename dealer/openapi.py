"""The API's OpenAPI document, built from the endpoints registered with ``dealer.apikit``
and their pydantic models; and the check, at start-up, that no two models share a name."""

import re
from collections.abc import Iterator
from typing import Any, get_args

from pydantic import (
    BaseModel,
)

from dealer.apikit import API_PREFIX, PROBLEM, REGISTRY, Endpoint

RULE_VARIABLE = r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>"


def _path_schema(converter: str, arguments: str) -> dict:
    """The JSON schema of a URL rule's variable: ``int``, ``any(...)`` or a string (a
    token: URL-safe characters)."""
    if converter == "int":
        return {"type": "integer"}
    if converter == "any":
        return {"type": "string", "enum": re.findall(r"'([^']*)'", arguments)}
    return {"type": "string", "minLength": 1, "maxLength": 64, "pattern": "^[A-Za-z0-9_-]+$"}


def _models_in(annotation) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for argument in get_args(annotation):
        yield from _models_in(argument)


def model_name_collisions(specs: list[Endpoint]) -> dict[str, set[str]]:
    """Names that two different models of the API's bodies, queries and answers share (the
    OpenAPI document names schemas by class, so one would hide the other)."""
    seen: dict[str, set[type[BaseModel]]] = {}
    todo = [
        model
        for spec in specs
        for model in (spec.body, spec.query, spec.response, spec.upload)
        if model is not None
    ]
    done: set[type[BaseModel]] = set()
    while todo:
        model = todo.pop()
        if model in done:
            continue
        done.add(model)
        seen.setdefault(model.__name__, set()).add(model)
        for info in model.model_fields.values():
            todo.extend(_models_in(info.annotation))
    return {
        name: {f"{m.__module__}.{m.__qualname__}" for m in models}
        for name, models in seen.items()
        if len(models) > 1
    }


def check_model_names() -> None:
    """Refuse to start when two API models share a name."""
    collisions = model_name_collisions(REGISTRY)
    if collisions:
        raise RuntimeError(f"API models share a name: {collisions}")


def openapi_document(title: str, version: str) -> dict:
    """The OpenAPI 3.1 document of every declared endpoint."""
    check_model_names()
    schemas: dict[str, Any] = {
        "Problem": {
            "type": "object",
            "required": ["status", "title"],
            "properties": {
                "status": {"type": "integer"},
                "title": {"type": "string"},
                "detail": {"type": "string"},
                "errors": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
        }
    }

    def ref(model: type[BaseModel], mode: str) -> dict:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}", mode=mode)
        for name, sub in schema.pop("$defs", {}).items():
            schemas.setdefault(name, sub)
        schemas.setdefault(model.__name__, schema)
        return {"$ref": f"#/components/schemas/{model.__name__}"}

    def problem_response(text: str) -> dict:
        return {
            "description": text,
            "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }

    paths: dict[str, dict] = {}
    for spec in REGISTRY:
        rule = spec.path.removeprefix(API_PREFIX)
        path = re.sub(RULE_VARIABLE, r"{\3}", rule)
        operation: dict[str, Any] = {
            "summary": spec.summary,
            "tags": spec.tags,
            "x-roles": sorted(spec.roles),
            "parameters": [],
            "responses": {},
        }
        for converter, arguments, name in re.findall(RULE_VARIABLE, rule):
            operation["parameters"].append(
                {
                    "name": name,
                    "in": "path",
                    "required": True,
                    "schema": _path_schema(converter, arguments),
                }
            )
        if spec.query:
            query_schema = spec.query.model_json_schema()
            required = set(query_schema.get("required", []))
            for name, prop in query_schema["properties"].items():
                operation["parameters"].append(
                    {"name": name, "in": "query", "required": name in required, "schema": prop}
                )
        if spec.body:
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": ref(spec.body, "validation")}},
            }
        if spec.upload:
            operation["requestBody"] = {
                "required": True,
                "content": {"multipart/form-data": {"schema": ref(spec.upload, "validation")}},
            }
        if spec.idempotent:
            operation["parameters"].append(
                {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "required": False,
                    "schema": {"type": "string", "maxLength": 200},
                    "description": "A repeat with the same key returns the first answer.",
                }
            )
        if spec.content_type != "application/json":
            content = {spec.content_type: {"schema": {"type": "string"}}}
        elif spec.response and spec.paged:
            content = {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["items", "page", "per_page", "total"],
                        "properties": {
                            "items": {
                                "type": "array",
                                "items": ref(spec.response, "serialization"),
                            },
                            "page": {"type": "integer"},
                            "per_page": {"type": "integer"},
                            "total": {"type": "integer"},
                        },
                    }
                }
            }
        elif spec.response:
            content = {"application/json": {"schema": ref(spec.response, "serialization")}}
        else:
            content = None
        operation["responses"][str(spec.status)] = {"description": "Success"}
        if content:
            operation["responses"][str(spec.status)]["content"] = content
        if spec.public:
            operation["security"] = []
        else:
            operation["responses"]["401"] = problem_response("No token or a bad token")
            operation["responses"]["403"] = problem_response("The token's roles do not allow this")
        if "{" in path:
            operation["responses"]["404"] = problem_response("No such record")
        if spec.body or spec.query or spec.upload:
            operation["responses"]["400"] = problem_response(
                "Malformed request: not JSON, nested too deep, or a NUL character in a value"
            )
            operation["responses"]["422"] = problem_response("Invalid input, fields named")
        if spec.body or spec.upload:
            operation["responses"]["413"] = problem_response("The body is too large")

        if spec.method != "GET":
            operation["responses"]["409"] = problem_response("A rule forbids the change")
        paths.setdefault(path, {})[spec.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {
            "title": title,
            "version": version,
            "description": (
                "Errors are application/problem+json. A method a path does not take is "
                "answered 405 with an Allow header listing the methods it takes "
                "(components.responses.MethodNotAllowed)."
            ),
        },
        "servers": [{"url": API_PREFIX}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "responses": {
                "MethodNotAllowed": {
                    "description": "The path does not take this method",
                    "headers": {
                        "Allow": {
                            "description": "The methods the path takes",
                            "schema": {"type": "string"},
                        }
                    },
                    "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}},
                }
            },
        },
        "security": [{"bearer": []}],
    }
