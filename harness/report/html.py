"""A self-contained HTML report: per behavior the verdict, per scenario the failing step with
its diff, and the full SOAP/qbXML transcript of every Web Connector session."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lxml import etree
from lxml.html import builder as E

from harness.report.summary import behavior_rows, closing_line
from harness.runner.results import ScenarioResult

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1d1d1f}
h1{font-size:1.4rem} table{border-collapse:collapse;width:100%;margin:1rem 0}
td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
.passed,.xfailed{color:#17692a}.failed,.error,.xpassed{color:#b00020;font-weight:600}
.skipped,.not_claimed,.not-covered{color:#777}.inconclusive,.partial{color:#8a6d00}
pre{background:#f6f6f6;padding:.6rem;overflow-x:auto;white-space:pre-wrap;font-size:12px}
details{margin:.4rem 0} summary{cursor:pointer}
"""


def render_html(results: list[ScenarioResult], title: str = "qbwc-harness report") -> str:
    rows = behavior_rows(results)
    behavior_table = E.TABLE(
        E.TR(E.TH("behavior"), E.TH("verdict"), E.TH("scenarios"), E.TH("what it means")),
        *[
            E.TR(
                E.TD(row.id),
                E.TD(row.status, E.CLASS(row.status.replace(" ", "-"))),
                E.TD(*_links(row.scenarios)),
                E.TD(row.text),
            )
            for row in rows
        ],
        id="behaviors",
    )
    body = E.BODY(
        E.H1(title),
        E.P(closing_line(results), id="totals"),
        E.H2("By behavior"),
        behavior_table,
        E.H2("Scenarios"),
        *[_scenario_section(r) for r in results],
    )
    page = E.HTML(E.HEAD(E.META(charset="utf-8"), E.TITLE(title), E.STYLE(_CSS)), body)
    return "<!DOCTYPE html>\n" + etree.tostring(page, encoding="unicode", method="html")


def write_html(results: list[ScenarioResult], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(results), encoding="utf-8")


def _links(results: list[ScenarioResult]) -> list[Any]:
    links: list[Any] = []
    for result in results:
        links.append(E.A(result.id, E.CLASS(result.status), href=f"#s-{result.id}"))
        links.append(" ")
    return links


def _scenario_section(result: ScenarioResult) -> Any:
    parts: list[Any] = [
        E.H3(result.id, " ", E.SPAN(result.status, E.CLASS(result.status))),
        E.P(result.title, E.BR(), f"{result.path} · behaviors {', '.join(result.behaviors)}"),
    ]
    if result.reason:
        cause = f" ({result.cause})" if result.cause else ""
        parts.append(E.P(f"reason{cause}: {result.reason}"))
    parts.extend(E.P(f"warning: {warning}", E.CLASS("warning")) for warning in result.warnings)
    if result.failure:
        parts.append(E.PRE(result.failure.render(result.path), E.CLASS("failure")))
    if result.connector_log:
        parts.append(E.DETAILS(E.SUMMARY("connector log"), E.PRE(result.connector_log)))
    for number, transcript in enumerate(result.transcripts, 1):
        outcome = transcript.get("outcome", {})
        label = f"session {number}: {outcome.get('status')} {outcome.get('message') or ''}"
        parts.append(E.DETAILS(E.SUMMARY(label), *_events(transcript)))
    return E.DIV(*parts, id=f"s-{result.id}", CLASS="scenario")


def _events(transcript: dict[str, Any]) -> list[Any]:
    rows: list[Any] = []
    for event in transcript.get("events", []):
        if event["kind"] == "soap":
            args = json.dumps(event["arguments"], ensure_ascii=False)
            text = f"{event['sim_time']}  {event['method']}({args}) -> {event['result']!r}"
            if event.get("error"):
                text += f"  ERROR {event['error']}"
            if event.get("reading"):
                text += f"  (harness: {event['reading']})"
            rows.append(E.PRE(text, E.CLASS("soap")))
        elif event["kind"] == "qbxml":
            rows.append(
                E.DETAILS(E.SUMMARY(f"qbXML request #{event['seq']}"), E.PRE(event["request"]))
            )
            answer = event["response"] or f"hresult {event['hresult']}: {event['message']}"
            if event.get("note"):
                answer += f"\n({event['note']})"
            rows.append(E.DETAILS(E.SUMMARY(f"qbXML response #{event['seq']}"), E.PRE(answer)))
        else:
            rows.append(E.PRE(f"{event['sim_time']}  {event.get('text', '')}", E.CLASS("note")))
    return rows
