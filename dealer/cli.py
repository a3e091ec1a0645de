"""Command-line tools: staff, tokens, parts, callbacks, VIPs, backups."""

from functools import wraps
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from dealer import services, worker
from dealer.audit import acting_as
from dealer.backup import BackupError, make_backup, restore_backup
from dealer.database import writing
from dealer.errors import DomainError
from dealer.extensions import db
from dealer.models import User
from dealer.roles import ROLES
from dealer.vocabulary import Language

users_cli = AppGroup("users", help="Manage staff accounts.")
tokens_cli = AppGroup("tokens", help="Issue and revoke API tokens.")


def take_write_lock_first(command: click.Command) -> None:
    """Run ``command`` (each command of a group) with write transactions: on a busy SQLite
    database it waits for the lock at the start of each transaction, instead of failing
    with "database is locked" when it comes to write after reading."""
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            take_write_lock_first(sub)
        return
    callback = command.callback
    if callback is None or getattr(callback, "takes_write_lock", False):
        return

    @wraps(callback)
    def run(*args, **kwargs):
        with writing():
            return callback(*args, **kwargs)

    run.takes_write_lock = True
    command.callback = run


def _fail(exc: DomainError) -> None:
    db.session.rollback()
    for field, message in exc.errors:
        click.echo(f"error: {field + ': ' if field else ''}{message}", err=True)
    raise SystemExit(1)


def _user_or_exit(username: str):
    user = services.find_user(username)
    if user is None:
        click.echo(f"error: no user called {username!r}", err=True)
        raise SystemExit(1)
    return user


@users_cli.command("create")
@click.argument("username")
@click.option("--password", required=True, help="At least 10 characters, not a common one.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice(ROLES),
    help="A role; repeat for several.",
)
@click.option(
    "--name", "full_name", default=None, help="The person's name (default: the username)."
)
@click.option("--language", default="en", type=click.Choice(Language.values()))
def create_user(username, password, roles, full_name, language):
    """Add a member of staff."""
    with acting_as(None):
        try:
            user = services.create_user(
                None,
                username=username,
                password=password,
                data=services.StaffInput(
                    full_name=full_name or username, roles=list(roles), language=language
                ),
                site=services.default_site(),
            )
            services.settings_for(user.site_id)
        except DomainError as exc:
            _fail(exc)
        db.session.commit()
    click.echo(f"created {user.username} with roles {', '.join(sorted(user.roles))}")


@users_cli.command("list")
def list_users():
    """List staff with their roles."""

    for user in db.session.scalars(
        select(User).order_by(User.username).options(selectinload(User.role_rows))
    ):
        state = "active" if user.active else "deactivated"
        click.echo(f"{user.username:20} {state:12} {', '.join(sorted(user.roles))}")


@users_cli.command("deactivate")
@click.argument("username")
def deactivate_user(username):
    """Deactivate a member of staff, ending their sessions and tokens."""
    user = _user_or_exit(username)
    try:
        services.set_active(None, user, False)
    except DomainError as exc:
        _fail(exc)
    db.session.commit()
    click.echo(f"deactivated {user.username}")


@users_cli.command("set-password")
@click.argument("username")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def set_password(username, password):
    """Set a new password, ending the user's sessions."""
    user = _user_or_exit(username)
    try:
        services.reset_password(None, user, password)
    except DomainError as exc:
        _fail(exc)
    db.session.commit()
    click.echo(f"password changed for {user.username}")


@tokens_cli.command("create")
@click.argument("username")
@click.option("--label", default="", help="What the token is for.")
def create_token(username, label):
    """Issue an API token; the token is printed alone on the last line."""
    user = _user_or_exit(username)
    try:
        token, plain = services.create_token(user, label)
    except DomainError as exc:
        _fail(exc)
    db.session.commit()
    click.echo(f"token {token.id} for {user.username} (shown once, keep it safe):")
    click.echo(plain)


@tokens_cli.command("revoke")
@click.argument("username")
@click.option("--id", "token_id", type=int, default=None, help="Only this token (default: all).")
def revoke_token(username, token_id):
    """Revoke a user's API tokens."""
    user = _user_or_exit(username)
    try:
        count = services.revoke_tokens(user, token_id)
    except DomainError as exc:
        _fail(exc)
    db.session.commit()
    click.echo(f"revoked {count} token(s) of {user.username}")


@tokens_cli.command("list")
@click.argument("username")
def list_tokens(username):
    """List a user's tokens (never the tokens themselves)."""
    user = _user_or_exit(username)
    for token in services.user_tokens(user):
        state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "live"
        click.echo(f"{token.id:6} {state:20} {token.created_at:%Y-%m-%d %H:%M} {token.label}")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """Write a consistent copy of the database and the storage folder to PATH (a new file)."""
    try:
        summary = make_backup(path)
    except BackupError as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(1) from None
    click.echo(
        f"Backed up the {summary.database} database and {summary.files} stored files "
        f"to {summary.path} ({summary.size:,} bytes)."
    )


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the data.")
def restore_command(path: Path, yes: bool) -> None:
    """Replace the database and the storage folder with the backup at PATH."""
    if not yes:
        click.confirm(
            "This replaces every record and stored file with the backup's. Go on?", abort=True
        )
    try:
        summary = restore_backup(path)
    except BackupError as exc:
        click.echo(f"error: {exc}; nothing was changed", err=True)
        raise SystemExit(1) from None
    click.echo(f"Restored the {summary.database} database and {summary.files} stored files.")


@click.command("worker")
@with_appcontext
def worker_command():
    """Run the background worker (sending messages, retries, daily planning) until stopped."""
    click.echo(f"The worker runs on {'Redis' if current_app.config.get('REDIS_URL') else 'SQLite'}")
    worker.run(current_app._get_current_object())
