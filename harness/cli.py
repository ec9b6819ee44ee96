"""The ``qbwc-harness`` command."""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from harness.report.html import write_html
from harness.report.junit import write_junit
from harness.report.markdown import render_matrix
from harness.report.summary import closing_line
from harness.report.terminal import print_report
from harness.runner.results import ScenarioResult
from harness.runner.run import RunOptions, run_scenario
from harness.scenario import Problem, ScenarioError, default_registry, discover, load_scenario
from harness.scenario.loader import LoadedScenario
from harness.scenario.reference import render_reference
from harness.scenario.schema import render_schema
from harness.selection import Selection, SelectionError, parse_shard
from harness.templates import SCENARIO_TEMPLATE
from harness.world import ExternalConnector, WorldOptions

#: Exit codes CI can tell apart.
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

DEFAULT_SCENARIOS = Path("scenarios")


def _report_options(command: Any) -> Any:
    """The report files `run` and `certify` can write."""
    for option in reversed(
        [
            click.option("--junit", type=click.Path(path_type=Path), help="Write JUnit XML here."),
            click.option(
                "--html", type=click.Path(path_type=Path), help="Write the HTML report here."
            ),
            click.option(
                "--markdown", type=click.Path(path_type=Path), help="Write a Markdown matrix here."
            ),
            click.option(
                "--json", "json_path", type=click.Path(path_type=Path), help="Write results JSON."
            ),
        ]
    ):
        command = option(command)
    return command


def main() -> None:
    cli(prog_name="qbwc-harness")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="qbwc-harness")
def cli() -> None:
    """Conformance harness for QuickBooks Web Connector integrations."""


def _load_all(paths: tuple[Path, ...], err: Console) -> list[LoadedScenario]:
    targets = list(paths) or [DEFAULT_SCENARIOS]
    missing = [p for p in targets if not p.exists()]
    if missing:
        err.print(f"error: no such file or folder: {', '.join(map(str, missing))}", markup=False)
        sys.exit(EXIT_USAGE)
    files = discover(targets)
    loaded, problems = [], []
    registry = default_registry()
    for path in files:
        try:
            loaded.append(load_scenario(path, registry))
        except ScenarioError as exc:
            problems.extend(exc.problems)
    first_use: dict[str, Path] = {}
    for item in loaded:
        if item.id in first_use:
            used = f"id {item.id!r} is already used by {first_use[item.id]}"
            problems.append(Problem(item.path, 1, used))
        first_use.setdefault(item.id, item.path)
    if problems:
        for problem in problems:
            click.echo(str(problem), err=True)  # one line each, never wrapped
        err.print(f"{len(problems)} problem(s) in scenario files; nothing was run", style="red")
        sys.exit(EXIT_USAGE)
    return loaded


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--tag", "tags", multiple=True, help="Only scenarios with this tag (repeatable).")
@click.option(
    "--behavior", "behaviors", multiple=True, help="Only these behavior IDs or areas (PAY-02, PAY)."
)
@click.option("--profile", help="Only scenarios of this connector profile.")
@click.option("-k", "keyword", help="Only scenarios whose id, title or path contains this text.")
@click.option("--shard", help="Run shard i of n (e.g. 1/4), for parallel CI jobs.")
@click.option(
    "--transport",
    type=click.Choice(["inprocess", "http"]),
    default="inprocess",
    show_default=True,
    help="Reach the connector in-process or over real HTTP on loopback.",
)
@_report_options
@click.option("-q", "--quiet", is_flag=True, help="Only failures and the summary line.")
def run(
    paths: tuple[Path, ...],
    tags: tuple[str, ...],
    behaviors: tuple[str, ...],
    profile: str | None,
    keyword: str | None,
    shard: str | None,
    transport: str,
    junit: Path | None,
    html: Path | None,
    markdown: Path | None,
    json_path: Path | None,
    quiet: bool,
) -> None:
    """Run scenario files (default: ./scenarios) and report by behavior."""
    out, err = Console(), Console(stderr=True)
    try:
        selection = Selection(tags, behaviors, profile, keyword, parse_shard(shard))
    except SelectionError as exc:
        raise click.UsageError(str(exc)) from None
    chosen = selection.apply(_load_all(paths, err))
    if not chosen:
        err.print("no scenario matches the selection", style="yellow")
        sys.exit(EXIT_USAGE)
    options = RunOptions(WorldOptions(transport=transport))  # type: ignore[arg-type]
    results = _run_with_progress(chosen, options, out, quiet)
    print_report(results, out) if not quiet else out.print(closing_line(results), markup=False)
    _write_reports(results, junit, html, markdown, json_path, _result_json)
    sys.exit(EXIT_OK if all(r.ok for r in results) else EXIT_FAILED)


def _write_reports(
    results: list[ScenarioResult],
    junit: Path | None,
    html: Path | None,
    markdown: Path | None,
    json_path: Path | None,
    json_row: Callable[[ScenarioResult], dict[str, Any]],
) -> None:
    """The report files asked for (``json_row``: one result as a JSON object)."""
    if junit:
        write_junit(results, junit)
    if html:
        write_html(results, html)
    if markdown:
        markdown.parent.mkdir(parents=True, exist_ok=True)
        markdown.write_text(render_matrix(results), encoding="utf-8")
    if json_path:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps([json_row(r) for r in results], indent=2))


def _run_with_progress(
    chosen: list[LoadedScenario], options: RunOptions, out: Console, quiet: bool
) -> list[ScenarioResult]:
    results = []
    total = len(chosen)
    for number, loaded in enumerate(chosen, 1):
        result = run_scenario(loaded, options)
        results.append(result)
        if not quiet:
            style = "green" if result.ok else "bold red"
            out.print(
                f"[{number}/{total}] [{style}]{result.status.upper():8}[/] {result.id} "
                f"[dim]({result.duration:.2f}s)[/]",
                highlight=False,
            )
    return results


def _result_json(result: ScenarioResult) -> dict:
    return {
        "id": result.id,
        "path": str(result.path),
        "status": result.status,
        "behaviors": result.behaviors,
        "profile": result.profile,
        "failure": result.failure.render(result.path) if result.failure else None,
        "duration": round(result.duration, 4),
    }


@cli.command()
@click.argument("scenario", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["log", "json"]),
    default="log",
    show_default=True,
    help="QBWC-log style text with every qbXML message, or the structured transcript as JSON.",
)
@click.option("--transport", type=click.Choice(["inprocess", "http"]), default="inprocess")
def show(scenario: Path, fmt: str, transport: str) -> None:
    """Run one scenario and print its full transcript, to reproduce a bug."""
    out, err = Console(), Console(stderr=True)
    (loaded,) = _load_all((scenario,), err)
    result = run_scenario(loaded, RunOptions(WorldOptions(transport=transport)))  # type: ignore[arg-type]
    if fmt == "json":
        click.echo(json.dumps(result.transcripts, indent=2))
    else:
        for number, transcript in enumerate(result.transcripts, 1):
            click.echo(f"=== session {number}: {transcript['outcome']['status']}")
            for event in transcript["events"]:
                click.echo(_event_line(event))
    out.print()
    if result.failure:
        click.echo(result.failure.render(result.path), err=True)
    err.print(f"{result.id}: {result.status}", markup=False)
    sys.exit(EXIT_OK if result.ok else EXIT_FAILED)


def _event_line(event: dict) -> str:
    if event["kind"] == "soap":
        arguments = json.dumps({k: _abbreviate(v) for k, v in event["arguments"].items()})
        line = f"{event['sim_time']} {event['method']}({arguments}) -> "
        return line + repr(event["result"]) + (f" ERROR {event['error']}" if event["error"] else "")
    if event["kind"] == "qbxml":
        answer = event["response"] or f"[hresult {event['hresult']}] {event['message']}"
        return f"{event['sim_time']} qbXML request:\n{event['request']}\nqbXML response:\n{answer}"
    return f"{event['sim_time']} {event['text']}"


def _abbreviate(value: object) -> object:
    """qbXML arguments are printed in full as their own events; the call line names them."""
    if isinstance(value, str) and value.lstrip().startswith("<") and len(value) > 60:
        return f"<qbXML, {len(value)} characters>"
    return value


@cli.command()
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--behavior", "behaviors", multiple=True, default=["WC-01"], show_default=True)
def new(path: Path, behaviors: tuple[str, ...]) -> None:
    """Write a commented scenario template to PATH."""
    if path.exists():
        raise click.UsageError(f"{path} exists; choose another name")
    path.parent.mkdir(parents=True, exist_ok=True)
    scenario_id = path.stem.lower().replace(" ", "-")
    path.write_text(
        SCENARIO_TEMPLATE.format(id=scenario_id, behaviors=", ".join(behaviors)), encoding="utf-8"
    )
    click.echo(f"wrote {path}; run it with: qbwc-harness run {path}")


@cli.command()
@click.option("--out", type=click.Path(path_type=Path), help="Write the schema here.")
def schema(out: Path | None) -> None:
    """Print (or write) the JSON Schema of scenario files, for editors."""
    _print_or_write(render_schema(default_registry()), out)


@cli.command()
@click.option("--out", type=click.Path(path_type=Path), help="Write the reference here.")
def actions(out: Path | None) -> None:
    """Print (or write) every step, fault and action scenario files may use, as Markdown."""
    _print_or_write(render_reference(default_registry()), out)


def _print_or_write(text: str, out: Path | None) -> None:
    if out:
        out.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Check scenario files without running them."""
    loaded = _load_all(paths, Console(stderr=True))
    click.echo(f"{len(loaded)} scenario file(s) are valid")


CERTIFY_SCENARIOS = Path("scenarios") / "protocol"
PASSWORD_ENV = "QBWC_HARNESS_PASSWORD"


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--qwc",
    "qwc_path",
    type=click.Path(path_type=Path),
    help="The .qwc file the connector's vendor ships (validated as QBWC validates it).",
)
@click.option(
    "--capabilities",
    "capabilities_path",
    type=click.Path(path_type=Path),
    help="A capability declaration (YAML): run the scenarios of every claimed behavior "
    "(default: all of ./scenarios) and report a matrix with no skips.",
)
@click.option(
    "--adapter",
    "adapter_spec",
    help="MODULE:CLASS, the AppAdapter for the connector's app (default: the fake app).",
)
@click.option(
    "--profile",
    help="With --capabilities and no --qwc: certify the reference connector in-process "
    "under this profile (default: the declaration's profile).",
)
@click.option(
    "--password",
    envvar=PASSWORD_ENV,
    show_envvar=True,
    help="The Web Connector password of the .qwc's UserName.",
)
@click.option("--url", help="Reach the service here instead of the .qwc's AppURL.")
@click.option("--insecure", is_flag=True, help="Do not verify the service's TLS certificate.")
@click.option(
    "--timeout",
    default=30.0,
    show_default=True,
    # min_open refuses 0 and below; nan is refused by no comparison, hence the callback.
    type=click.FloatRange(min=0, min_open=True, max=3600),
    callback=lambda ctx, param, value: _not_nan(value),
    help="Seconds per SOAP call, the whole call (headers and body).",
)
@_report_options
@click.option("-q", "--quiet", is_flag=True, help="Only failures and the summary line.")
def certify(
    paths: tuple[Path, ...],
    qwc_path: Path | None,
    capabilities_path: Path | None,
    adapter_spec: str | None,
    profile: str | None,
    password: str | None,
    url: str | None,
    insecure: bool,
    timeout: float,
    junit: Path | None,
    html: Path | None,
    markdown: Path | None,
    json_path: Path | None,
    quiet: bool,
) -> None:
    """Certify a connector. With --capabilities: the scenarios of every claimed behavior
    run against the connector at --qwc (or the reference connector in-process under
    --profile), with the app side through --adapter, and each behavior is reported as
    passed, failed, not claimed or inconclusive. Without: the protocol scenarios (default:
    ./scenarios/protocol) run against the service at --qwc; scenarios tagged needs-app or
    needs-restart, or that configure the connector, are skipped with the reason."""
    out, err = Console(), Console(stderr=True)
    if capabilities_path is None and (adapter_spec or profile):
        raise click.UsageError("--adapter and --profile need --capabilities")
    if qwc_path is None and capabilities_path is None:
        raise click.UsageError("give --qwc (the connector's .qwc file) or --capabilities FILE")
    if qwc_path is not None and profile:
        raise click.UsageError("--profile certifies the reference connector; drop --qwc")
    target = None
    if qwc_path is not None:
        target = _external_target(qwc_path, url, password, insecure, timeout)
    if capabilities_path is not None:
        reports = {"junit": junit, "html": html, "markdown": markdown, "json": json_path}
        _certify_claims(
            capabilities_path, paths, target, adapter_spec, profile, reports, quiet, out, err
        )
        return
    assert target is not None
    chosen = _load_all(paths or (CERTIFY_SCENARIOS,), err)
    qwc_app = target.qwc_fields.get("AppName")
    options = RunOptions(WorldOptions(external=target))
    prepared = [_for_certify(loaded) for loaded in chosen]
    if not quiet:
        out.print(f"certifying {qwc_app!r} at {target.url}", markup=False, highlight=False)
    results = _run_with_progress(prepared, options, out, quiet)
    if not quiet:
        for result in results:
            if result.status == "skipped":
                click.echo(f"SKIPPED {result.id}: {result.reason}")
    print_report(results, out) if not quiet else out.print(closing_line(results), markup=False)
    _write_reports(results, junit, html, markdown, json_path, _certified_json)
    sys.exit(EXIT_OK if all(r.ok for r in results) else EXIT_FAILED)


def _not_nan(value: float) -> float:
    if value != value:  # nan
        raise click.BadParameter("is not a number of seconds")
    return value


def _certified_json(result: ScenarioResult) -> dict[str, Any]:
    """A certification result: a scenario's result, why it was skipped, each session's end."""
    return {
        **_result_json(result),
        "reason": result.reason,
        "sessions": [t["outcome"] for t in result.transcripts],
    }


def _external_target(
    qwc_path: Path, url: str | None, password: str | None, insecure: bool, timeout: float
) -> ExternalConnector:
    """The service a vendor's .qwc points at (or ``url``), refused as QBWC refuses it."""
    from harness.qwc_writer import render_qwc
    from harness.webconnector import QwcError, QwcFile
    from harness.world import qwc_fields

    try:
        qwc = QwcFile.load(qwc_path)
        if url:  # the same checks QBWC makes, on the address actually used
            qwc = QwcFile.load(render_qwc({**qwc_fields(qwc), "AppURL": url, "AppSupport": url}))
    except QwcError as exc:
        click.echo(f"error: {qwc_path}: QBWC would refuse this .qwc: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    if not password:
        click.echo(f"error: give the password with --password or {PASSWORD_ENV}", err=True)
        sys.exit(EXIT_USAGE)
    return ExternalConnector(qwc.app_url, password, qwc, verify=not insecure, timeout=timeout)


def _certify_claims(
    capabilities_path: Path,
    paths: tuple[Path, ...],
    target: ExternalConnector | None,
    adapter_spec: str | None,
    profile: str | None,
    reports: dict[str, Path | None],
    quiet: bool,
    out: Console,
    err: Console,
) -> None:
    """``certify --capabilities``: the matrix of claimed behaviors, with no skips."""
    from harness.certification import load_capabilities
    from harness.certification.cli_run import certify_claims

    try:
        capabilities = load_capabilities(capabilities_path)
    except ScenarioError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        sys.exit(EXIT_USAGE)
    try:
        cert = certify_claims(
            capabilities,
            _load_all(paths or (DEFAULT_SCENARIOS,), err),
            target,
            adapter_spec,
            profile,
            out,
            quiet,
        )
    except ValueError as exc:  # an unusable adapter or profile
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    from harness.certification.cli_run import write_reports

    write_reports(cert, reports)
    sys.exit(EXIT_OK if cert.certified else EXIT_FAILED)


def _for_certify(loaded: LoadedScenario) -> LoadedScenario:
    """The scenario, marked skipped (with the reason) when an outside connector cannot be
    put through it."""
    from harness.certification.plan import outside_reasons

    scenario = loaded.scenario
    reasons = outside_reasons(scenario)
    if not reasons or scenario.skip:
        return loaded
    skipped = scenario.model_copy(update={"skip": "certify: " + "; ".join(reasons)})
    return dataclasses.replace(loaded, scenario=skipped)


@cli.command()
@click.option("--examples", default=100, show_default=True, help="How many worlds to try.")
@click.option("--steps", default=20, show_default=True, help="Rules per example, at most.")
@click.option("--seed", type=int, help="Random seed (default: derandomized, as in CI).")
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("fuzz-findings"),
    show_default=True,
    help="Where a finding is written as a scenario file.",
)
def fuzz(examples: int, steps: int, seed: int | None, out: Path) -> None:
    """Fuzz the whole loop against the reference connector: people on both sides, syncs
    and every named fault, invariants after every sync; a violation is shrunk and written
    as a scenario file that `qbwc-harness run` replays (exit status 1)."""
    from harness.fuzz import FuzzConfig
    from harness.fuzz import fuzz as run_fuzz

    config = FuzzConfig(examples=examples, steps=steps, seed=seed, out=out)
    report = run_fuzz(config, progress=lambda line: click.echo(f"  {line}", err=True))
    click.echo(
        f"examples run: {report.examples}, steps: {report.steps} "
        f"({report.quiet_checks} full checks), time: {report.seconds:.1f} s, "
        f"violations: {report.violations}"
    )
    if report.written is not None:
        state = "reproduces" if report.written.reproduced else "does NOT reproduce"
        click.echo(
            f"{report.invariant}: {report.written.path} "
            f"({report.written.steps} steps, {state} with `qbwc-harness run`)"
        )
    sys.exit(EXIT_FAILED if report.violations else EXIT_OK)
