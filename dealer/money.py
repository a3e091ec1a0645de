"""Money arithmetic: ``Decimal`` only, rounded half-up to the cent per line."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


def round_money(amount: Decimal) -> Decimal:
    """Round an amount half-up to two decimal places."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def parse_decimal(value, *, places: int | None = None) -> Decimal:
    """Turn user input (str, int or Decimal, never float) into a finite ``Decimal``."""
    if isinstance(value, (bool, float)):
        raise ValueError("not an exact decimal")
    if isinstance(value, str):
        value = value.strip().replace(",", "")
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValueError("not a number") from None
    if not number.is_finite():
        raise ValueError("not a number")
    if places is not None and number.as_tuple().exponent < -places:
        raise ValueError(f"at most {places} decimal places")
    return number
