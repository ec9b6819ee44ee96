"""The ``qbwc-harness`` command."""

from __future__ import annotations

import json
import sys
from pathlib import Path

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
from harness.world import WorldOptions

#: Exit codes CI can tell apart.
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

DEFAULT_SCENARIOS = Path("scenarios")


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
@click.option("--junit", type=click.Path(path_type=Path), help="Write JUnit XML here.")
@click.option("--html", type=click.Path(path_type=Path), help="Write the HTML report here.")
@click.option("--markdown", type=click.Path(path_type=Path), help="Write a Markdown matrix here.")
@click.option("--json", "json_path", type=click.Path(path_type=Path), help="Write results JSON.")
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
    if junit:
        write_junit(results, junit)
    if html:
        write_html(results, html)
    if markdown:
        markdown.parent.mkdir(parents=True, exist_ok=True)
        markdown.write_text(render_matrix(results), encoding="utf-8")
    if json_path:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps([_result_json(r) for r in results], indent=2))
    sys.exit(EXIT_OK if all(r.ok for r in results) else EXIT_FAILED)


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
    text = render_schema(default_registry())
    if out:
        out.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


@cli.command()
@click.option("--out", type=click.Path(path_type=Path), help="Write the reference here.")
def actions(out: Path | None) -> None:
    """Print (or write) every step, fault and action scenario files may use, as Markdown."""
    text = render_reference(default_registry())
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
