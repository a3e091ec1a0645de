"""The JSON API's shared parts: declaring endpoints, tokens, errors, pages (the
OpenAPI document is built in ``dealer.openapi``).

Every endpoint is declared once with ``endpoint()``: its path, method,
roles and pydantic models. The same declaration authenticates the bearer
token, checks the role, validates the query and body, commits a write
once, and feeds the OpenAPI document, so the document cannot drift from
what the server does.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import wraps
from typing import Annotated, Any

from flask import Blueprint, Response, g, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
    field_validator,
)
from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from dealer.errors import DomainError, NotFound
from dealer.extensions import db
from dealer.models import IdempotencyKey, User
from dealer.services import user_for_token

API_PREFIX = "/api/v1"


PROBLEM = "application/problem+json"


CONCURRENT_CHANGE = (
    "Someone else changed the same record at the same moment, or the value must be unique "
    "and is taken now. Reload and try again."
)


class ApiProblem(Exception):
    """An answer other than success, sent as problem+json."""

    def __init__(self, status: int, title: str, detail: str = "", errors: dict | None = None):
        super().__init__(title)
        self.status, self.title, self.detail, self.errors = status, title, detail, errors


def problem(status: int, title: str, detail: str = "", errors: dict | None = None) -> Response:
    """A problem+json response."""
    body: dict[str, Any] = {"status": status, "title": str(title)}
    if detail:
        body["detail"] = str(detail)
    if errors:
        body["errors"] = {name: [str(m) for m in messages] for name, messages in errors.items()}
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


TITLES = {
    400: _l("Bad request"),
    401: _l("Not authenticated"),
    403: _l("Forbidden"),
    404: _l("Not found"),
    405: _l("Method not allowed"),
    409: _l("Conflict"),
    413: _l("Request too large"),
    415: _l("Unsupported media type"),
    422: _l("Invalid input"),
    500: _l("Server error"),
}


def domain_problem(exc: DomainError) -> Response:
    """The problem+json answer to a domain error."""
    errors = {k: v for k, v in exc.by_field().items() if k != "_"}
    return problem(exc.status, TITLES.get(exc.status, "Error"), str(exc), errors or None)


def http_problem(exc: HTTPException) -> Response:
    """The problem+json answer to an HTTP error (a 405 keeps its ``Allow`` header)."""
    code = exc.code or 500
    response = problem(code, TITLES.get(code, exc.name), exc.description or "")
    for name, value in exc.get_headers():
        if name.lower() == "allow":
            response.headers["Allow"] = value
    return response


def _no_float(value):
    if isinstance(value, float):
        raise ValueError("send amounts as decimal strings, not binary floats")
    if isinstance(value, str):
        value = value.strip()
        if not re.fullmatch(r"-?\d+(\.\d+)?", value):
            raise ValueError("not a decimal number")
    return value


def _money_out(value: Decimal) -> str:
    return f"{value:.2f}"


MoneyIn = Annotated[
    Decimal,
    BeforeValidator(_no_float),
    Field(
        max_digits=12,
        decimal_places=2,
        json_schema_extra={
            "type": "string",
            "pattern": r"^-?\d+(\.\d{1,2})?$",
            "maxLength": 16,
        },
    ),
]


MoneyOut = Annotated[
    Decimal,
    PlainSerializer(_money_out, return_type=str),
    Field(json_schema_extra={"type": "string", "examples": ["1234.50"]}),
]


NumberOut = Annotated[
    Decimal,
    PlainSerializer(
        lambda v: int(v) if v == v.to_integral_value() else float(v), return_type=float
    ),
    Field(json_schema_extra={"type": "number"}),
]
"""Hours, quantities, fuel: JSON numbers, as API.md says."""


NumberIn = Annotated[Decimal, BeforeValidator(_no_float), Field(max_digits=12, decimal_places=3)]
"""Hours and quantities in: a JSON number (read as a decimal) or a decimal string."""


RateOut = Annotated[Decimal, PlainSerializer(lambda v: format(v.normalize(), "f"), return_type=str)]


LARGEST_NUMBER = 2**31 - 1
"""No number the API takes is larger: ids, versions, kilometres and amounts all fit."""


def _leaves(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _leaves(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


class Input(BaseModel):
    """A request body or query: unknown fields are refused, strings trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value):
        """A number no field can hold, sent as a number or as text, and text with a NUL
        character (no column keeps one) are refused, in lists and maps too."""
        for item in _leaves(value):
            if isinstance(item, str) and "\x00" in item:
                raise ValueError("Text may not contain NUL characters.")
            if (
                isinstance(item, int | Decimal)
                and not isinstance(item, bool)
                and not abs(item) <= LARGEST_NUMBER
            ):
                raise ValueError("Number out of range.")
        return value


class Output(BaseModel):
    """An answer, built from model attributes."""

    model_config = ConfigDict(from_attributes=True)


class PageQuery(Input):
    """Pagination of a list."""

    page: int = Field(1, ge=1, le=100000)
    per_page: int = Field(25, ge=1, le=100)


@dataclass
class Endpoint:
    """One declared API operation."""

    path: str
    method: str
    roles: frozenset[str]
    summary: str
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    paged: bool = False
    idempotent: bool = False
    tags: list[str] = field(default_factory=list)
    content_type: str = "application/json"
    upload: type[BaseModel] | None = None
    public: bool = False


REGISTRY: list[Endpoint] = []


def bearer_user() -> User:
    """The user of the request's bearer token, or a 401."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiProblem(401, TITLES[401], _l("Send Authorization: Bearer <token>."))
    user = user_for_token(token.strip())
    if user is None:
        raise ApiProblem(
            401, TITLES[401], _l("The token is unknown, revoked or its user inactive.")
        )
    return user


VALIDATION_MESSAGES = {
    "missing": _l("This field is required."),
    "extra_forbidden": _l("Unknown field."),
    "string_type": _l("Enter text."),
    "string_too_short": _l("Enter at least %(min_length)s characters."),
    "string_too_long": _l("At most %(max_length)s characters."),
    "too_short": _l("At least %(min_length)s items."),
    "too_long": _l("At most %(max_length)s items."),
    "int_type": _l("Enter a whole number."),
    "int_parsing": _l("Enter a whole number."),
    "int_from_float": _l("Enter a whole number."),
    "bool_type": _l("Enter true or false."),
    "bool_parsing": _l("Enter true or false."),
    "decimal_type": _l("Enter a number."),
    "decimal_parsing": _l("Enter a number."),
    "greater_than": _l("Enter a number greater than %(gt)s."),
    "greater_than_equal": _l("Enter a number of at least %(ge)s."),
    "less_than": _l("Enter a number less than %(lt)s."),
    "less_than_equal": _l("Enter a number of at most %(le)s."),
    "literal_error": _l("Choose one of: %(expected)s."),
    "enum": _l("Choose one of: %(expected)s."),
    "list_type": _l("Enter a list."),
    "dict_type": _l("Enter an object."),
    "model_type": _l("Enter an object."),
    "datetime_type": _l("Enter a date and time (ISO 8601, with its offset)."),
    "datetime_parsing": _l("Enter a date and time (ISO 8601, with its offset)."),
    "datetime_from_date_parsing": _l("Enter a date and time (ISO 8601, with its offset)."),
    "timezone_aware": _l("Give the time with its offset, e.g. +08:00."),
    "date_type": _l("Enter a date (YYYY-MM-DD)."),
    "date_parsing": _l("Enter a date (YYYY-MM-DD)."),
    "date_from_datetime_parsing": _l("Enter a date (YYYY-MM-DD)."),
}
"""The client's language for the validation errors it is most likely to meet."""


def _validation_message(error: dict) -> str:
    known = VALIDATION_MESSAGES.get(error["type"])
    if known is None:
        message = error["msg"]
        if str(get_locale()) == "en":
            return message
        return str(_l("Not a valid value (%(message)s).", message=message))
    context = {key: str(value) for key, value in (error.get("ctx") or {}).items()}
    try:
        return str(known) % context if context else str(known)
    except (KeyError, ValueError, TypeError):
        return str(known)


def _validation_errors(exc: ValidationError, prefix: str = "") -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for error in exc.errors():
        name = ".".join(str(part) for part in error["loc"]) or prefix or "body"
        errors.setdefault(name, []).append(_validation_message(error))
    return errors


MAX_JSON_DEPTH = 20
"""No body of the API nests deeper than a few levels; a deeper one is refused with 400."""


def _depth(value) -> int:
    """How deeply lists and objects nest in ``value`` (counted without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, level)
            if level > MAX_JSON_DEPTH:
                break
            stack.extend((child, level + 1) for child in item)
    return deepest


def _not_a_number(constant: str):
    raise ValueError(constant)


def parse_body(model: type[BaseModel]) -> BaseModel:
    """Validate the JSON body with ``model``; decimals are read as decimals, never floats,
    ``NaN`` and ``Infinity`` are not JSON, and numbers past any field's range are refused."""
    raw = request.get_data(cache=True)
    try:
        data = json.loads(raw or b"{}", parse_float=Decimal, parse_constant=_not_a_number)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ApiProblem(
            400, TITLES[400], _l("The body is not valid JSON (NaN and Infinity are not numbers).")
        ) from None
    if _depth(data) > MAX_JSON_DEPTH:
        raise ApiProblem(
            400,
            TITLES[400],
            _l("The body is nested more than %(n)s levels deep.", n=MAX_JSON_DEPTH),
        )
    if not isinstance(data, dict):
        raise ApiProblem(422, TITLES[422], _l("The body must be a JSON object."))
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ApiProblem(
            422, TITLES[422], _l("Some fields are not valid."), _validation_errors(exc)
        ) from None


def parse_query(model: type[BaseModel]) -> BaseModel:
    """Validate the query string with ``model``."""
    try:
        return model.model_validate(request.args.to_dict())
    except ValidationError as exc:
        raise ApiProblem(
            422, TITLES[422], _l("Some parameters are not valid."), _validation_errors(exc)
        ) from None


def site_record(model, record_id: int, what: str):
    """The ``model`` row with ``record_id`` at the actor's site, else 404 "No such <what>."."""
    found = db.session.get(model, record_id)
    if found is None or found.site_id != g.actor.site_id:
        raise NotFound(f"No such {what}.")
    return found


def page_of(stmt: Select, query: PageQuery, item: type[BaseModel], convert=None) -> dict:
    """One page of ``stmt`` as ``{"items", "page", "per_page", "total"}``."""
    result = db.paginate(
        stmt,
        page=query.page,
        per_page=query.per_page,
        max_per_page=100,
        error_out=False,
        count=True,
    )
    convert = convert or (lambda obj: item.model_validate(obj))
    return {
        "items": [convert(obj).model_dump(mode="json") for obj in result.items],
        "page": query.page,
        "per_page": query.per_page,
        "total": result.total,
    }


def _plain(result, model: type[BaseModel] | None):
    """An operation's result as JSON-ready data, through the declared response model."""
    if isinstance(result, (Response, dict, list)):
        return result
    if not isinstance(result, BaseModel) and model is not None:
        result = model.model_validate(result)
    return result.model_dump(mode="json")


def _respond(body, status: int) -> Response:
    if isinstance(body, Response):
        return body
    return Response(
        json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json"
    )


def _stored_answer(user: User, key: str) -> IdempotencyKey | None:
    return db.session.scalar(
        select(IdempotencyKey).where(IdempotencyKey.user_id == user.id, IdempotencyKey.key == key)
    )


def endpoint(
    bp: Blueprint,
    rule: str,
    *,
    roles: tuple[str, ...] | frozenset[str],
    summary: str,
    method: str = "GET",
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    status: int = 200,
    paged: bool = False,
    idempotent: bool = False,
    content_type: str = "application/json",
    upload: type[BaseModel] | None = None,
    public: bool = False,
) -> Callable:
    """Declare and register one API operation on ``bp``; ``upload`` describes a multipart
    body (a file upload), which may be as large as ``MAX_UPLOAD_BYTES``. A ``public``
    operation needs no token (its path holds its own credential): ``g.actor`` is None."""
    spec = Endpoint(
        path=(bp.url_prefix or "") + rule,
        method=method,
        roles=frozenset(roles),
        summary=summary,
        body=body,
        query=query,
        response=response,
        status=status,
        paged=paged,
        idempotent=idempotent,
        tags=[bp.name.removesuffix("_api")],
        content_type=content_type,
        upload=upload,
        public=public,
    )
    REGISTRY.append(spec)

    def decorator(fn: Callable) -> Callable:
        @wraps(fn)
        def view(**kwargs):
            try:
                user = None if public else bearer_user()
                if user is not None and not user.has_role(*spec.roles):
                    raise ApiProblem(403, TITLES[403], _l("Your roles do not allow this."))
                g.actor = user
                if spec.query:
                    kwargs["query"] = parse_query(spec.query)
                if spec.body:
                    kwargs["body"] = parse_body(spec.body)
                key = request.headers.get("Idempotency-Key", "").strip()[:200]
                if spec.idempotent and key and user is not None:
                    return _idempotent_call(fn, kwargs, user, key, spec)
                body = _plain(fn(**kwargs), spec.response)
                if spec.method != "GET":
                    db.session.commit()
                return _respond(body, spec.status)
            except ApiProblem as exc:
                db.session.rollback()
                return problem(exc.status, exc.title, exc.detail, exc.errors)
            except DomainError as exc:
                db.session.rollback()
                return domain_problem(exc)
            except (IntegrityError, StaleDataError):
                db.session.rollback()
                return problem(409, TITLES[409], CONCURRENT_CHANGE)

        view.allowed_roles = "public" if public else spec.roles
        view.api_spec = spec
        view.accepts_upload = upload is not None
        bp.add_url_rule(rule, endpoint=fn.__name__, view_func=view, methods=[method])
        return view

    return decorator


def _idempotent_call(fn: Callable, kwargs: dict, user: User, key: str, spec: Endpoint) -> Response:
    signature = f"{request.method} {request.path}"
    stored = _stored_answer(user, key)
    if stored is None:
        body = _plain(fn(**kwargs), spec.response)
        status = spec.status
        db.session.add(
            IdempotencyKey(user_id=user.id, key=key, request=signature, status=status, body=body)
        )
        try:
            db.session.commit()
            return _respond(body, status)
        except IntegrityError:
            db.session.rollback()
            stored = _stored_answer(user, key)
            if stored is None:
                raise
    if stored.request != signature:
        raise ApiProblem(
            422,
            TITLES[422],
            "This Idempotency-Key was used for another request.",
            {"Idempotency-Key": ["Already used for " + stored.request + "."]},
        )
    response = _respond(stored.body, stored.status)
    response.headers["Idempotent-Replayed"] = "true"
    return response
