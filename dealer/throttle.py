"""Sign-in throttling: too many failures for one account from one address, or from one
address in all, and sign-in is refused there for a while, with the same answer whether or
not the account exists. The account itself is never locked: whoever guesses slows down
only their own address, and the real user signing in from elsewhere gets in.

Failures are rows in the database, so several application servers share the count. The
account is the name as typed (case-folded), so guessing at a name that does not exist is
held back exactly like guessing at one that does. The address is the one the server sees;
``X-Forwarded-For`` counts only behind a proxy declared with ``TRUSTED_PROXIES``.
"""

from datetime import datetime, timedelta

from sqlalchemy import delete, select

from dealer.extensions import db
from dealer.models import LoginFailure


def account_key(username: str) -> str:
    return " ".join((username or "").split()).casefold()[:40]


def wait_left(
    account: str,
    address: str,
    now: datetime,
    *,
    window: timedelta,
    per_account: int,
    per_address: int,
) -> timedelta | None:
    """How long sign-in stays refused for this account at this address, or for this address,
    or None if it is open: refused while the window holds ``per_account`` failures of the
    account from the address (``per_address`` from the address in all), until the oldest of
    the latest ones leaves it."""
    waits = []
    for condition, limit in (
        ((LoginFailure.account == account) & (LoginFailure.address == address), per_account),
        (LoginFailure.address == address, per_address),
    ):
        edge = db.session.scalars(
            select(LoginFailure.at)
            .where(condition, LoginFailure.at > now - window)
            .order_by(LoginFailure.at.desc())
            .offset(limit - 1)
            .limit(1)
        ).first()
        if edge is not None:
            waits.append(edge + window - now)
    return max(waits) if waits else None


def record_failure(account: str, address: str, now: datetime, *, window: timedelta) -> None:
    """Count a failure, and forget the ones too old to matter."""
    db.session.execute(delete(LoginFailure).where(LoginFailure.at <= now - 2 * window))
    db.session.add(LoginFailure(account=account, address=address[:64], at=now))


def forget(account: str, address: str) -> None:
    """A successful sign-in clears the account's failures from that address."""
    db.session.execute(
        delete(LoginFailure).where(LoginFailure.account == account, LoginFailure.address == address)
    )
