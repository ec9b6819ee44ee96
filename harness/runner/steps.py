"""The step table: every step kind a scenario may write, the model of its arguments and
what it does to the world. The loader, the JSON schema and the actions reference read the
kinds and their models from here (``Registry.steps``); the runner performs every step
through it. A new step kind is one entry in ``STEPS``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import BaseModel

from harness.runner.inconclusive import request_not_handed
from harness.runner.judge import Inconclusive, StepFailed, check_expectation
from harness.runner.results import Failure
from harness.scenario.model import (
    ClockArgs,
    ConcurrentSyncArgs,
    ConnectorArgs,
    Expectation,
    QbxmlRequestArgs,
    ReplayResponseArgs,
    RunNowArgs,
    ScheduleArgs,
    SoapCallArgs,
    SyncArgs,
)
from harness.world import ExternalConnector, RestartUnsupported, World

if TYPE_CHECKING:  # the loader's type; the loader reads this table, not the other way
    from harness.scenario.steps import Step

Perform = Callable[[World, "Step"], None]


@dataclass(frozen=True)
class StepKind:
    """One kind of step. ``model`` is None for the two families whose names and argument
    models the registry reads from the code: ``fault`` (the Web Connector's faults) and
    ``action`` (``qbd.<action>``, ``app.<action>``)."""

    perform: Perform
    model: type[BaseModel] | None = None


def _sync(world: World, step: Step) -> None:
    args: SyncArgs = step.args
    for _ in range(args.runs):
        world.sync(args.web_connector, args.password)


def _concurrent_sync(world: World, step: Step) -> None:
    args: ConcurrentSyncArgs = step.args
    if not world.concurrent_sync(args.web_connectors, args.order, args.first_holds):
        assert args.first_holds is not None  # an interleaving by order always happens
        cause, reason = request_not_handed(args.web_connectors[0], args.first_holds)
        raise Inconclusive(f"line {step.line}: concurrent_sync: {reason}", cause=cause)


def _schedule(world: World, step: Step) -> None:
    world.schedule(float(step.args.advance))


def _run_now(world: World, step: Step) -> None:
    world.sync(step.args.web_connector)


def _clock(world: World, step: Step) -> None:
    args: ClockArgs = step.args
    if args.advance is not None:
        world.clock.advance(float(args.advance))
    if args.jump is not None:
        world.clock.jump(float(args.jump))


def _restart_connector(world: World, step: Step) -> None:
    world.connector.restart()


def _soap_call(world: World, step: Step) -> None:
    args: SoapCallArgs = step.args
    world.soap_call(args.method, args.ticket, args.arguments, args.web_connector)


def _replay_response(world: World, step: Step) -> None:
    world.replay_response(step.args.request)


def _qbxml_request(world: World, step: Step) -> None:
    world.qbxml_request(step.args.request)


def _expect(world: World, step: Step) -> None:
    check_expectation(world, step.args, step.line)


def _fault(world: World, step: Step) -> None:
    name, params = step.args
    if name == "restart_after_call" and isinstance(world.connector, ExternalConnector):
        world.connector.restart()  # refused now, before a session is cut in two
    getattr(world.faults, name)(**params.model_dump(exclude_unset=True))


def _action(world: World, step: Step) -> None:
    assert step.action is not None
    target = world.qbd.operator if step.action.side == "qbd" else world.app
    getattr(target, step.action.name)(**step.args)


STEPS: dict[str, StepKind] = {
    "sync": StepKind(_sync, SyncArgs),
    "concurrent_sync": StepKind(_concurrent_sync, ConcurrentSyncArgs),
    "schedule": StepKind(_schedule, ScheduleArgs),
    "run_now": StepKind(_run_now, RunNowArgs),
    "clock": StepKind(_clock, ClockArgs),
    "connector": StepKind(_restart_connector, ConnectorArgs),
    "soap_call": StepKind(_soap_call, SoapCallArgs),
    "replay_response": StepKind(_replay_response, ReplayResponseArgs),
    "qbxml_request": StepKind(_qbxml_request, QbxmlRequestArgs),
    "expect": StepKind(_expect, Expectation),
    "fault": StepKind(_fault),
    "action": StepKind(_action),
}


def step_models() -> dict[str, type[BaseModel]]:
    """The kinds written as ``- kind: {arguments}``, each with its arguments' model."""
    return {kind: entry.model for kind, entry in STEPS.items() if entry.model is not None}


def perform_step(world: World, step: Step) -> None:
    """Carry out one parsed step exactly as a scenario run does (the fuzzer drives the world
    through this, so what it records is what ``qbwc-harness run`` replays). A step a person
    could not do raises ``StepFailed``."""
    try:
        STEPS[step.kind].perform(world, step)
    except (StepFailed, RestartUnsupported, Inconclusive):
        raise
    except NotImplementedError as exc:  # an app adapter that leaves this action out
        raise Inconclusive(f"line {step.line}: {step.label}: {exc}") from None
    except Exception as exc:
        if _is_user_error(exc):
            raise StepFailed(Failure(step.label, step.line, str(exc))) from None
        raise


def _is_user_error(exc: Exception) -> bool:
    """Domain errors (a missing customer, a refused payment) are the scenario's problem; a
    TypeError or KeyError inside the harness is ours and is reported as an error."""
    return not isinstance(exc, TypeError | KeyError | AttributeError | AssertionError | NameError)
