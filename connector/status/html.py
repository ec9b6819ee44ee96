"""The status page as HTML: one self-contained document, every value escaped.

Record names, references and messages come from users (a customer named
``<script>``) and from QuickBooks: each is passed through ``html.escape`` on its way
into the page, attributes included. No script, no external resource (the route's
Content-Security-Policy allows only the inline style below).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from connector.status.view import (
    AppIssueRow,
    AttemptRow,
    HeldRow,
    InDoubtRow,
    RecordRow,
    SessionRow,
    StatusView,
)

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #222; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
.held, .failed { color: #a40000; }
details { margin: 0.25rem 0; }
"""


def render_html(view: StatusView) -> str:
    scope = escape(view.company) if view.company else "every company file"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>Reference connector status</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<h1>Reference connector status</h1>",
        f'<p>As of <time id="generated-at">{escape(view.generated_at)}</time>, for {scope}. '
        'The same as JSON: <a href="status.json">status.json</a>.</p>',
        _section("sessions", "Recent sessions", _sessions(view.sessions)),
        _section("held", "Records held back", _held(view.held, view.app_issues)),
        _section("in-doubt", "Writes in doubt", _in_doubt(view.in_doubt)),
        _section("records", "Records and their attempts", _records(view.records)),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _section(anchor: str, title: str, body: str) -> str:
    return f'<section id="{anchor}"><h2>{escape(title)}</h2>\n{body}\n</section>'


def _cell(value: object) -> str:
    return "" if value is None else escape(str(value))


def _table(headers: Sequence[str], rows: Iterable[tuple[str, Sequence[object]]]) -> str:
    """``rows``: (the row's class, its cells); an empty table is said in words."""
    lines = [
        f'<tr class="{escape(cls)}">' + "".join(f"<td>{_cell(c)}</td>" for c in cells) + "</tr>"
        for cls, cells in rows
    ]
    if not lines:
        return "<p>None.</p>"
    head = "<tr>" + "".join(f"<th>{escape(h)}</th>" for h in headers) + "</tr>"
    return "<table>\n" + head + "\n" + "\n".join(lines) + "\n</table>"


def _sessions(sessions: list[SessionRow]) -> str:
    return _table(
        ("Session", "User", "Company file", "Started", "Last call", "Closed", "Done", "Error"),
        (
            (
                "open" if s.closed is None else "closed",
                (
                    s.session,
                    s.user,
                    s.company_file,
                    s.started,
                    s.last_call,
                    s.closed or "open",
                    "" if s.total is None else f"{s.done or 0} of {s.total}",
                    s.last_error,
                ),
            )
            for s in sessions
        ),
    )


def _held(held: list[HeldRow], issues: list[AppIssueRow] | None) -> str:
    ours = _table(
        ("Company", "Record", "ID", "Outcome", "statusCode", "Why", "Since"),
        (
            (
                h.outcome,
                (h.company, h.entity, h.record_id, h.outcome, h.status_code, h.why, h.since),
            )
            for h in held
        ),
    )
    if issues is None:
        listed = "<p>The app did not answer; its list could not be read (see the log).</p>"
    else:
        listed = _table(
            ("Record", "Lives in", "Reference", "Why", "First seen", "Last seen"),
            (
                (
                    "held",
                    (
                        i.entity,
                        "QuickBooks only" if i.quickbooks_only else i.side,
                        i.reference,
                        i.why,
                        i.first_seen,
                        i.last_seen,
                    ),
                )
                for i in issues
            ),
        )
    return (
        "<h3>Not synced: the latest attempt</h3>\n"
        + ours
        + "\n<h3>Listed in the app as held (QuickBooks-only records included)</h3>\n"
        + listed
    )


def _in_doubt(writes: list[InDoubtRow]) -> str:
    return _table(
        ("Company", "Record", "App ID", "Handed to session", "At"),
        (("in-doubt", (w.company, w.entity, w.app_id, w.session, w.sent_at)) for w in writes),
    )


def _records(records: list[RecordRow]) -> str:
    if not records:
        return "<p>None.</p>"
    return "\n".join(_record(r) for r in records)


def _record(record: RecordRow) -> str:
    shown = len(record.attempts)
    more = (
        f" (the latest {shown} of {record.total_attempts})" if record.total_attempts > shown else ""
    )
    summary = (
        f"{escape(record.entity)} {escape(record.record_id)}: "
        f'<span class="{escape(record.status)}">{escape(record.status)}</span>'
        f" &middot; {escape(record.company)}{more}"
    )
    return f"<details><summary>{summary}</summary>\n{_attempts(record.attempts)}\n</details>"


def _attempts(attempts: list[AttemptRow]) -> str:
    return _table(
        ("At", "Session", "Request", "Outcome", "statusCode", "statusMessage"),
        (
            (
                a.outcome,
                (a.at, a.session, a.request, a.outcome, a.status_code, a.status_message),
            )
            for a in attempts
        ),
    )
