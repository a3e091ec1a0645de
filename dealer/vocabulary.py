"""Vocabularies: each closed set of codes the records keep (an order's state, a payment
method, a callback's kind, ...) is one enum, each code with its label.

The code is what the database stores and the API sends; the label is what a person reads,
translated when shown. Models build their check constraints from the enum, the API its
``Literal`` types, forms their choices, and pages and papers their labels, so a vocabulary
is spelled once.
"""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Vocabulary(StrEnum):
    """A code with its label: ``CASH = "cash", _l("Cash")``."""

    def __new__(cls, value: str, label=None):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label if label is not None else value
        return member

    @classmethod
    def values(cls) -> tuple[str, ...]:
        """The codes, in the order the enum lists them."""
        return tuple(member.value for member in cls)

    @classmethod
    def labels(cls) -> dict[str, object]:
        """Code to label, for pages and papers."""
        return {member.value: member.label for member in cls}

    @classmethod
    def choices(cls) -> list[tuple[str, object]]:
        """(code, label) pairs for a form's select."""
        return [(member.value, member.label) for member in cls]

    @classmethod
    def check(cls, column: str, *, nullable: bool = False) -> str:
        """The SQL of a check constraint that keeps ``column`` to these codes."""
        listed = ", ".join(f"'{value}'" for value in cls.values())
        condition = f"{column} IN ({listed})"
        return f"{column} IS NULL OR {condition}" if nullable else condition


class Language(Vocabulary):
    """A language the product speaks; each is named in itself."""

    EN = "en", "English"
    ZH_HANS = "zh_Hans", "简体中文"


class AuditAction(Vocabulary):
    """What an audit entry records was done to a record."""

    CREATE = "create", _l("created")
    UPDATE = "update", _l("changed")
    DELETE = "delete", _l("deleted")
    VIEW = "view", _l("viewed")


class Skill(Vocabulary):
    """What a technician can do, and what a booked job asks for."""

    MAINTENANCE = "maintenance", _l("Maintenance")
    DIAGNOSIS = "diagnosis", _l("Diagnosis")
    ELECTRICAL = "electrical", _l("Electrical")
    ENGINE = "engine", _l("Engine")
    CHASSIS = "chassis", _l("Chassis")
    BODY = "body", _l("Body")
    PAINT = "paint", _l("Paint")


class Equipment(Vocabulary):
    """Special equipment some jobs need, of which a site has a few."""

    ALIGNMENT = "alignment", _l("Alignment rig")
    PAINT_BOOTH = "paint_booth", _l("Paint booth")
