"""A Markdown matrix for a CI job summary: behavior x profile, like the seed product tables."""

from __future__ import annotations

from harness.runner.results import ScenarioResult
from harness.scenario.catalogue import id_sort_key

_MARK = {
    "passed": "Yes",
    "xfailed": "No (documented)",
    "failed": "FAILED",
    "error": "ERROR",
    "xpassed": "FAILED (passed unexpectedly)",
    "skipped": "skipped",
    "not_claimed": "not claimed",
    "inconclusive": "inconclusive",
}
_RANK = (
    "error",
    "failed",
    "xpassed",
    "inconclusive",
    "xfailed",
    "passed",
    "not_claimed",
    "skipped",
)


def render_matrix(results: list[ScenarioResult]) -> str:
    profiles = sorted({r.profile for r in results})
    cells: dict[tuple[str, str], set[str]] = {}
    for result in results:
        for behavior in result.behaviors:
            cells.setdefault((behavior, result.profile), set()).add(result.status)
    behaviors = sorted({b for b, _ in cells}, key=id_sort_key)
    lines = [
        "| behavior | " + " | ".join(profiles) + " |",
        "|---|" + "---|" * len(profiles),
    ]
    for behavior in behaviors:
        row = []
        for profile in profiles:
            statuses = cells.get((behavior, profile))
            worst = next((s for s in _RANK if statuses and s in statuses), None)
            if worst == "passed" and statuses and statuses - {"passed", "xfailed"}:
                row.append("partial (some scenarios did not run)")
                continue
            row.append(_MARK[worst] if worst else "")
        lines.append(f"| {behavior} | " + " | ".join(row) + " |")
    notes = [
        f"- {r.id}: inconclusive ({r.cause or 'no cause given'}): {r.reason}"
        for r in results
        if r.status == "inconclusive"
    ]
    notes += [f"- {r.id}: warning: {warning}" for r in results for warning in r.warnings]
    if notes:
        lines += ["", "Why inconclusive, and warnings:", "", *notes]
    return "\n".join(lines) + "\n"
