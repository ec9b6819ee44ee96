"""Compare what a scenario expects with what the world shows, along the asserted fields only.

Records are found by any of their identity fields (a name, a number, an ID), and only the
fields the scenario wrote are compared, pytest-httpx style: a failure lists each differing
field with the expected and the actual value, nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from harness.scenario.selectors import is_matcher, parse_selection, split_sum

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
    side: str,
    expected: dict[str, dict[str, Any]],
    snapshot: dict[str, Any],
    actual_of: Callable[[str, dict[str, Any]], Any] = lambda collection, record: record,
) -> list[Mismatch]:
    """Each expected record against what ``actual_of`` reads from it and its collection
    (the record itself, or e.g. its sync history); ``side`` starts each difference's name."""
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
            mismatches.extend(compare_value(where, fields, actual_of(collection, record)))
    return mismatches


def compare_counts(side: str, expected: dict[str, int], snapshot: dict[str, Any]) -> list[Mismatch]:
    """``{payments: 1}``, or filtered: ``{"payments[status=active][applications.invoice_id=5]":
    1}``, ``{"payments[status!=voided]": 1}`` (see ``select``)."""
    mismatches: list[Mismatch] = []
    for spec, count in expected.items():
        records = select(snapshot, spec)
        if len(records) != count:
            mismatches.append(Mismatch(f"{side} count of {spec}", count, len(records)))
    return mismatches


def compare_sums(side: str, expected: dict[str, Any], snapshot: dict[str, Any]) -> list[Mismatch]:
    """``{"payments[status=active].amount": "100.00"}``: the total of one field over the
    selected records (a record without the field counts as 0)."""
    mismatches: list[Mismatch] = []
    for spec, total in expected.items():
        selection, field = split_sum(spec)
        values = [v for r in select(snapshot, selection) for v in _values_at(r, field)]
        summed = sum((_number(v) or Decimal(0) for v in values), Decimal(0))
        if not values_equal(total, summed):
            mismatches.append(Mismatch(f"{side} sum of {spec}", str(total), str(summed)))
    return mismatches


def select(snapshot: dict[str, Any], spec: str) -> list[dict[str, Any]]:
    """The records of a selection. A filter field may be a dotted path into nested records;
    where the path crosses a list, any element may match (``applications.invoice_id=5``:
    some application is to invoice 5). ``!=`` keeps the records that no value matches."""
    parsed = parse_selection(spec)
    if parsed is None:
        raise ValueError(f"{spec!r} is not a collection with [field=value] filters")
    collection, filters = parsed
    records = records_of(snapshot, collection) or []
    for field, wanted, value in filters:
        records = [
            r
            for r in records
            if any(values_equal(value, v) for v in _values_at(r, field)) == wanted
        ]
    return records


def _values_at(record: Any, path: str) -> list[Any]:
    """Every value at a dotted path (lists are searched element by element)."""
    values = [record]
    for part in path.split("."):
        found: list[Any] = []
        for value in values:
            items = value if isinstance(value, list) else [value]
            found.extend(item[part] for item in items if isinstance(item, dict) and part in item)
        values = found
    return [v for value in values for v in (value if isinstance(value, list) else [value])]


def compare_value(where: str, expected: Any, actual: Any) -> list[Mismatch]:
    if is_matcher(expected):
        return [] if matches(expected, actual) else [Mismatch(where, _described(expected), actual)]
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


def matches(expected: dict[str, Any], actual: Any) -> bool:
    """``{contains: text}``, ``{matches: regex}`` (in full), ``{not_empty: true}`` (present,
    not null, not "", not an empty list), ``{one_of: [values]}``."""
    ((kind, arg),) = expected.items()
    if actual is MISSING:
        return False
    if kind == "contains":
        return actual is not None and str(arg) in str(actual)
    if kind == "matches":
        return actual is not None and re.fullmatch(arg, str(actual)) is not None
    if kind == "not_empty":
        return actual not in (None, "", [], {})
    return any(values_equal(option, actual) for option in arg)


def _described(expected: dict[str, Any]) -> str:
    ((kind, arg),) = expected.items()
    return {
        "contains": f"text containing {arg!r}",
        "matches": f"text matching {arg!r}",
        "not_empty": "a non-empty value",
    }.get(kind, f"one of {arg!r}")


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
