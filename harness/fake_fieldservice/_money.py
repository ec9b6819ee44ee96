"""Money and quantities: decimals on the inside, decimal strings on the wire ("125.00")."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ._errors import InvalidRequest

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def parse_decimal(value: object, field: str) -> Decimal:
    """Accept a decimal string or an integer; refuse anything else with a clear message."""
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise InvalidRequest(f'{field} must be a decimal string such as "125.00"')
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidRequest(f'{field} must be a decimal string such as "125.00"') from None
    if not number.is_finite():
        raise InvalidRequest(f"{field} must be a finite number")
    if abs(number) >= Decimal("1e12"):
        raise InvalidRequest(f"{field} is too large")
    return number


def parse_money(value: object, field: str, *, allow_negative: bool = False) -> Decimal:
    amount = parse_decimal(value, field)
    if amount != amount.quantize(CENT):
        raise InvalidRequest(f"{field} has more than two decimal places: {value}")
    if amount < 0 and not allow_negative:
        raise InvalidRequest(f"{field} may not be negative: {value}")
    return amount.quantize(CENT)


def round_money(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def money_str(amount: Decimal) -> str:
    return str(amount.quantize(CENT))


def quantity_str(quantity: Decimal) -> str:
    """Quantities print without trailing zeros ("2", "1.5"), never in exponent form."""
    text = format(quantity.normalize(), "f")
    return "0" if text in ("-0", "") else text
