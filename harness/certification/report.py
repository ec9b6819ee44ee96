"""The certification matrix as Markdown and HTML: per behavior ID the claim and the
verdict, then what makes two runs comparable (harness version, scenario digests, the
transcript digest)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lxml import etree
from lxml.html import builder as E

from harness.certification.certify import VERDICTS, Certification

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1d1d1f}
table{border-collapse:collapse;margin:1rem 0}
td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
.passed{color:#17692a}.failed{color:#b00020;font-weight:600}.inconclusive{color:#8a6d00}
.not-claimed{color:#777} code,pre{font-size:12px} pre{white-space:pre-wrap;background:#f6f6f6}
"""


def tally(cert: Certification) -> str:
    counts = {v: sum(b.verdict == v for b in cert.verdicts) for v in VERDICTS}
    return ", ".join(f"{counts[v]} {v}" for v in VERDICTS)


def _header(cert: Certification) -> list[tuple[str, str]]:
    return [
        ("product", cert.product),
        ("connector", cert.target),
        ("QuickBooks", cert.quickbooks),
        ("profile", cert.profile),
        ("app adapter", cert.adapter),
        ("claims from", cert.source or "(not stated)"),
        ("harness version", cert.harness_version),
        ("transcript digest (sha256)", cert.transcript_digest),
        ("result", ("certified: " if cert.certified else "not certified: ") + tally(cert)),
    ]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(cert: Certification) -> str:
    lines = [f"# Certification: {cert.product}", ""]
    lines += [f"- {name}: {_cell(value)}" for name, value in _header(cert)]
    lines += ["", "| behavior | claim | verdict | scenarios | note |", "|---|---|---|---|---|"]
    for row in cert.verdicts:
        scenarios = ", ".join(f"{r.id} ({r.status})" for r in row.results)
        note = row.reason or ""
        lines.append(
            f"| {row.behavior} | {row.claim.label} | {row.verdict} | {_cell(scenarios)} "
            f"| {_cell(note)} |"
        )
    lines += ["", "## Scenario versions", "", "| scenario file | sha256 |", "|---|---|"]
    lines += [f"| {name} | `{sha}` |" for name, sha in cert.scenario_digests.items()]
    warnings = _warnings(cert)
    if warnings:
        lines += ["", "## Warnings", "", *[f"- {_cell(w)}" for w in warnings]]
    failures = [r for r in cert.results if r.failure is not None]
    if failures:
        lines += ["", "## Failures", ""]
        for result in failures:
            assert result.failure is not None
            lines += ["```", result.failure.render(result.path), "```"]
    if cert.nothing_measured:
        lines += ["", "## Nothing measured", "", cert.nothing_measured]
    return "\n".join(lines) + "\n"


def _warnings(cert: Certification) -> list[str]:
    """What the harness had to decide about answers it read (element content), per scenario."""
    return [f"{r.id}: {warning}" for r in cert.results for warning in r.warnings]


def render_html(cert: Certification) -> str:
    title = f"Certification: {cert.product}"
    header = E.TABLE(*[E.TR(E.TH(name), E.TD(value)) for name, value in _header(cert)])
    matrix = E.TABLE(
        E.TR(E.TH("behavior"), E.TH("claim"), E.TH("verdict"), E.TH("scenarios"), E.TH("note")),
        *[
            E.TR(
                E.TD(row.behavior, title=row.text),
                E.TD(row.claim.label),
                E.TD(row.verdict, E.CLASS(row.verdict.replace(" ", "-"))),
                E.TD(", ".join(f"{r.id} ({r.status})" for r in row.results)),
                E.TD(row.reason or ""),
            )
            for row in cert.verdicts
        ],
        id="matrix",
    )
    versions = E.TABLE(
        E.TR(E.TH("scenario file"), E.TH("sha256")),
        *[E.TR(E.TD(name), E.TD(E.CODE(sha))) for name, sha in cert.scenario_digests.items()],
        id="versions",
    )
    details: list[Any] = [
        E.PRE(r.failure.render(r.path), E.CLASS("failed")) for r in cert.results if r.failure
    ]
    body = E.BODY(
        E.H1(title),
        header,
        E.H2("Matrix"),
        matrix,
        E.H2("Failures"),
        *(details or [E.P("none")]),
        E.H2("Warnings"),
        *([E.P(w, E.CLASS("inconclusive")) for w in _warnings(cert)] or [E.P("none")]),
        E.H2("Scenario versions"),
        versions,
        *(
            [E.H2("Nothing measured"), E.P(cert.nothing_measured, E.CLASS("inconclusive"))]
            if cert.nothing_measured
            else []
        ),
    )
    page = E.HTML(E.HEAD(E.META(charset="utf-8"), E.TITLE(title), E.STYLE(_CSS)), body)
    return "<!DOCTYPE html>\n" + etree.tostring(page, encoding="unicode", method="html")


def write(text: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
