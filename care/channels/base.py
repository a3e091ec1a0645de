"""What every channel shares: the message it sends, the two ways it can fail, and the
generic HTTP gateway the SMS and WeChat providers speak (shared/API.md, "Messages")."""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

TIMEOUT = 10
"""Seconds a provider has to answer before the outbox tries again later."""


class TryAgain(Exception):
    """The provider could not take the message now: the outbox tries again later."""


class Refused(Exception):
    """The provider refused the message for good (a bad address, say)."""


@dataclass(frozen=True)
class Outgoing:
    """What a channel needs to send one message."""

    id: int
    to: str
    text: str
    subject: str | None = None
    language: str = "zh_Hans"


def post_json(url: str, body: dict) -> str | None:
    """POST ``body`` as JSON; any 2xx is taken. Answers the provider's id when it sends one
    back (``{"id": ...}``). A 4xx other than 408 and 429 is a refusal; anything else, or
    no answer, is tried again."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:  # nosec B310
            raw = answer.read(4096)
    except urllib.error.HTTPError as exc:
        if 400 <= exc.code < 500 and exc.code not in (408, 429):
            raise Refused(f"{exc.code} {exc.reason}") from exc
        raise TryAgain(f"{exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise TryAgain(str(getattr(exc, "reason", exc))) from exc
    try:
        answer_id = json.loads(raw or b"{}").get("id")
    except (ValueError, AttributeError):
        answer_id = None
    return str(answer_id)[:120] if answer_id is not None else None
