"""Vehicle identification numbers (ISO 3779).

17 characters of digits and capital letters without I, O and Q. The
ninth character is a check digit (49 CFR 565). North America and China
(GB 16735) require it, so a mismatch there is refused; other markets do
not, so there it is only a warning.
"""

import re
import unicodedata
from dataclasses import dataclass, field

VIN_PATTERN = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")
_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
CHECK_DIGIT_MARKETS = {
    "1": "North America",
    "2": "North America",
    "3": "North America",
    "4": "North America",
    "5": "North America",
    "L": "China",
}


INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]")
"""Characters that show as nothing but come along when a VIN is pasted or typed with an
input method (zero-width spaces and joiners, soft hyphens, byte-order marks)."""
FRAME_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,15}[A-Z0-9]$")


def _plain(text: str) -> str:
    """Full-width letters and digits (from a Chinese input method) as plain ones, without
    invisible characters and spaces, in capitals."""
    text = INVISIBLE.sub("", unicodedata.normalize("NFKC", text or ""))
    return re.sub(r"\s", "", text).upper()


def clean_vin(text: str) -> str:
    """Upper-case; full-width characters made plain; drop spaces, dashes and invisible ones."""
    return _plain(text).replace("-", "")


def clean_frame_number(text: str) -> str:
    """A chassis (frame) number as written: plain capitals, dashes kept (``ZZT240-1234567``)."""
    return re.sub(r"-{2,}", "-", _plain(text))


def check_digit(vin: str) -> str:
    """The check digit a 17-character VIN should carry in position 9."""
    total = sum(_VALUES[ch] * weight for ch, weight in zip(vin, _WEIGHTS, strict=True))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


@dataclass
class VinCheck:
    """The verdict on a VIN: refused with ``error``, or accepted with ``warnings``."""

    vin: str
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


def check_vin(text: str) -> VinCheck:
    """Clean and check a VIN; the messages are in English for translation by the caller."""
    vin = clean_vin(text)
    if len(vin) != 17:
        return VinCheck(vin, error="length")
    if not VIN_PATTERN.match(vin):
        return VinCheck(vin, error="alphabet")
    if check_digit(vin) == vin[8]:
        return VinCheck(vin)
    if vin[0] in CHECK_DIGIT_MARKETS:
        return VinCheck(vin, error="check_digit")
    return VinCheck(vin, warnings=["check_digit"])


def with_check_digit(vin16: str) -> str:
    """Complete a VIN whose ninth character is a placeholder with the right check digit."""
    vin = vin16[:8] + "0" + vin16[9:]
    return vin[:8] + check_digit(vin) + vin[9:]


def check_frame_number(text: str) -> VinCheck:
    """Check a frame number, for a vehicle without a 17-character VIN (built before 1981, or
    for the Japanese market): 4 to 17 letters and digits, dashes between."""
    number = clean_frame_number(text)
    if not FRAME_PATTERN.match(number):
        return VinCheck(number, error="frame")
    return VinCheck(number)
