"""Run one loaded scenario in a fresh world and judge it."""

from __future__ import annotations

import re
import time
import traceback
from dataclasses import dataclass

from lxml import etree

from harness.runner.compare import Mismatch, compare_counts, compare_side, compare_value
from harness.runner.results import Failure, ScenarioResult
from harness.scenario.loader import LoadedScenario
from harness.scenario.model import Expectation, TranscriptExpect
from harness.scenario.steps import Step
from harness.world import World, WorldOptions


class StepFailed(Exception):
    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.message)
        self.failure = failure


@dataclass
class RunOptions:
    world: WorldOptions


def run_scenario(loaded: LoadedScenario, options: RunOptions | None = None) -> ScenarioResult:
    scenario = loaded.scenario
    result = ScenarioResult(
        id=scenario.id,
        title=scenario.title,
        path=loaded.path,
        behaviors=list(scenario.behaviors),
        tags=list(scenario.tags),
        profile=scenario.profile,
        status="passed",
        reason=scenario.xfail or scenario.skip,
    )
    if scenario.skip:
        result.status = "skipped"
        return result
    started = time.perf_counter()
    world: World | None = None
    try:
        world = World.build(
            scenario.given.qbd_settings,
            scenario.given.app_settings,
            {"profile": scenario.profile, **scenario.config}
            if scenario.profile != "default"
            else scenario.config,
            (options or RunOptions(WorldOptions())).world,
            scenario.given.web_connectors,
        )
        for step in [*loaded.given_qbd, *loaded.given_app]:
            _perform(world, step)
        for step in loaded.steps:
            _perform(world, step)
        if scenario.expect is not None:
            _check(world, scenario.expect, "expect", loaded.expect_line)
    except StepFailed as failed:
        result.status = "failed"
        result.failure = failed.failure
    except Exception as exc:  # a harness or connector fault: reported, never a crash
        result.status = "error"
        result.failure = Failure("run", 1, f"{type(exc).__name__}: {exc}")
        result.failure.mismatches = []
        result.reason = traceback.format_exc()
    finally:
        if world is not None:
            result.transcripts = [t.to_dict() for t in world.transcripts]
            result.qbwc_log = "\n".join(t.to_qbwc_log() for t in world.transcripts)
            world.close()
        result.duration = time.perf_counter() - started
    if scenario.xfail:
        result.status = {"failed": "xfailed", "passed": "xpassed"}.get(result.status, result.status)
    return result


def _perform(world: World, step: Step) -> None:
    try:
        if step.kind == "sync":
            for _ in range(step.args.runs):
                world.sync(step.args.web_connector, step.args.password)
        elif step.kind == "concurrent_sync":
            world.concurrent_sync(step.args.web_connectors, step.args.order)
        elif step.kind == "schedule":
            world.schedule(float(step.args.advance))
        elif step.kind == "run_now":
            world.sync(step.args.web_connector)
        elif step.kind == "clock":
            if step.args.advance is not None:
                world.clock.advance(float(step.args.advance))
            if step.args.jump is not None:
                world.clock.jump(float(step.args.jump))
        elif step.kind == "fault":
            name, params = step.args
            getattr(world.faults, name)(**params.model_dump(exclude_unset=True))
        elif step.kind == "connector":
            world.connector.restart()
        elif step.kind == "expect":
            _check(world, step.args, "expect", step.line)
        elif step.kind == "action":
            assert step.action is not None
            target = world.qbd.operator if step.action.side == "qbd" else world.app
            getattr(target, step.action.name)(**step.args)
    except StepFailed:
        raise
    except Exception as exc:
        if _is_user_error(exc):
            raise StepFailed(Failure(step.label, step.line, str(exc))) from None
        raise


def _is_user_error(exc: Exception) -> bool:
    """Domain errors (a missing customer, a refused payment) are the scenario's problem; a
    TypeError or KeyError inside the harness is ours and is reported as an error."""
    return not isinstance(exc, TypeError | KeyError | AttributeError | AssertionError | NameError)


def _check(world: World, expect: Expectation, label: str, line: int) -> None:
    mismatches: list[Mismatch] = []
    if expect.app or expect.app_counts:
        app = world.app.snapshot()
        mismatches += compare_side("app", expect.app, app)
        mismatches += compare_counts("app", expect.app_counts, app)
    if expect.qbd or expect.qbd_counts:
        qbd = world.qbd.snapshot()
        mismatches += compare_side("qbd", expect.qbd, qbd)
        mismatches += compare_counts("qbd", expect.qbd_counts, qbd)
    if expect.transcript is not None:
        mismatches += _check_transcript(world, expect.transcript)
    if mismatches:
        raise StepFailed(Failure(label, line, f"{len(mismatches)} difference(s)", mismatches))


def _check_transcript(world: World, expect: TranscriptExpect) -> list[Mismatch]:
    found: list[Mismatch] = []
    if expect.sessions is not None and len(world.transcripts) != expect.sessions:
        found.append(Mismatch("transcript.sessions", expect.sessions, len(world.transcripts)))
    if expect.outcomes is not None:
        outcomes = [t.outcome.status for t in world.transcripts]
        found += compare_value("transcript.outcomes", expect.outcomes, outcomes)
    try:
        last = world.transcripts[expect.session]
    except IndexError:
        ran = len(world.transcripts)
        return [*found, Mismatch("transcript.session", f"session {expect.session}", f"{ran} ran")]
    if expect.outcome is not None:
        found += compare_value("transcript.outcome", expect.outcome, last.outcome.status)
    if expect.code is not None:
        found += compare_value("transcript.code", expect.code, last.outcome.code)
    if expect.progress is not None:
        found += compare_value("transcript.progress", expect.progress, last.progress)
    if expect.calls is not None:
        found += compare_value("transcript.calls", expect.calls, last.methods())
    if expect.call_pattern is not None:
        called = " ".join(last.methods())
        if not re.fullmatch(expect.call_pattern, called):
            found.append(Mismatch("transcript.calls", f"to match {expect.call_pattern}", called))
    if expect.error_contains is not None and expect.error_contains not in last.outcome.message:
        found.append(Mismatch("transcript.error", expect.error_contains, last.outcome.message))
    if expect.requests:
        sent = request_counts(world)
        for name, count in expect.requests.items():
            if sent.get(name, 0) != count:
                found.append(Mismatch(f"transcript.requests.{name}", count, sent.get(name, 0)))
    return found


def request_counts(world: World) -> dict[str, int]:
    """How many qbXML requests of each type (``InvoiceAdd``...) every session sent."""
    counts: dict[str, int] = {}
    for transcript in world.transcripts:
        for exchange in transcript.qbxml:
            for name in request_types(exchange.request):
                counts[name] = counts.get(name, 0) + 1
    return counts


def request_types(qbxml: str) -> list[str]:
    try:
        root = etree.fromstring(qbxml.encode("utf-8"), etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError:
        return []
    msgs = root.find("QBXMLMsgsRq")
    if msgs is None:
        return []
    return [child.tag.removesuffix("Rq") for child in msgs if isinstance(child.tag, str)]
