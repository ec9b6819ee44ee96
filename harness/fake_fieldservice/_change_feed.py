"""The change feed a connector polls: every create, update and delete, in order, by page."""

from __future__ import annotations

from typing import Any

from ._errors import InvalidRequest
from ._state import AppState


def changes_since(db: AppState, since: object, limit: object) -> dict[str, Any]:
    cursor = _parse_int(since if since not in (None, "") else "0", "since", minimum=0)
    count = _parse_int(limit if limit not in (None, "") else "100", "limit", minimum=1)
    count = min(count, 1000)
    page = [dict(entry) for entry in db.changes[cursor : cursor + count]]
    last = page[-1]["seq"] if page else cursor
    return {
        "changes": page,
        "cursor": str(last),
        "has_more": last < len(db.changes),
    }


def _parse_int(value: object, field: str, *, minimum: int) -> int:
    try:
        number = int(str(value))
    except ValueError:
        raise InvalidRequest(f"{field} must be a whole number, not {value!r}") from None
    if number < minimum:
        raise InvalidRequest(f"{field} must be at least {minimum}")
    return number
