"""Sign-in: password hashing, the session's user, role checks for pages.

The session cookie keeps ``"<user id>:<session generation>"``. A user
whose generation has moved on since the cookie was issued (logout,
password change, deactivation, "end sessions") is signed out on the next
request, so a copied cookie cannot be replayed.
"""

import contextlib
from collections.abc import Callable
from datetime import datetime
from functools import wraps

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import abort, current_app, g, session
from flask_login import current_user, logout_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from dealer.extensions import db, login_manager
from dealer.models import DealerSettings, User
from dealer.types import utcnow


def password_hasher() -> PasswordHasher:
    """The argon2id hasher with the parameters from config."""
    params = current_app.config["PASSWORD_HASH"]
    return PasswordHasher(**params)


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return password_hasher().hash(password)


def verify_password(user: User, password: str) -> bool:
    """Whether ``password`` is the user's; rehashes with current parameters on success."""
    hasher = password_hasher()
    try:
        hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return True


_DUMMY_HASH: dict[str, str] = {}


def spend_password_time(password: str) -> None:
    """Verify against a throwaway hash, so an unknown username takes as long as a known one."""
    hasher = password_hasher()
    key = repr(current_app.config["PASSWORD_HASH"])
    if key not in _DUMMY_HASH:
        _DUMMY_HASH[key] = hasher.hash("not a real password")
    with contextlib.suppress(VerificationError):
        hasher.verify(_DUMMY_HASH[key], password)


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The user of a session id ``"<id>:<generation>"``, if that session is still live.

    One statement reads the user, their roles and their site's settings, which nearly
    every page needs."""
    user_id, _, generation = session_id.partition(":")
    if not user_id.isdigit() or not generation.isdigit():
        return None
    found = (
        db.session.execute(
            select(User, DealerSettings)
            .outerjoin(DealerSettings, DealerSettings.site_id == User.site_id)
            .where(User.id == int(user_id))
            .options(joinedload(User.role_rows))
        )
        .unique()
        .first()
    )
    if found is None:
        return None
    user, settings = found
    if not user.active or user.session_generation != int(generation):
        return None
    if settings is not None:
        g.site_settings = {user.site_id: settings}
    return user


def enforce_session_timeouts() -> None:
    """Sign out a session idle or open for longer than config allows."""
    if "_user_id" not in session:
        return
    now = utcnow().timestamp()
    config = current_app.config
    login_at = session.get("login_at", 0)
    seen_at = session.get("seen_at", 0)
    if (
        now - login_at > config["SESSION_ABSOLUTE_TIMEOUT"].total_seconds()
        or now - seen_at > config["SESSION_IDLE_TIMEOUT"].total_seconds()
    ):
        logout_user()
        session.clear()
        return
    if now - seen_at > 60:
        session["seen_at"] = now


def start_session(user: User, when: datetime) -> None:
    """Begin a fresh session for ``user`` (the old session's contents are dropped)."""
    from flask_login import login_user

    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    login_user(user)
    session["login_at"] = session["seen_at"] = when.timestamp()
    session.permanent = True


def roles_required(*roles: str) -> Callable:
    """Let in only signed-in staff holding one of ``roles``; others get login or 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            g.actor = current_user._get_current_object()
            return view(*args, **kwargs)

        wrapped.allowed_roles = frozenset(roles)
        return wrapped

    return decorator


def public(view: Callable) -> Callable:
    """Mark a view as open to anyone, signed in or not."""
    view.allowed_roles = "public"
    return view
