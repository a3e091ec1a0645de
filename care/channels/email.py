"""E-mail over SMTP: ``MAIL_URL`` is ``smtp://[user:password@]host:port`` (``smtps://`` for
TLS from the start), ``MAIL_FROM`` the sender."""

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import unquote, urlsplit

from care.channels.base import TIMEOUT, Outgoing, Refused, TryAgain


class Channel:
    name = "email"

    def __init__(self, url: str, sender: str):
        parts = urlsplit(url)
        self.secure = parts.scheme == "smtps"
        self.host = parts.hostname or "localhost"
        self.port = parts.port or (465 if self.secure else 25)
        self.user = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.sender = sender

    @classmethod
    def from_config(cls, config) -> "Channel | None":
        url = config.get("MAIL_URL")
        return cls(url, config.get("MAIL_FROM") or "service@localhost") if url else None

    def send(self, message: Outgoing) -> str | None:
        mail = EmailMessage()
        mail["From"] = self.sender
        mail["To"] = message.to
        mail["Subject"] = message.subject or ""
        mail["Message-ID"] = make_msgid(idstring=f"outbox-{message.id}")
        mail.set_content(message.text)
        mail["Content-Language"] = "zh-Hans" if message.language == "zh_Hans" else "en"
        try:
            if self.secure:
                server = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=TIMEOUT, context=ssl.create_default_context()
                )
            else:
                server = smtplib.SMTP(self.host, self.port, timeout=TIMEOUT)
            with server:
                if self.user:
                    server.login(self.user, self.password or "")
                server.send_message(mail)
        except smtplib.SMTPRecipientsRefused as exc:
            raise Refused(str(exc)) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise TryAgain(str(exc)) from exc
        return mail["Message-ID"]
