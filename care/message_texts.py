"""The text of each message, per event and language, with the placeholders it may use.

A text is written with ``{name}`` placeholders from ``PLACEHOLDERS``; ``render`` fills them
and refuses a text that names one the event does not give. SMS texts are kept short: one
Chinese SMS holds 70 characters, an English one 160.
"""

from string import Formatter

from flask_babel import lazy_gettext as _l

from dealer.errors import DomainError

PLACEHOLDERS = {
    "order_received": {"customer", "dealer", "plate", "number", "link"},
    "estimate_ready": {"customer", "dealer", "plate", "number", "amount", "link"},
    "authorization_needed": {"customer", "dealer", "plate", "number", "amount", "link"},
    "inspection_ready": {"customer", "dealer", "plate", "number", "link"},
    "ready_for_pickup": {"customer", "dealer", "plate", "number", "amount", "link"},
    "thank_you_survey": {"customer", "dealer", "plate", "link"},
    "service_reminder": {"customer", "dealer", "plate", "due"},
    "appointment_confirmed": {"customer", "dealer", "plate", "when", "link"},
    "appointment_reminder": {"customer", "dealer", "plate", "when", "link"},
    "appointment_moved": {"customer", "dealer", "plate", "when", "link"},
    "appointment_missed": {"customer", "dealer", "plate", "link"},
    "holiday_greeting": {"customer", "dealer", "holiday"},
    "birthday_greeting": {"customer", "dealer"},
    "verification_code": {"dealer", "code"},
}
"""The placeholders each event's text may use."""

TEXTS = {
    "order_received": {
        "zh_Hans": "【{dealer}】{customer}您好，您的爱车{plate}已到店，工单{number}。"
        "维修进度请看：{link}",
        "en": "{dealer}: Hello {customer}, we have your car {plate} (order {number}). "
        "Follow it here: {link}",
    },
    "estimate_ready": {
        "zh_Hans": "【{dealer}】{customer}您好，{plate}的维修估价已出，合计{amount}。"
        "请查看并确认：{link}",
        "en": "{dealer}: The estimate for {plate} is ready: {amount}. "
        "See and approve it here: {link}",
    },
    "authorization_needed": {
        "zh_Hans": "【{dealer}】{customer}您好，技师在{plate}上发现需追加的项目，"
        "合计{amount}，请确认：{link}",
        "en": "{dealer}: Our technician found more work on {plate} ({amount}). "
        "Please approve or decline it: {link}",
    },
    "inspection_ready": {
        "zh_Hans": "【{dealer}】{customer}您好，{plate}的车辆检查报告已出，请查看：{link}",
        "en": "{dealer}: The inspection of {plate} is ready for you to see: {link}",
    },
    "ready_for_pickup": {
        "zh_Hans": "【{dealer}】{customer}您好，您的爱车{plate}已完工，应付{amount}，"
        "欢迎来店提车。详情：{link}",
        "en": "{dealer}: {plate} is ready for pickup. Amount due: {amount}. Details: {link}",
    },
    "thank_you_survey": {
        "zh_Hans": "【{dealer}】{customer}您好，感谢您的光临！请为本次服务打分：{link}",
        "en": "{dealer}: Thank you for your visit, {customer}. How did we do? {link}",
    },
    "service_reminder": {
        "zh_Hans": "【{dealer}】{customer}您好，您的爱车{plate}将于{due}到保养期，欢迎预约。",
        "en": "{dealer}: {plate} is due for its service by {due}. Book a time with us.",
    },
    "appointment_confirmed": {
        "zh_Hans": "【{dealer}】{customer}您好，您已预约{when}为{plate}保养维修。"
        "修改或取消：{link}",
        "en": "{dealer}: Your booking for {plate} is on {when}. Change or cancel: {link}",
    },
    "appointment_reminder": {
        "zh_Hans": "【{dealer}】提醒：您预约了{when}为{plate}保养维修。修改或取消：{link}",
        "en": "{dealer}: A reminder of your booking for {plate} on {when}. Change: {link}",
    },
    "appointment_moved": {
        "zh_Hans": "【{dealer}】{customer}您好，您为{plate}的预约已改到{when}。"
        "如不合适请修改：{link}",
        "en": "{dealer}: Your booking for {plate} has moved to {when}. Not convenient? {link}",
    },
    "appointment_missed": {
        "zh_Hans": "【{dealer}】{customer}您好，今天没等到您和{plate}。请另选时间：{link}",
        "en": "{dealer}: We missed you and {plate} today. Pick another time here: {link}",
    },
    "holiday_greeting": {
        "zh_Hans": "【{dealer}】{customer}您好，{holiday}快乐！祝您出行平安。",
        "en": "{dealer}: Happy {holiday}, {customer}! Safe travels.",
    },
    "birthday_greeting": {
        "zh_Hans": "【{dealer}】{customer}您好，祝您生日快乐！",
        "en": "{dealer}: Happy birthday, {customer}!",
    },
    "verification_code": {
        "zh_Hans": "【{dealer}】您的验证码是{code}，10分钟内有效。",
        "en": "{dealer}: Your code is {code}. It is valid for 10 minutes.",
    },
}
"""The texts the dealer starts with."""

SUBJECTS = {
    "zh_Hans": "{dealer}：您的爱车",
    "en": "{dealer}: your car",
}
"""An e-mail's subject line."""


def used_placeholders(text: str) -> set[str]:
    """The placeholders a text names."""
    return {name for _, name, _, _ in Formatter().parse(text) if name is not None}


def check_text(event: str, text: str) -> None:
    """Refuse a text that names a placeholder its event does not give, or that does not
    parse."""
    try:
        used = used_placeholders(text)
    except ValueError as exc:
        raise DomainError(_l("The text does not parse: %(why)s.", why=str(exc)), "text") from exc
    unknown = sorted(used - PLACEHOLDERS[event])
    if unknown:
        allowed = ", ".join("{" + name + "}" for name in sorted(PLACEHOLDERS[event]))
        names = ", ".join("{" + name + "}" for name in unknown)
        raise DomainError(
            _l("Unknown placeholder %(names)s: use %(allowed)s.", names=names, allowed=allowed),
            "text",
        )


def default_text(event: str, language: str) -> str:
    """The text the product starts with for ``event`` in ``language``."""
    texts = TEXTS[event]
    return texts.get(language) or texts["zh_Hans"]


def render(event: str, language: str, values: dict, text: str | None = None) -> str:
    """``text`` (by default the product's text of ``event`` in ``language``) with ``values``
    filled in."""
    text = text or default_text(event, language)
    check_text(event, text)
    return text.format_map({name: values.get(name, "") for name in PLACEHOLDERS[event]})


def subject(language: str, values: dict) -> str:
    return (SUBJECTS.get(language) or SUBJECTS["zh_Hans"]).format_map(values)
