"""Checks of request values shared by the domains (money and quantities: ``_money``)."""

from __future__ import annotations

from datetime import date

from ._errors import InvalidRequest


def parse_date(value: object, field: str) -> date:
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise InvalidRequest(f"{field} must be a date like 2026-01-05")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidRequest(f"{field} must be a date like 2026-01-05, not {value!r}") from None


def clean_text(value: object, field: str, *, required: bool = True) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InvalidRequest(f"{field} must be a non-empty string")
    return value.strip()
