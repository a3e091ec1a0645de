"""The dealer's own message texts: a manager writes the text of an event in a language,
checked for the placeholders the event gives, and sees it filled with an example first."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from care import message_texts
from care.models import MessageTemplate
from care.vocabulary import MessageEvent
from dealer.errors import DomainError
from dealer.extensions import db
from dealer.models import LANGUAGES, User
from dealer.roles import MANAGER
from dealer.services import check_version, require_role
from dealer.types import utcnow

MAX_TEXT = 500
EXAMPLE = {
    "customer": {"zh_Hans": "王先生", "en": "Mr Wang"},
    "dealer": {"zh_Hans": "示例汽车服务", "en": "Example Motors"},
    "plate": {"zh_Hans": "沪A·12345", "en": "沪A·12345"},
    "number": {"zh_Hans": "WO-2026-000123", "en": "WO-2026-000123"},
    "amount": {"zh_Hans": "¥1,280.00", "en": "¥1,280.00"},
    "link": {
        "zh_Hans": "https://dealer.example/l/Ab3dE5gH7jK9mN1p",
        "en": "https://dealer.example/l/Ab3dE5gH7jK9mN1p",
    },
    "due": {"zh_Hans": "2027-03-01", "en": "2027-03-01"},
    "when": {"zh_Hans": "12月8日 09:30", "en": "8 Dec 09:30"},
    "holiday": {"zh_Hans": "春节", "en": "Spring Festival"},
    "code": {"zh_Hans": "493817", "en": "493817"},
}
"""The values a preview fills in."""


def _check(event: str, language: str, text: str) -> str:
    if event not in MessageEvent.values():
        raise DomainError(_l("Unknown event."), "event")
    if language not in LANGUAGES:
        raise DomainError(_l("Unknown language."), "language")
    text = (text or "").strip()
    if not text:
        raise DomainError(_l("Write the text."), "text")
    if len(text) > MAX_TEXT:
        raise DomainError(_l("At most %(n)s characters.", n=MAX_TEXT), "text")
    message_texts.check_text(event, text)
    return text


def preview(event: str, language: str, text: str) -> str:
    """The text filled with example values, as a customer would read it."""
    text = _check(event, language, text)
    values = {name: EXAMPLE[name][language] for name in message_texts.PLACEHOLDERS[event]}
    return message_texts.render(event, language, values, text)


def texts_for(site_id: int) -> dict[tuple[str, str], MessageTemplate]:
    """The dealer's own texts by (event, language)."""
    return {
        (t.event, t.language): t
        for t in db.session.scalars(
            select(MessageTemplate).where(MessageTemplate.site_id == site_id)
        )
    }


def save_text(
    actor: User, event: str, language: str, text: str, *, version: int | None = None
) -> MessageTemplate | None:
    """Keep the dealer's text (not committed); a text equal to the product's own puts the
    product's back."""
    require_role(actor, MANAGER)
    text = _check(event, language, text)
    own = texts_for(actor.site_id).get((event, language))
    if own is not None:
        check_version(own, version)
    if text == message_texts.default_text(event, language):
        if own is not None:
            db.session.delete(own)
            db.session.flush()
        return None
    if own is None:
        own = MessageTemplate(site_id=actor.site_id, event=event, language=language, text=text)
        db.session.add(own)
    own.text, own.updated_by_id, own.updated_at = text, actor.id, utcnow()
    db.session.flush()
    return own


def reset_text(actor: User, event: str, language: str) -> None:
    """Go back to the product's text."""
    require_role(actor, MANAGER)
    db.session.execute(
        delete(MessageTemplate).where(
            MessageTemplate.site_id == actor.site_id,
            MessageTemplate.event == event,
            MessageTemplate.language == language,
        )
    )
