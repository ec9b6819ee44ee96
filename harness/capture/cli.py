"""``qbwc-harness import``, ``record`` and ``replay``: from what a customer has (a QWCLog.txt
or a capture) to a scenario file and a fidelity report (docs/reproduce.md)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from harness.capture.observed import Observation
from harness.capture.qwclog import LogError, read_log
from harness.capture.scenario_writer import write_scenario
from harness.exit_codes import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from harness.scenario import ScenarioError, default_registry, load_scenario


def _read_source(path: Path) -> Observation:
    """A QWCLog.txt, or a capture file written by ``record`` (its first line says so)."""
    from harness.capture.capture_file import CaptureError, is_capture, read_capture

    if is_capture(path):
        try:
            return read_capture(path).observation()
        except CaptureError as exc:
            raise LogError(path, exc.line, exc.message) from None
    return read_log(path)


@click.command("import")
@click.argument("log", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the scenario here (default: print it).",
)
@click.option(
    "--app",
    help="The application whose sessions to import (default: the one whose session failed last).",
)
@click.option("--id", "scenario_id", help="The scenario's id (default: from the file name).")
@click.option("--seed", default=0, show_default=True, help="Seed of the fake personal data.")
@click.option(
    "--last",
    type=click.IntRange(min=1),
    help="Only the last N sessions (a log of weeks); the ones before give the company.",
)
@click.option(
    "--keep-personal-data",
    is_flag=True,
    help="Keep names, emails, phones and addresses as in the log.",
)
def import_log(
    log: Path,
    out: Path | None,
    app: str | None,
    scenario_id: str | None,
    seed: int,
    last: int | None,
    keep_personal_data: bool,
) -> None:
    """Turn a Web Connector log (QWCLog.txt, VERBOSE or normal) or a capture into a
    scenario that reproduces its sessions."""
    try:
        observation = _read_source(log)
        if not observation.sessions:
            raise LogError(log, 1, "no Web Connector session in this log")
        imported = write_scenario(
            observation,
            scenario_id=scenario_id or _id_from(log),
            source=log.name,
            app=app,
            seed=seed,
            keep_personal_data=keep_personal_data,
            last=last,
        )
    except (LogError, ValueError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    target = out or Path(f"{log.stem}.yaml")
    try:  # never write a file that `run` would refuse
        load_scenario(target, default_registry(), imported.text)
    except ScenarioError as exc:
        for problem in exc.problems:
            click.echo(f"internal error, please report: {problem}", err=True)
        sys.exit(EXIT_USAGE)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(imported.text, encoding="utf-8")
        click.echo(f"wrote {out}: {imported.sessions} session(s)", err=True)
    else:
        click.echo(imported.text, nl=False)
    for note in imported.notes:
        click.echo(f"note: {note}", err=True)


def _id_from(path: Path) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    return f"imported-{slug or 'log'}"


@click.command()
@click.option(
    "--listen",
    default="127.0.0.1:8081",
    show_default=True,
    help="HOST:PORT the Web Connector's AppURL points at.",
)
@click.option("--upstream", required=True, help="The vendor's QBWC service URL.")
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("capture.jsonl"),
    show_default=True,
    help="The capture file.",
)
@click.option("--insecure", is_flag=True, help="Do not verify the upstream TLS certificate.")
def record(listen: str, upstream: str, out: Path, insecure: bool) -> None:
    """Forward a Web Connector's calls to UPSTREAM unchanged and write every call to a
    capture file (passwords never written)."""
    import waitress

    from harness.capture.proxy import CaptureWriter, RecordingProxy

    host, _, port = listen.rpartition(":")
    if not host or not port.isdigit():
        click.echo(f"error: --listen {listen!r}: expected HOST:PORT, e.g. 127.0.0.1:8081", err=True)
        sys.exit(EXIT_USAGE)
    if not upstream.startswith(("http://", "https://")):
        click.echo(f"error: --upstream {upstream!r}: expected an http(s) URL", err=True)
        sys.exit(EXIT_USAGE)
    proxy = RecordingProxy(upstream, CaptureWriter(out, upstream), verify=not insecure)
    click.echo(f"recording {listen} -> {upstream} into {out} (Ctrl+C stops)", err=True)
    try:
        waitress.serve(proxy, host=host, port=int(port), threads=8, _quiet=True)
    finally:
        proxy.close()


@click.command()
@click.argument("capture", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--fidelity",
    is_flag=True,
    help="Replay against the fake company and diff its answers with the recorded ones.",
)
@click.option(
    "--url", help="Replay against the connector at this URL (default: the .qwc's AppURL)."
)
@click.option(
    "--qwc",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The connector's .qwc file (its AppURL).",
)
@click.option(
    "--password",
    envvar="QBWC_HARNESS_PASSWORD",
    help="The Web Connector password (or QBWC_HARNESS_PASSWORD).",
)
@click.option("--insecure", is_flag=True, help="Do not verify the connector's TLS certificate.")
@click.option(
    "--out", type=click.Path(path_type=Path, dir_okay=False), help="Write the report here too."
)
def replay(
    capture: Path,
    fidelity: bool,
    url: str | None,
    qwc: Path | None,
    password: str | None,
    insecure: bool,
    out: Path | None,
) -> None:
    """Replay a capture. --fidelity: seed the fake company from it, send it the recorded
    qbXML requests and report every difference from QuickBooks' answers. --url/--qwc: be
    the Web Connector again against a connector, answer it with QuickBooks' recorded
    responses and report where it first does something else. Exit 1 on a difference."""
    from harness.capture.capture_file import CaptureError, read_capture

    def usage(message: str) -> None:
        click.echo(f"error: {message}", err=True)
        sys.exit(EXIT_USAGE)

    if fidelity == bool(url or qwc):
        usage("give --fidelity, or --url/--qwc (a connector to replay against)")
    try:
        recorded = read_capture(capture)
    except CaptureError as exc:
        usage(str(exc))
    if fidelity:
        from harness.capture.fidelity import replay_fidelity

        report = replay_fidelity(recorded)
        text, differs = report.render(), bool(report.differences)
    else:
        from harness.capture.connector_replay import replay_against
        from harness.webconnector.errors import QwcError
        from harness.webconnector.qwc import QwcFile
        from harness.webconnector.transport import HttpTransport

        if password is None:
            usage("give the Web Connector password: --password or QBWC_HARNESS_PASSWORD")
        if qwc is not None:
            try:
                url = url or QwcFile.load(qwc).app_url
            except QwcError as exc:
                usage(f"{qwc}: {exc}")
        assert url is not None and password is not None
        done, divergence = replay_against(
            recorded, url, password, HttpTransport(verify=not insecure)
        )
        text = f"{done} call(s) replayed as recorded"
        text = f"{divergence}\n{text}" if divergence else f"{text}; no divergence"
        differs = divergence is not None
    click.echo(text)
    if out:
        out.write_text(text + "\n", encoding="utf-8")
    sys.exit(EXIT_FAILED if differs else EXIT_OK)


COMMANDS = [import_log, record, replay]
