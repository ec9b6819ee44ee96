"""The selectors and matchers of the scenario language's ``expect`` blocks.

A *selection* names a collection and filters it: ``payments[status=active]``,
``payments[status!=voided][applications.invoice_id=5]`` (a dotted path reaches into nested
records; where it crosses a list, any element may match). A *matcher* stands where a value
is expected: ``{contains: text}``, ``{matches: regex}`` (in full), ``{not_empty: true}``,
``{one_of: [values]}``. The runner applies them (``harness.runner.compare``); the model
checks them at load, so a mistake is a file:line error before anything runs.
"""

from __future__ import annotations

import re
from typing import Any

#: ``collection[field=value][other.field!=value]``: a collection and its filters.
_SELECTION = re.compile(r"^(?P<collection>[^\[\]]+)(?P<filters>(\[[^\]]*\])*)$")
_FILTER = re.compile(r"\[(?P<field>[^=!\]]+)(?P<op>!?=)(?P<value>[^\]]*)\]")

#: A mapping with exactly one of these keys is a matcher, not a nested record (no field of
#: the app or of QuickBooks has these names).
MATCHERS = ("contains", "matches", "not_empty", "one_of")


def is_matcher(expected: Any) -> bool:
    return isinstance(expected, dict) and len(expected) == 1 and next(iter(expected)) in MATCHERS


def matcher_problem(expected: dict[str, Any]) -> str | None:
    """What is wrong with a matcher as written, for the loader (None: nothing)."""
    ((kind, arg),) = expected.items()
    if kind in ("contains", "matches") and not isinstance(arg, str):
        return f"{kind}: expected a string, got {arg!r}"
    if kind == "matches":
        try:
            re.compile(arg)
        except re.error as exc:
            return f"matches: not a regular expression: {exc}"
    if kind == "not_empty" and arg is not True:
        return "not_empty: expected true"
    if kind == "one_of" and not (isinstance(arg, list) and arg):
        return "one_of: expected a non-empty list of values"
    return None


def parse_selection(spec: str) -> tuple[str, list[tuple[str, bool, str]]] | None:
    """``payments[status!=voided]`` -> ("payments", [("status", False, "voided")]); None
    when ``spec`` is not a selection."""
    match = _SELECTION.match(spec)
    if match is None:
        return None
    filters = [
        (f["field"].strip(), f["op"] == "=", f["value"]) for f in _FILTER.finditer(match["filters"])
    ]
    if "".join(f.group(0) for f in _FILTER.finditer(match["filters"])) != match["filters"]:
        return None
    return match["collection"], filters


def split_sum(spec: str) -> tuple[str, str]:
    """``payments[status=active].applications.amount`` -> (the selection, the field path);
    ValueError when there is no field after the selection."""
    end = spec.rindex("]") + 1 if "]" in spec else spec.find(".")
    selection, field = spec[:end], spec[end + 1 :]
    if end <= 0 or spec[end : end + 1] != "." or not field or parse_selection(selection) is None:
        raise ValueError(f"{spec!r}: expected collection[filters].field")
    return selection, field
