"""Backups: a consistent copy of the database and the storage folder in one archive, and
its restore.

The archive is a gzipped tar holding ``manifest.json`` (format, time, database kind, schema
revision, and the SHA-256 of every member), the database (SQLite's online backup, taken
while the application keeps running; or ``pg_dump``'s custom format) and the files of
``STORAGE_DIR`` (photos, signatures, issued papers). A restore checks every checksum before
it touches anything, then puts the database back (SQLite's backup API page by page into the
live file; ``pg_restore --clean`` on PostgreSQL) and swaps the storage folder in whole.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from dealer.extensions import db
from dealer.types import utcnow

FORMAT = 1
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.pgdump"


class BackupError(Exception):
    """The backup or restore could not be done; nothing was changed by a failed restore."""


@dataclass(frozen=True)
class Summary:
    path: Path
    database: str
    files: int
    size: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _libpq_url(url) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _revision() -> str | None:
    try:
        return db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError:  # a database built without migrations has no such table
        db.session.rollback()
        return None


def _dump_database(url, target: Path) -> str:
    """Copy the database into ``target`` (a folder); returns the member's name."""
    if url.get_backend_name() == "sqlite":
        member = target / SQLITE_MEMBER
        source = sqlite3.connect(url.database)
        copy = sqlite3.connect(member)
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()
        return SQLITE_MEMBER
    member = target / POSTGRES_MEMBER
    done = subprocess.run(  # nosec B603
        ["pg_dump", "--format=custom", "--no-owner", "--file", str(member), _libpq_url(url)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    return POSTGRES_MEMBER


def make_backup(path: Path) -> Summary:
    """Write the archive to ``path`` (a new file)."""
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} exists already: choose a new file")
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    storage = Path(current_app.config["STORAGE_DIR"])
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        member = _dump_database(url, work)
        files = sorted(p for p in storage.rglob("*") if p.is_file()) if storage.is_dir() else []
        manifest = {
            "format": FORMAT,
            "created_at": utcnow().isoformat(),
            "database": url.get_backend_name(),
            "revision": _revision(),
            "members": {member: _sha256(work / member)},
        }
        for file in files:
            manifest["members"][f"storage/{file.relative_to(storage).as_posix()}"] = _sha256(file)
        partial = path.with_name(path.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            data = json.dumps(manifest, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            archive.add(work / member, arcname=member)
            for file in files:
                archive.add(file, arcname=f"storage/{file.relative_to(storage).as_posix()}")
        partial.replace(path)
    return Summary(path, url.get_backend_name(), len(files), path.stat().st_size)


def _unpack(path: Path, work: Path) -> dict:
    """Unpack the archive into ``work`` after checking it; returns the manifest."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            archive.extractall(work, filter="data")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{path} is not a readable backup: {exc}") from exc
    try:
        manifest = json.loads((work / "manifest.json").read_text())
    except (OSError, ValueError) as exc:
        raise BackupError("the backup has no readable manifest") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    for member, digest in manifest["members"].items():
        file = work / member
        if not file.is_file() or _sha256(file) != digest:
            raise BackupError(f"{member} is missing or damaged in the backup")
    return manifest


def restore_backup(path: Path) -> Summary:
    """Put the database and the storage folder back as the archive has them."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    storage = Path(current_app.config["STORAGE_DIR"])
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        manifest = _unpack(Path(path), work)
        if manifest["database"] != url.get_backend_name():
            raise BackupError(
                f"the backup is of a {manifest['database']} database, "
                f"this one is {url.get_backend_name()}"
            )
        db.session.remove()
        db.engine.dispose()
        if url.get_backend_name() == "sqlite":
            source = sqlite3.connect(work / SQLITE_MEMBER)
            live = sqlite3.connect(url.database, timeout=30)
            try:
                with live:
                    source.backup(live)
            finally:
                live.close()
                source.close()
        else:
            done = subprocess.run(  # nosec B603
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--dbname",
                    _libpq_url(url),
                    str(work / POSTGRES_MEMBER),
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                raise BackupError(f"pg_restore failed: {done.stderr.strip()}")
        restored = work / "storage"
        restored.mkdir(exist_ok=True)
        storage.parent.mkdir(parents=True, exist_ok=True)
        old = storage.with_name(storage.name + ".before-restore")
        if old.exists():
            shutil.rmtree(old)
        if storage.exists():
            os.replace(storage, old)
        shutil.copytree(restored, storage)
        if old.exists():
            shutil.rmtree(old)
        files = sum(1 for m in manifest["members"] if m.startswith("storage/"))
    return Summary(Path(path), url.get_backend_name(), files, Path(path).stat().st_size)
