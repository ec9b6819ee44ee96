"""The terminal report: failures first with their diffs, then the table by behavior."""

from __future__ import annotations

import os

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from harness.report.summary import behavior_rows, closing_line, grouped_warnings, warning_line
from harness.runner.results import ScenarioResult

_STYLE = {
    "passed": "green",
    "xfailed": "green",
    "failed": "bold red",
    "error": "bold red",
    "xpassed": "bold red",
    "skipped": "dim",
    "not_claimed": "dim",
    "inconclusive": "yellow",
    "partial": "yellow",
    "not covered": "dim",
}


#: Columns for tables when the output is not a terminal (a CI log, a file): rich would
#: otherwise cut every line at 80 columns.
LOG_WIDTH = 200


def console_for(stderr: bool = False) -> Console:
    """The command's console: a terminal's own width; elsewhere long lines are not wrapped
    (``COLUMNS``, when set, still rules)."""
    terminal = Console(stderr=stderr)
    if terminal.is_terminal or "COLUMNS" in os.environ:
        return terminal
    return Console(stderr=stderr, width=LOG_WIDTH, soft_wrap=True)


def print_report(results: list[ScenarioResult], console: Console, quiet: bool = False) -> None:
    """Failures with their diffs, then (unless ``quiet``) the table by behavior, then the
    closing line."""
    print_failures(results, console)
    if not quiet:
        print_table(results, console)
    console.print(closing_line(results), markup=False, highlight=False)


def print_failures(results: list[ScenarioResult], console: Console) -> None:
    for result in results:
        if result.failure and result.status in ("failed", "error", "xpassed"):
            console.print(
                f"[bold red]{result.status.upper()}[/] {escape(result.id)}  ({escape(result.title)})",
                soft_wrap=True,
            )
            console.print(
                result.failure.render(result.path), markup=False, highlight=False, soft_wrap=True
            )
            console.print(
                f"    transcript: qbwc-harness show {result.path}", style="dim", soft_wrap=True
            )
            console.print()
    for result in results:
        if result.status == "inconclusive":
            cause = f" ({result.cause})" if result.cause else ""
            console.print(
                f"[yellow]INCONCLUSIVE[/]{cause} {escape(result.id)}: {escape(result.reason or '')}",
                soft_wrap=True,
                highlight=False,
            )
    for ids, warning in grouped_warnings(results):
        console.print(f"[yellow]WARNING[/] {escape(warning_line(ids, warning))}", soft_wrap=True)


def print_table(results: list[ScenarioResult], console: Console) -> None:
    table = Table(title="Results by behavior", show_lines=False)
    table.add_column("behavior", no_wrap=True)
    table.add_column("verdict", no_wrap=True)
    table.add_column("scenarios")
    for row in behavior_rows(results):
        names = escape(", ".join(r.id for r in row.scenarios))
        table.add_row(row.id, f"[{_STYLE.get(row.status, '')}]{row.status}[/]", names)
    console.print(table)
