"""Compare what a scenario expects with what the world shows, along the asserted fields only.

Records are found by any of their identity fields (a name, a number, an ID), and only the
fields the scenario wrote are compared, pytest-httpx style: a failure lists each differing
field with the expected and the actual value, nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

#: Fields that name a record, in the order they are tried (QuickBooks' and the app's).
IDENTITY_FIELDS = (
    "FullName",
    "Name",
    "RefNumber",
    "number",
    "name",
    "reference",
    "TxnID",
    "ListID",
    "id",
)

_FILTERED = re.compile(r"^(?P<collection>[^\[]+)\[(?P<field>[^=\]]+)=(?P<value>[^\]]*)\]$")


@dataclass(frozen=True)
class Mismatch:
    where: str
    expected: Any
    actual: Any

    def __str__(self) -> str:
        return f"{self.where}: expected {self.expected!r}, got {self.actual!r}"


class Missing:
    """An actual value that is not there at all (told apart from None)."""

    def __repr__(self) -> str:
        return "<missing>"


MISSING = Missing()


def records_of(snapshot: dict[str, Any], collection: str) -> list[dict[str, Any]] | None:
    found = snapshot.get(collection)
    if found is None:
        return None
    return list(found.values()) if isinstance(found, dict) else list(found)


def find_record(records: list[dict[str, Any]], key: str) -> dict[str, Any] | None:
    for field in IDENTITY_FIELDS:
        for record in records:
            if field in record and str(record[field]) == key:
                return record
    return None


def compare_side(
    side: str, expected: dict[str, dict[str, dict[str, Any]]], snapshot: dict[str, Any]
) -> list[Mismatch]:
    mismatches: list[Mismatch] = []
    for collection, by_key in expected.items():
        records = records_of(snapshot, collection)
        if records is None:
            known = ", ".join(sorted(snapshot))
            mismatches.append(Mismatch(f"{side}.{collection}", f"a collection ({known})", MISSING))
            continue
        for key, fields in by_key.items():
            where = f"{side}.{collection}[{key}]"
            record = find_record(records, str(key))
            if record is None:
                mismatches.append(Mismatch(where, "a record", MISSING))
                continue
            mismatches.extend(compare_value(where, fields, record))
    return mismatches


def compare_counts(side: str, expected: dict[str, int], snapshot: dict[str, Any]) -> list[Mismatch]:
    """``{payments: 1}`` or, filtered, ``{"payments[status=active]": 1}``."""
    mismatches: list[Mismatch] = []
    for spec, count in expected.items():
        collection, field, value = spec, None, None
        if match := _FILTERED.match(spec):
            collection, field, value = match["collection"], match["field"], match["value"]
        records = records_of(snapshot, collection) or []
        if field is not None:
            records = [r for r in records if values_equal(value, r.get(field, MISSING))]
        if len(records) != count:
            mismatches.append(Mismatch(f"{side} count of {spec}", count, len(records)))
    return mismatches


def compare_value(where: str, expected: Any, actual: Any) -> list[Mismatch]:
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [Mismatch(where, expected, actual)]
        found: list[Mismatch] = []
        for key, value in expected.items():
            found.extend(compare_value(f"{where}.{key}", value, actual.get(key, MISSING)))
        return found
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [Mismatch(where, expected, actual)]
        found = []
        for index, (exp, act) in enumerate(zip(expected, actual, strict=True)):
            found.extend(compare_value(f"{where}[{index}]", exp, act))
        return found
    return [] if values_equal(expected, actual) else [Mismatch(where, expected, actual)]


def values_equal(expected: Any, actual: Any) -> bool:
    """Scalars as a person reads them: 250 == "250.00", true == "true", None == null."""
    if actual is MISSING:
        return False
    if expected is None or actual is None:
        return expected is None and actual is None
    if isinstance(expected, bool) or isinstance(actual, bool):
        return str(expected).lower() == str(actual).lower()
    left, right = _number(expected), _number(actual)
    if left is not None and right is not None:
        return left == right
    return str(expected) == str(actual)


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    if isinstance(value, str) and re.fullmatch(r"-?\d+(\.\d+)?", value.strip()):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            return None
    return None
