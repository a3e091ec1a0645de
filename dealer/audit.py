"""The audit log: every change to an audited record, written in its transaction.

A model opts in with ``__audit__ = True``; ``__audit_secret__`` names
columns whose values are never copied into the log (only that they
changed). The actor is the signed-in user or API token holder of the
request, or the user a CLI command acts as (``acting_as``).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal

from flask import g, has_app_context
from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from dealer.models import AuditEntry, User
from dealer.types import utcnow

_cli_actor: ContextVar[int | None] = ContextVar("cli_actor", default=None)
SECRET = "(changed)"


@contextmanager
def acting_as(user_id: int | None) -> Iterator[None]:
    """Attribute changes made inside the block to ``user_id`` (CLI, demo data)."""
    token = _cli_actor.set(user_id)
    try:
        yield
    finally:
        _cli_actor.reset(token)


def current_actor_id() -> int | None:
    """The id of whoever is making the change now, if anyone."""
    if has_app_context():
        actor = g.get("actor")
        if actor is not None:
            return actor.id
    return _cli_actor.get()


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, dict, str, int, float, bool)) or value is None:
        return value
    return str(value)


def _changes(obj, action: str) -> dict:
    state = inspect(obj)
    secret = set(getattr(obj, "__audit_secret__", ()))
    changes = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        history = state.attrs[key].history
        if action == "create":
            value = getattr(obj, key)
            if value is None:
                continue
            changes[key] = [None, SECRET if key in secret else _plain(value)]
        elif action == "update" and history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old == new:
                continue
            if key in secret:
                changes[key] = [SECRET, SECRET]
            else:
                changes[key] = [_plain(old), _plain(new)]
    return changes


def _audited(obj) -> bool:
    return getattr(type(obj), "__audit__", False)


def _actor_site(session: Session, actor_id: int | None) -> int | None:
    if has_app_context():
        actor = g.get("actor")
        if actor is not None:
            return actor.site_id
    if actor_id is None:
        return None
    actor = session.get(User, actor_id)
    return actor.site_id if actor is not None else None


@event.listens_for(Session, "after_flush")
def _write_audit(session: Session, flush_context) -> None:
    actor_id = current_actor_id()
    actor_site: int | None = None
    rows = []
    now = utcnow()
    for action, objects in (
        ("create", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            if not _audited(obj):
                continue
            changes = _changes(obj, action)
            if action == "update" and not changes:
                continue
            site_id = getattr(obj, "site_id", None)
            if site_id is None:
                actor_site = actor_site or _actor_site(session, actor_id)
                site_id = actor_site
            rows.append(
                {
                    "at": now,
                    "site_id": site_id,
                    "user_id": actor_id,
                    "action": action,
                    "entity": entity_name(type(obj)),
                    "entity_id": inspect(obj).mapper.primary_key_from_instance(obj)[0],
                    "changes": changes,
                }
            )
    if rows:
        session.connection().execute(insert(AuditEntry), rows)


def entity_name(model) -> str:
    """The name a model's records go by in the log: the singular of its table."""
    return getattr(model, "__audit_entity__", model.__tablename__.removesuffix("s"))
