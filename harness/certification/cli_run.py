"""``qbwc-harness certify --capabilities``: build the target and the adapter, run the plan,
print the matrix, write the reports."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from rich.table import Table

from harness.adapter import AdapterFactory, load_adapter, make_adapter
from harness.certification.capabilities import Capabilities
from harness.certification.certify import Certification, run_certification
from harness.certification.plan import plan_certification
from harness.certification.quickbooks import DEFAULT_PRODUCT
from harness.certification.report import render_html, render_markdown, tally, write
from harness.clock import SimClock
from harness.report.junit import write_junit
from harness.report.summary import grouped_warnings, warning_line
from harness.runner.results import ScenarioResult
from harness.runner.run import RunOptions
from harness.scenario.loader import LoadedScenario
from harness.world import ExternalConnector, WorldOptions, reference_profile_defaults

FAKE_APP = "harness.fieldservice_adapter:FieldServiceAdapter"
_STYLE = {"passed": "green", "failed": "bold red", "inconclusive": "yellow", "not claimed": "dim"}


def certify_claims(
    capabilities: Capabilities,
    scenarios: list[LoadedScenario],
    target: ExternalConnector | None,
    adapter_spec: str | None,
    profile: str | None,
    out: Console,
    quiet: bool,
    quickbooks: str = DEFAULT_PRODUCT,
) -> Certification:
    """Raises ``ValueError`` (an unusable adapter or profile) for the command to print as
    a usage error."""
    chosen_profile = profile or capabilities.profile
    reference_profile_defaults(chosen_profile)  # an unknown name: ValueError listing the known ones
    factory: AdapterFactory | None = load_adapter(adapter_spec) if adapter_spec else None
    if target is None and factory is not None:
        probe = make_adapter(factory, SimClock())
        if not hasattr(probe, "wsgi"):
            raise ValueError(
                f"--adapter {adapter_spec}: the reference connector (no --qwc) syncs with an "
                "app served as .wsgi, which this adapter does not offer; give --qwc"
            )
    external = target is not None
    plan = plan_certification(
        scenarios,
        capabilities,
        profile=chosen_profile,
        external=external,
        app_reachable=factory is not None or not external,
        quickbooks=quickbooks,
    )
    options = RunOptions(WorldOptions(external=target, app_adapter=factory))
    where = target.url if target else f"reference connector, profile {chosen_profile}, in-process"
    if not quiet:
        out.print(
            f"certifying {capabilities.product} ({where}) with {plan.quickbooks.product_name}",
            markup=False,
            highlight=False,
        )

    def progress(result: ScenarioResult, number: int, total: int) -> None:
        if not quiet:
            out.print(f"[{number}/{total}] {result.status.upper():12} {result.id}", markup=False)

    cert = run_certification(
        plan,
        options,
        target=where,
        adapter=adapter_spec or f"{FAKE_APP} (the fake app)",
        external=external,
        progress=progress,
    )
    print_matrix(cert, out, quiet)
    return cert


def print_matrix(cert: Certification, out: Console, quiet: bool) -> None:
    """Each failure in full (with ``quiet`` too, as ``run -q`` does), then, unless
    ``quiet``, the warnings and the matrix, then the closing line."""
    for result in cert.results:
        if result.failure is not None:
            text = result.failure.render(result.path)
            out.print(f"FAILED {result.id}\n{text}", markup=False, highlight=False)
    if not quiet:
        for ids, warning in grouped_warnings(cert.results):
            out.print(f"WARNING {warning_line(ids, warning)}", markup=False, highlight=False)
        table = Table(title=f"Certification: {cert.product}")
        for column in ("behavior", "claim", "verdict", "scenarios / reason"):
            table.add_column(column)
        for row in cert.verdicts:
            if row.verdict == "not claimed":
                continue  # listed in the Markdown and HTML reports
            detail = row.reason or ", ".join(r.id for r in row.results)
            if row.verdict == "failed":  # each failure is printed in full above the table
                failing = [r.id for r in row.results if r.failure is not None]
                detail = f"failed: {', '.join(failing)} (above)"
            style = _STYLE[row.verdict]
            table.add_row(row.behavior, row.claim.label, f"[{style}]{row.verdict}[/]", detail)
        out.print(table)
        unclaimed = sum(row.verdict == "not claimed" for row in cert.verdicts)
        out.print(f"{unclaimed} behaviors not claimed (listed in the Markdown and HTML reports)")
        out.print(f"harness {cert.harness_version}, transcripts sha256 {cert.transcript_digest}")
    verdict = "certified" if cert.certified else "NOT certified"
    out.print(f"{verdict}: {tally(cert)}", markup=False, highlight=False)
    if cert.nothing_measured:
        out.print(cert.nothing_measured, markup=False, highlight=False)


def write_reports(cert: Certification, reports: dict[str, Path | None]) -> None:
    if reports.get("markdown"):
        write(render_markdown(cert), reports["markdown"])  # type: ignore[arg-type]
    if reports.get("html"):
        write(render_html(cert), reports["html"])  # type: ignore[arg-type]
    if reports.get("json"):
        write(json.dumps(cert.to_json(), indent=2) + "\n", reports["json"])  # type: ignore[arg-type]
    if reports.get("junit"):
        write_junit(cert.results, reports["junit"])  # type: ignore[arg-type]
