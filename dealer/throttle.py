"""Throttling: sign-in, and the pages open to anyone.

Sign-in throttling: too many failures for one account from one address, or from one
address in all, and sign-in is refused there for a while, with the same answer whether or
not the account exists. The account itself is never locked: whoever guesses slows down
only their own address, and the real user signing in from elsewhere gets in.

Failures are rows in the database, so several application servers share the count. The
account is the name as typed (case-folded), so guessing at a name that does not exist is
held back exactly like guessing at one that does. The address is the one the server sees;
``X-Forwarded-For`` counts only behind a proxy declared with ``TRUSTED_PROXIES``.
"""

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from dealer.extensions import db
from dealer.models import LoginFailure, PublicHit


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


def over_limit(
    limits: dict[str, int], now: datetime, *, window: timedelta, count: list[str] | None = None
) -> bool:
    """Count one request in each bucket of ``count`` (by default every bucket of ``limits``:
    an address, a token), committed at once so that a refused or failed request still
    counts; True, without counting, when a bucket of ``limits`` already holds its limit
    within the window. Public pages answer 429 then."""
    counts = dict(
        db.session.execute(
            select(PublicHit.bucket, func.count(PublicHit.id))
            .where(PublicHit.bucket.in_(list(limits)), PublicHit.at > now - window)
            .group_by(PublicHit.bucket)
        ).all()
    )
    if any(counts.get(bucket, 0) >= limit for bucket, limit in limits.items()):
        return True
    count_hit(list(limits) if count is None else count, now)
    return False


def count_hit(buckets: list[str], now: datetime) -> None:
    """Count one request in each bucket, committed."""
    db.session.add_all(PublicHit(bucket=bucket[:80], at=now) for bucket in buckets)
    db.session.commit()


def forget_hits(now: datetime, *, older_than: timedelta) -> int:
    """Drop the counted requests too old to matter (the worker does it hourly)."""
    gone = db.session.execute(delete(PublicHit).where(PublicHit.at <= now - older_than))
    db.session.commit()
    return gone.rowcount
