"""Cursor times: modified-since positions in QuickBooks' TimeModified (ISO 8601 text), how
far back a read reaches before one, and which of two is later or earlier (text compared
when a value is not a time)."""

from __future__ import annotations

from datetime import datetime, timedelta

#: How far back a modified-since read reaches before its cursor. The cursor is a QuickBooks
#: TimeModified, and QuickBooks' clock can be reset backwards (a time resync on its
#: computer): a change made after that is "older" than the cursor and would never be read.
#: Re-reading the overlap costs little (unchanged records are skipped by EditSequence); a
#: record missed is lost (found by `qbwc-harness fuzz`, scenarios/regressions/).
CLOCK_SKEW_MARGIN = timedelta(hours=1)


def skew_back(cursor: str | None) -> str | None:
    if cursor is None:
        return None
    try:
        return (_parse_time(cursor) - CLOCK_SKEW_MARGIN).isoformat()
    except ValueError:
        return cursor


def _parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value)


def later(current: str | None, candidate: str) -> str:
    if current is None:
        return candidate
    try:
        return candidate if _parse_time(candidate) > _parse_time(current) else current
    except ValueError:
        return max(current, candidate)


def earlier(current: str | None, candidate: str) -> str:
    if current is None:
        return candidate
    try:
        return candidate if _parse_time(candidate) < _parse_time(current) else current
    except ValueError:
        return min(current, candidate)
