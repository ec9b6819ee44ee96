"""The ``qbwc-harness`` command."""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape

from harness.capture.cli import COMMANDS as CAPTURE_COMMANDS
from harness.certification.quickbooks import DEFAULT_PRODUCT, PRODUCTS
from harness.exit_codes import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from harness.report.html import write_html
from harness.report.junit import write_junit
from harness.report.markdown import render_matrix
from harness.report.terminal import console_for, print_report
from harness.runner.results import ScenarioResult
from harness.runner.run import RunOptions, run_scenario
from harness.scenario import Problem, ScenarioError, default_registry, discover, load_runs
from harness.scenario.catalogue import catalogue, matches, render_behaviors, unknown_behaviors
from harness.scenario.loader import LoadedScenario
from harness.scenario.reference import render_reference
from harness.scenario.schema import render_schema
from harness.scenario.selection import Selection, SelectionError, parse_shard
from harness.scenario.suite import LOCAL, default_scenarios
from harness.scenario.templates import SCENARIO_TEMPLATE
from harness.world import ExternalConnector, WorldOptions


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


def _load_all(paths: tuple[Path, ...], err: Console, part: str = "") -> list[LoadedScenario]:
    """The scenarios under ``paths`` (default: ``./scenarios/<part>``, else the shipped
    suite's), all loaded, or every problem printed and exit 2."""
    targets = list(paths) or [_default_folder(part, err)]
    missing = [p for p in targets if not p.exists()]
    if missing:
        err.print(f"error: no such file or folder: {', '.join(map(str, missing))}", markup=False)
        sys.exit(EXIT_USAGE)
    files = discover(targets)
    loaded, problems = [], []
    registry = default_registry()
    for path in files:
        try:
            loaded.extend(load_runs(path, registry))
        except ScenarioError as exc:
            problems.extend(exc.problems)
    first_use: dict[str, Path] = {}
    for item in loaded:
        if item.id in first_use:
            used = f"id {item.id!r} is already used by {first_use[item.id]}"
            problems.append(Problem(item.path, item.id_line, used))
        first_use.setdefault(item.id, item.path)
    if problems:
        for problem in problems:
            click.echo(str(problem), err=True)  # one line each, never wrapped
        err.print(f"{len(problems)} problem(s) in scenario files; nothing was run", style="red")
        sys.exit(EXIT_USAGE)
    return loaded


def _default_folder(part: str, err: Console) -> Path:
    folder = default_scenarios(part)
    if not folder.is_relative_to(LOCAL):
        note = f"no ./{LOCAL / part} here: using the scenarios shipped with qbwc-harness, {folder}"
        err.print(note, markup=False, highlight=False, soft_wrap=True)
    return folder


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
    """Run scenario files (default: ./scenarios, else the suite shipped with qbwc-harness)
    and report by behavior."""
    out, err = console_for(), console_for(stderr=True)
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
    print_report(results, out, quiet)
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
                f"[{number}/{total}] [{style}]{result.status.upper():8}[/] {escape(result.id)} "
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
        "reason": result.reason,
        "cause": result.cause,
        "warnings": result.warnings,
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
    """Run one scenario and print its full transcript, to reproduce a bug (a file with
    ``profiles``: each run's, under its id)."""
    out, err = console_for(), console_for(stderr=True)
    runs = _load_all((scenario,), err)
    options = RunOptions(WorldOptions(transport=transport))  # type: ignore[arg-type]
    results = [run_scenario(loaded, options) for loaded in runs]
    if fmt == "json":
        shown: object = results[0].transcripts
        if len(results) > 1:
            shown = {result.id: result.transcripts for result in results}
        click.echo(json.dumps(shown, indent=2))
    for result in results if fmt == "log" else []:
        if len(results) > 1:
            click.echo(f"### {result.id}")
        for number, transcript in enumerate(result.transcripts, 1):
            click.echo(f"=== session {number}: {transcript['outcome']['status']}")
            for event in transcript["events"]:
                click.echo(_event_line(event))
    out.print()
    for result in results:
        if result.failure:
            click.echo(result.failure.render(result.path), err=True)
        err.print(f"{result.id}: {result.status}", markup=False)
    sys.exit(EXIT_OK if all(result.ok for result in results) else EXIT_FAILED)


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
    unknown = [b for b in behaviors if b not in catalogue()]
    if unknown:
        raise click.UsageError(unknown_behaviors(unknown))
    path.parent.mkdir(parents=True, exist_ok=True)
    schema = _schema_above(path.parent)
    scenario_id = path.stem.lower().replace(" ", "-")
    text = SCENARIO_TEMPLATE.format(
        schema=os.path.relpath(schema, path.parent) if schema else SCHEMA_NAME,
        id=scenario_id,
        behaviors=", ".join(behaviors),
    )
    path.write_text(text, encoding="utf-8")
    click.echo(f"wrote {path}; run it with: qbwc-harness run {path}")
    if schema is None:
        where = path.parent / SCHEMA_NAME
        click.echo(f"for completion in editors: qbwc-harness schema --out {where}")


SCHEMA_NAME = "scenario.schema.json"


def _schema_above(folder: Path) -> Path | None:
    """The nearest ``scenario.schema.json`` in ``folder`` or a folder above it."""
    folder = folder.resolve()
    return next(
        (d / SCHEMA_NAME for d in (folder, *folder.parents) if (d / SCHEMA_NAME).is_file()), None
    )


@cli.command()
@click.argument("wanted", nargs=-1)
@click.option(
    "--scenarios",
    "paths",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Scenario files or folders whose coverage is shown (default: as for run).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the catalogue as JSON.")
def behaviors(wanted: tuple[str, ...], paths: tuple[Path, ...], as_json: bool) -> None:
    """List the behavior IDs scenarios may name (all, or the WANTED IDs and areas: PAY-02,
    PAY), with each one's area, text and source, and the scenarios that cover it."""
    chosen = [
        b for b in catalogue().values() if not wanted or any(matches(b.id, w) for w in wanted)
    ]
    if not chosen:
        raise click.UsageError(unknown_behaviors(list(wanted)))
    covered_by: dict[str, list[str]] = {}
    for loaded in _load_all(paths, console_for(stderr=True)):
        for behavior_id in loaded.scenario.behaviors:
            covered_by.setdefault(behavior_id, []).append(loaded.id)
    if as_json:
        rows = [{**dataclasses.asdict(b), "scenarios": covered_by.get(b.id, [])} for b in chosen]
        click.echo(json.dumps(rows, indent=2))
    else:
        click.echo(render_behaviors(chosen, covered_by), nl=False)


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
    loaded = _load_all(paths, console_for(stderr=True))
    click.echo(f"{len({run.path for run in loaded})} scenario file(s) are valid")


CERTIFY_SCENARIOS = "protocol"
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
    "(default: all of ./scenarios, else the shipped suite) and report a matrix with no skips.",
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
@click.option(
    "--quickbooks",
    default=DEFAULT_PRODUCT,
    show_default=True,
    type=click.Choice(sorted(PRODUCTS)),
    help="The QuickBooks product the fake company is (its HostRet and qbXML versions).",
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
    quickbooks: str,
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
    ./scenarios/protocol, else the shipped ones) run against the service at --qwc; scenarios tagged needs-app or
    needs-restart, or that configure the connector, are skipped with the reason."""
    out, err = console_for(), console_for(stderr=True)
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
            capabilities_path,
            paths,
            target,
            (adapter_spec, profile, quickbooks),
            reports,
            quiet,
            out,
            err,
        )
        return
    assert target is not None
    chosen = _load_all(paths, err, CERTIFY_SCENARIOS)
    qwc_app = target.qwc_fields.get("AppName")
    options = RunOptions(WorldOptions(external=target))
    prepared = [_for_certify(loaded, quickbooks) for loaded in chosen]
    if not quiet:
        out.print(f"certifying {qwc_app!r} at {target.url}", markup=False, highlight=False)
    results = _run_with_progress(prepared, options, out, quiet)
    if not quiet:
        for result in results:
            if result.status == "skipped":
                click.echo(f"SKIPPED {result.id}: {result.reason}")
    print_report(results, out, quiet)
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
    choices: tuple[str | None, str | None, str],
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
    adapter_spec, profile, quickbooks = choices  # the --adapter, --profile, --quickbooks
    try:
        cert = certify_claims(
            capabilities,
            _load_all(paths, err),
            target,
            adapter_spec,
            profile,
            out,
            quiet,
            quickbooks,
        )
    except ValueError as exc:  # an unusable adapter or profile
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    from harness.certification.cli_run import write_reports

    write_reports(cert, reports)
    sys.exit(EXIT_OK if cert.certified else EXIT_FAILED)


def _for_certify(loaded: LoadedScenario, quickbooks: str) -> LoadedScenario:
    """The scenario against the chosen QuickBooks product, marked skipped (with the reason)
    when an outside connector cannot be put through it."""
    from harness.certification.plan import outside_reasons, playing
    from harness.certification.quickbooks import product

    scenario = loaded.scenario
    company = playing(product(quickbooks), scenario.given.qbd_settings)
    scenario = scenario.model_copy(
        update={"given": scenario.given.model_copy(update={"qbd_settings": company})}
    )
    loaded = dataclasses.replace(loaded, scenario=scenario)
    reasons = outside_reasons(scenario)
    if not reasons or scenario.skip:
        return loaded
    skipped = scenario.model_copy(update={"skip": "certify: " + "; ".join(reasons)})
    return dataclasses.replace(loaded, scenario=skipped)


@cli.command()
@click.option(
    "--examples",
    type=click.IntRange(min=1),
    default=100,
    show_default=True,
    help="How many worlds to try.",
)
@click.option(
    "--steps",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="Rules per example, at most.",
)
@click.option("--seed", type=int, help="Random seed (default: derandomized, as in CI).")
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("fuzz-findings"),
    show_default=True,
    help="Where a finding is written as a scenario file.",
)
@click.option(
    "--only",
    multiple=True,
    metavar="AREA|RULE",
    help="Narrow the run to an area (invoices, payments, customers, syncs, connector, "
    "clock, faults, ...) or a rule; repeatable. Web Connector runs are always in.",
)
def fuzz(examples: int, steps: int, seed: int | None, out: Path, only: tuple[str, ...]) -> None:
    """Fuzz the whole loop against the reference connector: people on both sides, syncs
    and every named fault, invariants after every sync; a violation is shrunk and written
    as a scenario file that `qbwc-harness run` replays (exit status 1)."""
    from harness.fuzz import FuzzConfig, UnknownRules, select
    from harness.fuzz import fuzz as run_fuzz

    try:
        select(only)
    except UnknownRules as exc:
        click.echo(f"error: --only: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    config = FuzzConfig(examples=examples, steps=steps, seed=seed, out=out, only=frozenset(only))
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


# import / record / replay live in their own package (issue 21).
for _command in CAPTURE_COMMANDS:
    cli.add_command(_command)
