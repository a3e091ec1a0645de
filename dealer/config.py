"""Configuration defaults; the environment overrides them, tests override both.

The embedded default is a SQLite file under ``instance/`` and a secret key
generated once and kept there. Production sets ``SECRET_KEY`` and
``DATABASE_URL`` (``postgresql+psycopg://...``) in the environment.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"


class Config:
    # Errors and logs never carry a statement's values: they may be a password hash, a
    # token's digest or a customer's number.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    PASSWORD_HASH = {"time_cost": 2, "memory_cost": 19456, "parallelism": 1}
    PASSWORD_MIN_LENGTH = 10
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    SESSION_IDLE_TIMEOUT = timedelta(hours=4)
    SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    # The cookie is written again when the session changes, which the idle check makes it
    # do at least once a minute of use; not on every request besides.
    SESSION_REFRESH_EACH_REQUEST = False
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")
    DEALER_TZ = "Asia/Shanghai"
    DEFAULT_PHONE_REGION = "CN"
    # Bodies are refused with 413 before they are read, by the kind of route: sign-in is a
    # few fields, a form at most a signature's size, a JSON body its longest text in any
    # script, an upload a photo or a parts file. MAX_CONTENT_LENGTH caps them all.
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    MAX_SIGN_IN_BYTES = 16 * 1024
    MAX_FORM_BYTES = 1024 * 1024
    MAX_JSON_BYTES = 4 * 1024 * 1024
    MAX_UPLOAD_BYTES = 16 * 1024 * 1024
    LOGIN_WINDOW = timedelta(minutes=15)
    LOGIN_MAX_PER_ACCOUNT = 5
    LOGIN_MAX_PER_ADDRESS = 30
    TRUSTED_PROXIES = 0
    PER_PAGE = 25


PUBLIC_LIMITS = {
    "PUBLIC_PER_ADDRESS": 300,
    "PUBLIC_PER_TOKEN": 120,
    "PUBLIC_MISSES_PER_ADDRESS": 20,
    "PUBLIC_CODES_PER_ADDRESS": 10,
}
"""Requests in ten minutes that the pages open to anyone (the customer's link) take from one
address, for one token, with tokens that open nothing from one address, and the booking codes
one address may ask for; the environment
may set others (a site behind a shared address, a load test)."""


CHANNEL_SETTINGS = (
    "MAIL_URL",
    "MAIL_FROM",
    "SMS_GATEWAY_URL",
    "SMS_WEBHOOK_SECRET",
    "WECHAT_API_URL",
    "REDIS_URL",
    "PUBLIC_URL",
)
"""The message channels, the worker's queue and the address customers reach the app by
(for the links in their messages), each set by the environment when used: a channel not set
up leaves its messages waiting in the outbox."""


def secret_key_from_instance(instance: Path) -> str:
    """Return the key kept in ``instance/secret_key``, creating it once."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return path.read_text().strip()


def from_environment(instance: Path) -> dict:
    """Read the settings the environment may give."""
    env = os.environ
    config = {
        "SQLALCHEMY_DATABASE_URI": env.get(
            "DATABASE_URL", f"sqlite:///{instance / 'servicedesk.db'}"
        ),
        "STORAGE_DIR": env.get("STORAGE_DIR", str(instance / "storage")),
        "WORKER_DB": env.get("WORKER_DB", str(instance / "worker.db")),
    }
    if env.get("SECRET_KEY"):
        config["SECRET_KEY"] = env["SECRET_KEY"]
    for name in CHANNEL_SETTINGS:
        if env.get(name):
            config[name] = env[name]
    if env.get("PDF_CJK_FONT"):
        config["PDF_CJK_FONT"] = env["PDF_CJK_FONT"]
    if env.get("DEALER_TZ"):
        config["DEALER_TZ"] = env["DEALER_TZ"]
    for name in PUBLIC_LIMITS:
        if env.get(name, "").isdigit():
            config[name] = int(env[name])
    if env.get("TRUSTED_PROXIES", "").isdigit():
        config["TRUSTED_PROXIES"] = int(env["TRUSTED_PROXIES"])
    if env.get("SESSION_COOKIE_SECURE", "").lower() in ("1", "true", "yes"):
        config["SESSION_COOKIE_SECURE"] = True
        config["SESSION_COOKIE_NAME"] = "__Host-session"
    return config
