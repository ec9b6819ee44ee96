"""Run one loaded scenario in a fresh world and judge it."""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass

from harness.report.tickets import hide_tickets, vendor_tickets
from harness.runner.connector_log import ConnectorLogCapture
from harness.runner.inconclusive import (
    NEEDS_WORK,
    fault_not_reached,
    inconclusive_cause,
    left_session_open,
    readings,
    unfired_warnings,
)
from harness.runner.judge import Inconclusive, StepFailed, check_expectation
from harness.runner.results import Failure, ScenarioResult
from harness.runner.steps import perform_step
from harness.scenario.loader import LoadedScenario
from harness.webconnector.transcript import Transcript
from harness.world import ExternalConnector, RestartUnsupported, World, WorldOptions


@dataclass
class RunOptions:
    world: WorldOptions


def new_result(loaded: LoadedScenario, status: str, reason: str | None) -> ScenarioResult:
    """A result for ``loaded`` before (or instead of) running it."""
    scenario = loaded.scenario
    return ScenarioResult(
        id=scenario.id,
        title=scenario.title,
        path=loaded.path,
        behaviors=list(scenario.behaviors),
        tags=list(scenario.tags),
        profile=scenario.profile,
        status=status,
        reason=reason,
    )


def run_scenario(loaded: LoadedScenario, options: RunOptions | None = None) -> ScenarioResult:
    scenario = loaded.scenario
    if scenario.profiles is not None:  # a caller's mistake, not the scenario's
        raise ValueError(f"{loaded.path}: one run per profile: load it with load_runs")
    result = new_result(loaded, "passed", scenario.xfail or scenario.skip)
    if scenario.skip:
        result.status = "skipped"
        return result
    started = time.perf_counter()
    world: World | None = None
    log_capture = ConnectorLogCapture.attach()
    try:
        world = start_world(loaded, options)
        for step in loaded.steps:
            perform_step(world, step)
        if scenario.expect is not None:
            check_expectation(world, scenario.expect, loaded.expect_line)
    except StepFailed as failed:
        result.status = "failed"
        result.failure = failed.failure
    except RestartUnsupported as exc:  # certify: the connector is not ours to restart
        result.status = "skipped"
        result.reason = f"needs a connector restart: {exc}"
    except (Inconclusive, NotImplementedError) as exc:  # the adapter cannot do or read it
        result.status = "inconclusive"
        result.reason = str(exc)
        result.cause = exc.cause if isinstance(exc, Inconclusive) else "adapter"
    except Exception as exc:  # a harness or connector fault: reported, never a crash
        result.status = "error"
        result.failure = Failure("run", 1, f"{type(exc).__name__}: {exc}")
        result.failure.mismatches = []
        result.reason = traceback.format_exc()
    finally:
        if world is not None:
            _judge_what_was_proved(
                result,
                world.transcripts,
                planted_but_unfired(world),
                external=isinstance(world.connector, ExternalConnector),
            )
            result.transcripts = [t.to_dict() for t in world.transcripts]
            result.qbwc_log = "\n".join(t.to_qbwc_log() for t in world.transcripts)
            if isinstance(world.connector, ExternalConnector):  # a vendor's live tickets
                tickets = vendor_tickets(result.transcripts)
                result.transcripts = hide_tickets(result.transcripts, tickets)
                result.qbwc_log = hide_tickets(result.qbwc_log, tickets)
            world.close()
        result.connector_log = log_capture.detach()
        result.duration = time.perf_counter() - started
    if scenario.xfail:
        result.status = {"failed": "xfailed", "passed": "xpassed"}.get(result.status, result.status)
    return result


def _judge_what_was_proved(
    result: ScenarioResult, transcripts: list[Transcript], unfired: list[str], *, external: bool
) -> None:
    """A run that proved nothing is inconclusive whatever its checks found (the failure
    they found is kept in the reason), and so is a pass whose planted fault never fired;
    the harness's readings and the unfired faults become warnings."""
    result.warnings = readings(transcripts) + unfired_warnings(unfired)
    result.left_session_open = left_session_open(transcripts)
    found = inconclusive_cause(result.tags, transcripts, external=external) or fault_not_reached(
        unfired, result.status
    )
    if found is None or result.status not in ("passed", "failed"):
        return
    result.cause, result.reason = found
    if result.failure is not None:
        result.reason += f" (the checks saw: {result.failure.one_line(result.path)})"
    result.status, result.failure = "inconclusive", None


def planted_but_unfired(world: World) -> list[str]:
    """Each fault planted in the world (the Web Connector's, QuickBooks' status faults)
    that never fired, described as a report names it."""
    return [rule.describe() for rule in world.faults.unfired()] + [
        f"fault {fault}" for fault in world.qbd.faults.unfired()
    ]


def start_world(loaded: LoadedScenario, options: RunOptions | None = None) -> World:
    """A fresh world as the scenario's ``given`` describes it, before its first step."""
    scenario = loaded.scenario
    world = World.build(
        scenario.given.qbd_settings,
        scenario.given.app_settings,
        {"profile": scenario.profile, **scenario.config}
        if scenario.profile != "default"
        else scenario.config,
        (options or RunOptions(WorldOptions())).world,
        scenario.given.web_connectors,
    )
    try:
        for step in [*loaded.given_qbd, *loaded.given_app]:
            perform_step(world, step)
        if NEEDS_WORK in scenario.tags:  # the vendor's hook: give its service something to do
            world.app.give_service_work()
    except BaseException:
        world.close()
        raise
    return world
