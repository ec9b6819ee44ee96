"""Results grouped by behavior ID: what every report shows first."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from harness.runner.results import ScenarioResult
from harness.scenario.catalogue import catalogue, id_sort_key

#: How a behavior's scenarios add up, worst first.
_RANK = (
    "error",
    "failed",
    "xpassed",
    "inconclusive",
    "passed",
    "xfailed",
    "not_claimed",
    "skipped",
)


@dataclass(frozen=True)
class BehaviorRow:
    id: str
    text: str
    #: the worst of its scenarios' statuses; "partial" when some passed and the others did
    #: not run (skipped); "not covered" when none names it
    status: str
    scenarios: list[ScenarioResult]


def behavior_rows(results: list[ScenarioResult], *, all_ids: bool = False) -> list[BehaviorRow]:
    """One row per behavior named by a result (every catalogue ID if ``all_ids``)."""
    by_id: dict[str, list[ScenarioResult]] = {}
    for result in results:
        for behavior in result.behaviors:
            by_id.setdefault(behavior, []).append(result)
    ids = set(by_id) | (set(catalogue()) if all_ids else set())
    rows = []
    for behavior in sorted(ids, key=id_sort_key):
        scenarios = by_id.get(behavior, [])
        statuses = {r.status for r in scenarios}
        status = next((s for s in _RANK if s in statuses), "not covered")
        if status == "passed" and statuses - {"passed", "xfailed"}:
            status = "partial"  # a behavior passes only if every scenario measuring it ran
        entry = catalogue().get(behavior)
        rows.append(BehaviorRow(behavior, entry.text if entry else "", status, scenarios))
    return rows


def grouped_warnings(results: list[ScenarioResult]) -> list[tuple[list[str], str]]:
    """Each distinct warning once, with the scenarios that raised it, in the order first
    seen: a service that answers every callback the same way would otherwise repeat one
    warning for each scenario."""
    by_text: dict[str, list[str]] = {}
    for result in results:
        for warning in result.warnings:
            by_text.setdefault(warning, []).append(result.id)
    return [(ids, text) for text, ids in by_text.items()]


def warning_line(ids: list[str], text: str, *, most: int = 3) -> str:
    """``ids: text``, the scenario list cut to ``most`` names and a count."""
    shown = ", ".join(ids[:most])
    if len(ids) > most:
        shown += f" and {len(ids) - most} more"
    return f"{shown}: {text}"


def counts(results: list[ScenarioResult]) -> Counter[str]:
    return Counter(r.status for r in results)


def closing_line(results: list[ScenarioResult]) -> str:
    """The runner's last line, in the plain form CI systems read: 'N passed, N failed'."""
    tally = counts(results)
    failed = tally["failed"] + tally["error"] + tally["xpassed"]
    line = f"{tally['passed']} passed, {failed} failed"
    extras = [
        f"{tally[s]} {s}" for s in ("xfailed", "skipped", "not_claimed", "inconclusive") if tally[s]
    ]
    return ", ".join([line, *extras])
